//! `palisade diff BASE.json HEAD.json`: what a change introduced, and the helpers `scan` uses
//! for `--baseline`/`--fail-on-new` and for documenting rules in SARIF.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use palisade_core::{REPORT_SCHEMA_VERSION, Report, Severity};
use palisade_report::{Diff, Format, FormatSpec, RenderOptions, RuleDoc, diff, render};
use palisade_rules::{Framework, find_control};

use crate::Outcome;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// JSON report of the base (e.g. the target branch), from `palisade scan --format json`.
    pub base: PathBuf,
    /// JSON report of the head (the change under review).
    pub head: PathBuf,
    /// Exit 1 only for new findings at or above this severity (default: any new finding).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Output, optionally to a file: FORMAT[=PATH]. Repeatable. `table`, `json` and `markdown`
    /// list new and fixed findings; `sarif`, `junit`, `html` and `prometheus` render the new
    /// findings as a report.
    #[arg(
        short,
        long = "format",
        value_name = "FORMAT[=PATH]",
        default_value = "table"
    )]
    pub formats: Vec<FormatSpec>,
    /// Directory SARIF URIs are relative to (default: the current directory).
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<PathBuf>,
}

pub fn run(args: &DiffArgs) -> anyhow::Result<Outcome> {
    let base = read_report(&args.base)?;
    let head = read_report(&args.head)?;
    let changes = diff(&base, &head);
    let options = RenderOptions {
        sarif_root: args.sarif_root.as_deref(),
        rule_docs: Some(rule_doc),
        ..RenderOptions::default()
    };
    for spec in &args.formats {
        if let Some(path) = &spec.path {
            let mut out = BufWriter::new(create(path)?);
            write_diff(&changes, &head, spec.format, options, &mut out)
                .and_then(|()| out.flush())
                .with_context(|| format!("cannot write {}", path.display()))?;
        } else {
            let mut out = BufWriter::new(io::stdout().lock());
            write_diff(&changes, &head, spec.format, options, &mut out)?;
            out.flush()?;
        }
    }
    Ok(if changes.gate_reached(args.fail_on) {
        Outcome::GateFailed
    } else {
        Outcome::Clean
    })
}

fn write_diff(
    changes: &Diff,
    head: &Report,
    format: Format,
    options: RenderOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => changes.write_text(out),
        Format::Json => changes.write_json(out),
        Format::Markdown => changes.write_markdown(out),
        Format::Sarif | Format::Junit | Format::Html | Format::Prometheus => {
            render(format, &changes.new_findings_report(head), options, out)
        }
    }
}

fn create(path: &Path) -> anyhow::Result<File> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create directory {}", parent.display()))?;
    }
    File::create(path).with_context(|| format!("cannot write {}", path.display()))
}

/// Reads a report written by `palisade scan --format json` (any 1.x schema version).
pub fn read_report(path: &Path) -> anyhow::Result<Report> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read report {}", path.display()))?;
    let report: Report = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a Palisade JSON report (write one with `palisade scan --format json=FILE`)",
            path.display()
        )
    })?;
    let major = |v: &str| v.split('.').next().unwrap_or("").to_string();
    if major(&report.schema_version) != major(REPORT_SCHEMA_VERSION) {
        bail!(
            "{}: report schema version {} is not supported (this palisade writes {})",
            path.display(),
            report.schema_version,
            REPORT_SCHEMA_VERSION
        );
    }
    Ok(report)
}

/// True when `head` has a finding that `baseline` does not, at or above `threshold` (any
/// severity when `None`): the `--fail-on-new` gate.
pub fn new_findings_gate(baseline: &Report, head: &Report, threshold: Option<Severity>) -> bool {
    diff(baseline, head).gate_reached(threshold)
}

/// A control's documentation from the catalog, for SARIF rules. `None` for advisories and
/// unknown IDs.
pub fn rule_doc(id: &str) -> Option<RuleDoc> {
    let control = find_control(id).filter(|c| c.id.eq_ignore_ascii_case(id))?;
    let refs = control.references;
    let help_uri = if refs.pss.is_some() {
        Some("https://kubernetes.io/docs/concepts/security/pod-security-standards/".to_string())
    } else {
        refs.kubescape
            .first()
            .map(|k| format!("https://hub.armosec.io/docs/{}", k.to_ascii_lowercase()))
    };
    let docs = control
        .docs
        .lines()
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    Some(RuleDoc {
        id: control.id.to_string(),
        slug: control.slug.to_string(),
        title: control.title.to_string(),
        severity: control.severity,
        category: control.category.to_string(),
        frameworks: Framework::memberships(control.id)
            .into_iter()
            .map(str::to_string)
            .collect(),
        docs,
        remediation: control.remediation.to_string(),
        help_uri,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_controls_but_not_advisories() {
        let doc = rule_doc("POD-001").expect("POD-001 is in the catalog");
        assert_eq!(doc.id, "POD-001");
        assert!(!doc.docs.is_empty());
        assert!(doc.help_uri.is_some());
        assert!(rule_doc("GHSA-0000-0000-0000").is_none());
        // Slugs resolve in the catalog, but a finding's ID is never a slug.
        assert!(rule_doc(&doc.slug).is_none());
    }
}
