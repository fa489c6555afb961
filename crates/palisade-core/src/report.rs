use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Finding, Scores, Severity};

/// Version of the JSON report format (`docs/report-format.md`, `schemas/report.schema.json`).
/// Bumped on any incompatible change.
pub const REPORT_SCHEMA_VERSION: &str = "1.0";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

/// Counts that describe what a scan looked at and what it found.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScanSummary {
    /// Files read (manifests, lock files, …).
    pub files: usize,
    /// Objects evaluated (Kubernetes objects, packages, …).
    pub objects: usize,
    /// YAML documents that are not Kubernetes objects (no apiVersion/kind), skipped.
    pub skipped_documents: usize,
    /// Findings that count (not suppressed), by severity.
    pub by_severity: BTreeMap<Severity, usize>,
    /// Findings that count (not suppressed).
    pub total: usize,
    /// Findings silenced by an exception or annotation.
    pub suppressed: usize,
}

/// The result of one scan: every finding plus a summary. Every output format renders this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: String,
    pub tool: ToolInfo,
    /// `scan`, `cluster`, `image`, `deps`, …
    pub command: String,
    pub findings: Vec<Finding>,
    pub summary: ScanSummary,
    /// Compliance and risk scores (misconfiguration scans only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<Scores>,
}

/// Sorts findings into reading order. Positions are sorted, then the findings are moved into
/// place along the permutation's cycles: each (large) finding moves once, in place.
fn sort_reading_order(findings: &mut [Finding]) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| findings[a].cmp_reading_order(&findings[b]));
    // `order[k]` is the finding that belongs at position k.
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            findings.swap(at, from);
            at = from;
        }
    }
}

impl Report {
    /// Builds a report, sorting findings into reading order and computing the severity counts.
    pub fn new(command: &str, mut findings: Vec<Finding>, mut summary: ScanSummary) -> Self {
        sort_reading_order(&mut findings);
        summary.by_severity = Severity::ALL.iter().map(|s| (*s, 0)).collect();
        summary.total = 0;
        summary.suppressed = 0;
        for finding in &findings {
            if finding.suppressed {
                summary.suppressed += 1;
            } else {
                summary.total += 1;
                *summary.by_severity.entry(finding.severity).or_default() += 1;
            }
        }
        Report {
            schema_version: REPORT_SCHEMA_VERSION.to_string(),
            tool: ToolInfo {
                name: "palisade".to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            command: command.to_string(),
            findings,
            summary,
            scores: None,
        }
    }

    /// The highest severity among findings that count.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings
            .iter()
            .filter(|f| !f.suppressed)
            .map(|f| f.severity)
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;

    #[test]
    fn findings_are_sorted_into_reading_order_in_place() {
        // Several permutation cycles and ties broken by id.
        let places = [
            ("b.yaml", 3, "X"),
            ("a.yaml", 9, "X"),
            ("b.yaml", 1, "Y"),
            ("a.yaml", 1, "Z"),
            ("a.yaml", 1, "A"),
            ("c.yaml", 2, "X"),
        ];
        let mut findings: Vec<Finding> = places
            .iter()
            .map(|(path, line, id)| {
                let mut f = Finding::new(*id, Severity::Low, "m");
                f.location = Some(Location::at(*path, *line, 1));
                f
            })
            .collect();
        sort_reading_order(&mut findings);
        let got: Vec<(String, u32, String)> = findings
            .iter()
            .map(|f| {
                let l = f.location.as_ref().unwrap();
                (l.path.clone(), l.line, f.id.to_string())
            })
            .collect();
        let mut want: Vec<(String, u32, String)> = places
            .iter()
            .map(|(p, l, i)| ((*p).to_string(), *l, (*i).to_string()))
            .collect();
        want.sort();
        assert_eq!(got, want);
    }
}
