//! JUnit XML, the test-report format every CI server displays: one `testsuite` per control,
//! one `testcase` per resource (or package) the control reported, with a `failure` listing
//! every finding on it (location, message, evidence, remediation).
//!
//! Suppressed findings become `skipped` test cases. When the report carries scores, each
//! control's suite also gets one passing test case standing for the resources that passed
//! (the report does not name them) and `properties` with the control's compliance.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io;

use palisade_core::{ControlScore, Finding, Report};

use crate::diff::{position, target_name};
use crate::escape::xml;

/// One test case: the findings of one control on one resource.
struct Case<'a> {
    classname: String,
    name: String,
    findings: Vec<&'a Finding>,
}

impl Case<'_> {
    fn failed(&self) -> bool {
        self.findings.iter().any(|f| !f.suppressed)
    }
}

struct Suite<'a> {
    id: &'a str,
    slug: &'a str,
    cases: Vec<Case<'a>>,
    /// Position in `cases` of each (classname, name).
    index: HashMap<(String, String), usize>,
    score: Option<&'a ControlScore>,
}

impl Suite<'_> {
    /// Resources that passed without any finding (known from the scores only).
    fn passed_without_findings(&self) -> usize {
        self.score
            .map_or(0, |s| s.passed.saturating_sub(s.suppressed))
    }

    /// (tests, failures, skipped) as written.
    fn counts(&self) -> (usize, usize, usize) {
        let failures = self.cases.iter().filter(|c| c.failed()).count();
        let skipped = self.cases.len() - failures;
        let tests = self.cases.len() + usize::from(self.passed_without_findings() > 0);
        (tests, failures, skipped)
    }
}

/// Writes the JUnit XML report.
pub fn write_junit(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let suites = suites(report);
    let (total_tests, total_failures) = suites
        .iter()
        .map(Suite::counts)
        .fold((0, 0), |(t, f), (tests, failures, _)| {
            (t + tests, f + failures)
        });
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"palisade {}\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\">\n",
        xml(&report.command)
    )?;
    // One suite at a time: reports can be large.
    let mut body = String::new();
    for suite in &suites {
        body.clear();
        write_suite(suite, &mut body);
        out.write_all(body.as_bytes())?;
    }
    out.write_all(b"</testsuites>\n")
}

fn suites(report: &Report) -> Vec<Suite<'_>> {
    let mut by_control: BTreeMap<&str, Suite<'_>> = BTreeMap::new();
    for finding in &report.findings {
        let suite = by_control.entry(&*finding.id).or_insert_with(|| Suite {
            id: &finding.id,
            slug: &finding.slug,
            cases: Vec::new(),
            index: HashMap::new(),
            score: None,
        });
        let classname = finding
            .location
            .as_ref()
            .map_or_else(|| "(no file)".to_string(), |l| l.path.clone());
        let mut name = target_name(finding);
        if name.is_empty() {
            name.clone_from(&classname);
        }
        match suite.index.entry((classname, name)) {
            Entry::Occupied(at) => suite.cases[*at.get()].findings.push(finding),
            Entry::Vacant(slot) => {
                let (classname, name) = slot.key().clone();
                slot.insert(suite.cases.len());
                suite.cases.push(Case {
                    classname,
                    name,
                    findings: vec![finding],
                });
            }
        }
    }
    if let Some(scores) = &report.scores {
        for score in &scores.controls {
            by_control
                .entry(score.id.as_str())
                .or_insert_with(|| Suite {
                    id: &score.id,
                    slug: &score.slug,
                    cases: Vec::new(),
                    index: HashMap::new(),
                    score: None,
                })
                .score = Some(score);
        }
    }
    by_control.into_values().collect()
}

/// Appends one `testsuite`.
fn write_suite(suite: &Suite<'_>, out: &mut String) {
    let (tests, failures, skipped) = suite.counts();
    let passed_without_findings = suite.passed_without_findings();
    let name = if suite.slug.is_empty() {
        suite.id.to_string()
    } else {
        format!("{} {}", suite.id, suite.slug)
    };
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
        xml(&name)
    );
    let severity = suite
        .cases
        .first()
        .and_then(|c| c.findings.first())
        .map(|f| f.severity)
        .or(suite.score.map(|s| s.severity));
    out.push_str("    <properties>\n");
    property(out, "control", suite.id);
    if let Some(severity) = severity {
        property(out, "severity", severity.as_str());
    }
    if let Some(score) = suite.score {
        property(out, "compliance", &format!("{:.1}", score.compliance));
        property(out, "resources.passed", &score.passed.to_string());
        property(out, "resources.failed", &score.failed.to_string());
        property(out, "resources.suppressed", &score.suppressed.to_string());
    }
    out.push_str("    </properties>\n");
    for case in &suite.cases {
        write_case(case, out);
    }
    if passed_without_findings > 0 {
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"{passed_without_findings} resource{} without findings\"/>",
            xml(suite.id),
            if passed_without_findings == 1 {
                ""
            } else {
                "s"
            }
        );
    }
    out.push_str("  </testsuite>\n");
}

fn property(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(
        out,
        "      <property name=\"{}\" value=\"{}\"/>",
        xml(name),
        xml(value)
    );
}

fn write_case(case: &Case<'_>, out: &mut String) {
    let _ = writeln!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\">",
        xml(&case.classname),
        xml(&case.name)
    );
    let counting: Vec<&Finding> = case
        .findings
        .iter()
        .copied()
        .filter(|f| !f.suppressed)
        .collect();
    if let Some(first) = counting.first() {
        let mut text = String::new();
        for finding in &counting {
            describe(finding, &mut text);
        }
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            first.severity,
            xml(&first.message),
            xml(&text)
        );
    } else {
        let reason = case
            .findings
            .iter()
            .find_map(|f| f.suppression.as_ref())
            .map_or_else(
                || "suppressed".to_string(),
                |s| format!("suppressed ({}): {}", s.kind, s.reason),
            );
        let _ = writeln!(out, "      <skipped message=\"{}\"/>", xml(&reason));
    }
    out.push_str("    </testcase>\n");
}

fn describe(finding: &Finding, text: &mut String) {
    let position = position(finding);
    let _ = writeln!(
        text,
        "{} [{}] {}",
        if position.is_empty() {
            "(no location)"
        } else {
            &position
        },
        finding.severity,
        finding.message
    );
    if let Some(pointer) = finding.location.as_ref().map(|l| &l.pointer)
        && !pointer.is_empty()
    {
        let _ = writeln!(text, "  field: {pointer}");
    }
    if let Some(evidence) = &finding.evidence {
        let _ = writeln!(text, "  found: {evidence}");
    }
    if !finding.remediation.is_empty() {
        let _ = writeln!(text, "  fix: {}", finding.remediation);
    }
}
