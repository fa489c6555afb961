//! Prometheus text exposition format (version 0.0.4) of a scan: findings by severity, control
//! and namespace, scanned totals, and compliance and risk gauges when the report has scores.
//! Every sample is a gauge: a scan is a snapshot, not a running counter.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use palisade_core::{Report, Severity};

use crate::escape::prometheus_label as label;

/// Writes the metrics of `report`.
pub fn write_prometheus(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let mut text = String::new();
    let counting = || report.findings.iter().filter(|f| !f.suppressed);

    family(
        &mut text,
        "palisade_findings",
        "Findings that count (not suppressed), by severity.",
    );
    for severity in Severity::ALL {
        let n = report
            .summary
            .by_severity
            .get(&severity)
            .copied()
            .unwrap_or(0);
        let _ = writeln!(text, "palisade_findings{{severity=\"{severity}\"}} {n}");
    }

    family(
        &mut text,
        "palisade_findings_suppressed",
        "Findings silenced by an exception or annotation.",
    );
    let _ = writeln!(
        text,
        "palisade_findings_suppressed {}",
        report.summary.suppressed
    );

    let mut by_control: BTreeMap<(&str, &str, Severity), usize> = BTreeMap::new();
    for f in counting() {
        *by_control
            .entry((&*f.id, &*f.slug, f.severity))
            .or_default() += 1;
    }
    family(
        &mut text,
        "palisade_control_findings",
        "Findings that count, by control.",
    );
    for ((id, slug, severity), n) in &by_control {
        let _ = writeln!(
            text,
            "palisade_control_findings{{control=\"{}\",slug=\"{}\",severity=\"{severity}\"}} {n}",
            label(id),
            label(slug)
        );
    }

    let mut by_namespace: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for f in counting() {
        let Some(resource) = &f.resource else {
            continue;
        };
        let namespace = resource.namespace.as_deref().unwrap_or("");
        *by_namespace.entry((namespace, f.severity)).or_default() += 1;
    }
    family(
        &mut text,
        "palisade_namespace_findings",
        "Findings that count on Kubernetes objects, by namespace (empty: cluster-scoped or unset) and severity.",
    );
    for ((namespace, severity), n) in &by_namespace {
        let _ = writeln!(
            text,
            "palisade_namespace_findings{{namespace=\"{}\",severity=\"{severity}\"}} {n}",
            label(namespace)
        );
    }

    family(
        &mut text,
        "palisade_scanned_files",
        "Files read by the scan.",
    );
    let _ = writeln!(text, "palisade_scanned_files {}", report.summary.files);
    family(
        &mut text,
        "palisade_scanned_objects",
        "Objects (Kubernetes objects, packages) evaluated by the scan.",
    );
    let _ = writeln!(text, "palisade_scanned_objects {}", report.summary.objects);

    if let Some(scores) = &report.scores {
        family(
            &mut text,
            "palisade_compliance_ratio",
            "Mean compliance over every control that ran (0 to 1).",
        );
        let _ = writeln!(
            text,
            "palisade_compliance_ratio {}",
            ratio(scores.compliance)
        );
        family(
            &mut text,
            "palisade_risk_score",
            "Risk score: failed resources weighted by control severity (0 to 100).",
        );
        let _ = writeln!(text, "palisade_risk_score {}", number(scores.risk));
        family(
            &mut text,
            "palisade_framework_compliance_ratio",
            "Compliance of each framework (0 to 1).",
        );
        for framework in &scores.frameworks {
            let _ = writeln!(
                text,
                "palisade_framework_compliance_ratio{{framework=\"{}\"}} {}",
                label(&framework.id),
                ratio(framework.compliance)
            );
        }
        family(
            &mut text,
            "palisade_control_compliance_ratio",
            "Compliance of each control: passed / evaluated resources (0 to 1).",
        );
        for control in &scores.controls {
            let _ = writeln!(
                text,
                "palisade_control_compliance_ratio{{control=\"{}\",slug=\"{}\",severity=\"{}\"}} {}",
                label(&control.id),
                label(&control.slug),
                control.severity,
                ratio(control.compliance)
            );
        }
    }
    out.write_all(text.as_bytes())
}

fn family(text: &mut String, name: &str, help: &str) {
    let help = help.replace('\\', "\\\\").replace('\n', "\\n");
    let _ = writeln!(text, "# HELP {name} {help}");
    let _ = writeln!(text, "# TYPE {name} gauge");
}

fn ratio(percent: f64) -> String {
    number(percent / 100.0)
}

/// A sample value: finite numbers as Rust prints them, `NaN`/`+Inf`/`-Inf` spelled the way the
/// exposition format wants.
fn number(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_string()
    } else if value.is_infinite() {
        if value > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else {
        format!("{value}")
    }
}
