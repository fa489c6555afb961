//! What changed between two reports: findings matched by [`fingerprint`](crate::fingerprint),
//! never by line number, so moved lines and renamed files do not show up as new.
//!
//! Only findings that count take part: a finding suppressed in the head report is not new, and
//! one that became suppressed is listed as fixed.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;

use palisade_core::{Finding, Report, Severity};
use serde::Serialize;

use crate::escape;
use crate::fingerprint::fingerprint;

/// Rows per table in the Markdown rendering of a diff.
const MARKDOWN_ROWS: usize = 50;

/// The findings of a head report sorted against a base report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// In head, not in base.
    pub new: Vec<Finding>,
    /// In base, not in head.
    pub fixed: Vec<Finding>,
    /// In both (the head's version of each).
    pub unchanged: Vec<Finding>,
}

/// Compares `head` with `base`. A fingerprint that occurs twice in head and once in base
/// yields one unchanged and one new finding.
pub fn diff(base: &Report, head: &Report) -> Diff {
    let mut remaining: HashMap<String, usize> = HashMap::new();
    for finding in counting(base) {
        *remaining.entry(fingerprint(finding)).or_default() += 1;
    }
    let mut new = Vec::new();
    let mut unchanged = Vec::new();
    for finding in counting(head) {
        match remaining.get_mut(&fingerprint(finding)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                unchanged.push(finding.clone());
            }
            _ => new.push(finding.clone()),
        }
    }
    let mut fixed = Vec::new();
    for finding in counting(base) {
        if let Some(n) = remaining.get_mut(&fingerprint(finding))
            && *n > 0
        {
            *n -= 1;
            fixed.push(finding.clone());
        }
    }
    Diff {
        new,
        fixed,
        unchanged,
    }
}

/// The findings of `head` that `base` does not have.
pub fn new_findings(base: &Report, head: &Report) -> Vec<Finding> {
    diff(base, head).new
}

fn counting(report: &Report) -> impl Iterator<Item = &Finding> {
    report.findings.iter().filter(|f| !f.suppressed)
}

impl Diff {
    /// True when a new finding is at or above `threshold` (any new finding when `None`).
    pub fn gate_reached(&self, threshold: Option<Severity>) -> bool {
        self.new
            .iter()
            .any(|f| threshold.is_none_or(|t| f.severity >= t))
    }

    /// A report of the new findings only, for the formats that render reports (SARIF, JUnit,
    /// HTML, …). Summary counts of files and objects are the head's.
    pub fn new_findings_report(&self, head: &Report) -> Report {
        let mut report = Report::new(&head.command, self.new.clone(), head.summary.clone());
        report.tool = head.tool.clone();
        report
    }

    /// Plain-text listing: new, then fixed, then a count of unchanged findings.
    pub fn write_text(&self, out: &mut dyn io::Write) -> io::Result<()> {
        for (title, findings) in [("New", &self.new), ("Fixed", &self.fixed)] {
            writeln!(out, "{title} findings: {}", findings.len())?;
            for finding in findings {
                writeln!(out, "  {}", one_line(finding))?;
            }
        }
        writeln!(out, "Unchanged findings: {}", self.unchanged.len())
    }

    /// Machine-readable diff: counts plus the new and fixed findings in the JSON report's
    /// finding format.
    pub fn write_json(&self, out: &mut dyn io::Write) -> io::Result<()> {
        let value = serde_json::json!({
            "summary": {
                "new": self.new.len(),
                "fixed": self.fixed.len(),
                "unchanged": self.unchanged.len(),
            },
            "new": self.new,
            "fixed": self.fixed,
        });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        out.write_all(b"\n")
    }

    /// Markdown for a pull-request comment.
    pub fn write_markdown(&self, out: &mut dyn io::Write) -> io::Result<()> {
        let mut md = String::new();
        let _ = writeln!(
            md,
            "## Palisade: {} new, {} fixed, {} unchanged\n",
            self.new.len(),
            self.fixed.len(),
            self.unchanged.len()
        );
        for (title, findings) in [("New findings", &self.new), ("Fixed findings", &self.fixed)] {
            if findings.is_empty() {
                continue;
            }
            let _ = writeln!(md, "### {title}\n");
            let _ = writeln!(md, "| Severity | Control | Resource | Location | Message |");
            let _ = writeln!(md, "|---|---|---|---|---|");
            // Most severe first, and few enough to fit a PR comment (65,536 characters).
            let mut sorted: Vec<&Finding> = findings.iter().collect();
            sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
            for f in sorted.iter().take(MARKDOWN_ROWS) {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {} |",
                    f.severity,
                    escape::markdown(&f.id),
                    escape::markdown(&target_name(f)),
                    escape::markdown(&position(f)),
                    escape::markdown(&f.message)
                );
            }
            if findings.len() > MARKDOWN_ROWS {
                let _ = writeln!(
                    md,
                    "\n…and {} more (see the JSON or SARIF output).",
                    findings.len() - MARKDOWN_ROWS
                );
            }
            md.push('\n');
        }
        out.write_all(md.as_bytes())
    }
}

/// `Kind/ns/name`, `package@version`, or empty.
pub(crate) fn target_name(finding: &Finding) -> String {
    if let Some(resource) = &finding.resource {
        resource.display_name()
    } else if let Some(package) = &finding.package {
        format!("{}@{}", package.name, package.version)
    } else {
        String::new()
    }
}

/// `path:line:column`, or empty when the finding has no location.
pub(crate) fn position(finding: &Finding) -> String {
    finding.location.as_ref().map_or_else(String::new, |l| {
        if l.line == 0 {
            l.path.clone()
        } else {
            format!("{}:{}:{}", l.path, l.line, l.column)
        }
    })
}

fn one_line(finding: &Finding) -> String {
    let mut line = format!(
        "{:<8} {:<10}",
        finding.severity.as_str().to_uppercase(),
        finding.id
    );
    let target = target_name(finding);
    if !target.is_empty() {
        let _ = write!(line, " {target}");
    }
    let position = position(finding);
    if !position.is_empty() {
        let _ = write!(line, " ({position})");
    }
    let _ = write!(line, ": {}", finding.message);
    line
}
