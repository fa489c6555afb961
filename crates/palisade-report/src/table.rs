use std::fmt::Write as _;
use std::io;

use palisade_core::{Finding, Report, Scores, Severity};

#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    pub color: bool,
    pub show_suppressed: bool,
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.paint(code, &format!("{:<8}", severity.as_str().to_uppercase()))
    }
}

/// The group a finding is listed under: its file, then its object.
fn group_key(finding: &Finding) -> (String, String) {
    let path = finding
        .location
        .as_ref()
        .map_or_else(String::new, |l| l.path.clone());
    let object = match (&finding.resource, &finding.package) {
        (Some(resource), _) => resource.display_name(),
        (None, Some(package)) => format!(
            "{} {} ({})",
            package.name, package.version, package.ecosystem
        ),
        (None, None) => "(file)".to_string(),
    };
    (path, object)
}

/// Human-readable findings grouped by file and object, then a summary.
pub fn write_table(
    report: &Report,
    options: TableOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let style = Style {
        color: options.color,
    };
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| options.show_suppressed || !f.suppressed)
        .collect();
    let mut current: Option<(String, String)> = None;
    for finding in shown {
        let key = group_key(finding);
        if current.as_ref().map(|c| &c.0) != Some(&key.0) {
            writeln!(
                out,
                "{}",
                style.paint(
                    "1",
                    if key.0.is_empty() {
                        "(no file)"
                    } else {
                        &key.0
                    }
                )
            )?;
        }
        if current.as_ref() != Some(&key) {
            writeln!(out, "  {}", style.paint("1", &key.1))?;
        }
        let position = finding
            .location
            .as_ref()
            .map_or_else(String::new, |l| format!("{}:{}", l.line, l.column));
        let suppressed = if finding.suppressed {
            " (suppressed)"
        } else {
            ""
        };
        // Vulnerabilities have no slug; their aliases (CVE, GHSA…) take its column.
        let label = if finding.slug.is_empty() {
            finding.aliases.join(", ")
        } else {
            finding.slug.to_string()
        };
        writeln!(
            out,
            "    {} {:<8} {:<30} {:>8}  {}{suppressed}",
            style.severity(finding.severity),
            finding.id,
            label,
            position,
            finding.message
        )?;
        if let Some(evidence) = &finding.evidence {
            writeln!(
                out,
                "{:>53}{}",
                "",
                style.paint("2", &format!("found: {evidence}"))
            )?;
        }
        if let Some(layer) = &finding.layer {
            // Whether to bump the base image or fix one's own Dockerfile.
            let owner = if layer.base {
                "base image"
            } else {
                "your layers"
            };
            let instruction = layer.created_by.as_deref().unwrap_or("unknown instruction");
            writeln!(
                out,
                "{:>53}{}",
                "",
                style.paint(
                    "2",
                    &format!("layer {} ({owner}): {instruction}", layer.index)
                )
            )?;
        }
        if !finding.remediation.is_empty() {
            writeln!(
                out,
                "{:>53}{}",
                "",
                style.paint("2", &format!("fix: {}", finding.remediation))
            )?;
        }
        current = Some(key);
    }
    if current.is_some() {
        writeln!(out)?;
    }
    write_summary(report, &style, out)
}

fn write_summary(report: &Report, style: &Style, out: &mut dyn io::Write) -> io::Result<()> {
    let summary = &report.summary;
    // Dependency and image scans evaluate packages, not Kubernetes objects.
    let unit = match report.command.as_str() {
        "deps" | "image" | "sbom" => "package",
        _ => "object",
    };
    let mut line = format!(
        "Scanned {} file{}, {} {unit}{}",
        summary.files,
        plural(summary.files),
        summary.objects,
        plural(summary.objects)
    );
    if summary.skipped_documents > 0 {
        let _ = write!(
            line,
            " ({} non-Kubernetes document{} skipped)",
            summary.skipped_documents,
            plural(summary.skipped_documents)
        );
    }
    let counts: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|s| {
            let n = summary.by_severity.get(s).copied().unwrap_or(0);
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    if summary.total == 0 {
        line.push_str(": no findings");
    } else {
        let _ = write!(
            line,
            ": {} finding{} ({})",
            summary.total,
            plural(summary.total),
            counts.join(", ")
        );
    }
    if summary.suppressed > 0 {
        let _ = write!(line, ", {} suppressed", summary.suppressed);
    }
    writeln!(out, "{}", style.paint("1", &line))?;
    if let Some(scores) = &report.scores {
        write_scores(scores, style, out)?;
    }
    Ok(())
}

/// Compliance per framework and overall, plus the risk score (docs/scoring.md).
fn write_scores(scores: &Scores, style: &Style, out: &mut dyn io::Write) -> io::Result<()> {
    let paint = |value: f64| {
        let code = if value >= 90.0 {
            "32"
        } else if value >= 70.0 {
            "33"
        } else {
            "31"
        };
        style.paint(code, &format!("{value:>6.2}%"))
    };
    // Frameworks none of whose controls judged anything say nothing worth a line.
    for framework in scores.frameworks.iter().filter(|f| f.controls > 0) {
        writeln!(
            out,
            "  {} {:<58} {} of {} controls failing",
            paint(framework.compliance),
            framework.name,
            framework.failed_controls,
            framework.controls
        )?;
    }
    writeln!(
        out,
        "  {} {:<58} risk score {:.2}/100",
        paint(scores.compliance),
        "Overall compliance",
        scores.risk
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
