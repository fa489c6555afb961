//! A Markdown summary for pull-request comments and `$GITHUB_STEP_SUMMARY`: the verdict,
//! counts by severity, scores when present, and the most severe findings with `file:line`.

use std::fmt::Write as _;
use std::io;

use palisade_core::{Finding, Report, Severity};

use crate::RenderOptions;
use crate::diff::{diff, position, target_name};
use crate::escape::markdown as esc;

/// Findings listed in the "Top findings" table; the rest are counted.
const TOP_FINDINGS: usize = 20;

/// Writes the Markdown summary.
pub fn write_markdown(
    report: &Report,
    options: &RenderOptions<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let mut md = String::new();
    let summary = &report.summary;
    let verdict = match report.max_severity() {
        None => "no findings".to_string(),
        Some(worst) => format!(
            "{} finding{} (highest: {worst})",
            summary.total,
            if summary.total == 1 { "" } else { "s" }
        ),
    };
    let _ = writeln!(md, "## Palisade {}: {verdict}\n", esc(&report.command));
    let _ = writeln!(
        md,
        "Scanned {} file(s), {} object(s). {} suppressed finding(s).\n",
        summary.files, summary.objects, summary.suppressed
    );
    if let Some(base) = options.baseline {
        let d = diff(base, report);
        let _ = writeln!(
            md,
            "Against the baseline: **{} new**, {} fixed, {} unchanged.\n",
            d.new.len(),
            d.fixed.len(),
            d.unchanged.len()
        );
    }

    md.push_str("| Severity | Findings |\n|---|---:|\n");
    for severity in Severity::ALL.iter().rev() {
        let n = summary.by_severity.get(severity).copied().unwrap_or(0);
        let _ = writeln!(md, "| {severity} | {n} |");
    }
    md.push('\n');

    if let Some(scores) = &report.scores {
        let _ = writeln!(
            md,
            "**Compliance**: {:.1}% · **Risk score**: {:.1} / 100\n",
            scores.compliance, scores.risk
        );
        if !scores.frameworks.is_empty() {
            md.push_str("| Framework | Compliance | Failed controls |\n|---|---:|---:|\n");
            for framework in &scores.frameworks {
                let _ = writeln!(
                    md,
                    "| {} | {:.1}% | {} / {} |",
                    esc(&framework.name),
                    framework.compliance,
                    framework.failed_controls,
                    framework.controls
                );
            }
            md.push('\n');
        }
    }

    let mut counting: Vec<&Finding> = report.findings.iter().filter(|f| !f.suppressed).collect();
    // Most severe first; reading order within a severity (the report is already sorted).
    counting.sort_by_key(|f| std::cmp::Reverse(f.severity));
    if !counting.is_empty() {
        md.push_str("### Top findings\n\n");
        md.push_str(
            "| Severity | Control | Resource | Location | Message |\n|---|---|---|---|---|\n",
        );
        for finding in counting.iter().take(TOP_FINDINGS) {
            let control = if finding.slug.is_empty() {
                esc(&finding.id)
            } else {
                format!("{} {}", esc(&finding.id), esc(&finding.slug))
            };
            let location = position(finding);
            let _ = writeln!(
                md,
                "| {} | {control} | {} | {} | {} |",
                finding.severity,
                esc(&target_name(finding)),
                if location.is_empty() {
                    String::new()
                } else {
                    // GitHub splits table rows on `|` even inside code spans.
                    format!("`{}`", location.replace('`', "'").replace('|', "\\|"))
                },
                esc(&finding.message)
            );
        }
        if counting.len() > TOP_FINDINGS {
            let _ = writeln!(
                md,
                "\n…and {} more (see the full report).",
                counting.len() - TOP_FINDINGS
            );
        }
        md.push('\n');
    }
    out.write_all(md.as_bytes())
}
