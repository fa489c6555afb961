//! `diff`: findings matched by fingerprint, counted as multisets, suppressed ones left out;
//! and the text, JSON and Markdown renderings of a diff.

mod common;

use palisade_core::{Report, ScanSummary, Severity};
use palisade_report::diff;

use common::sample_report;

fn shifted(report: &Report, lines: u32, rename_to: &str) -> Report {
    let mut moved = report.clone();
    for finding in &mut moved.findings {
        if let Some(location) = &mut finding.location {
            location.line += lines;
            location.end_line += lines;
            if finding.resource.is_some() {
                location.path = rename_to.to_string();
            }
        }
    }
    moved
}

#[test]
fn moved_and_renamed_findings_are_unchanged() {
    let base = sample_report("deploy/web.yaml");
    let head = shifted(&base, 12, "k8s/storefront.yaml");
    let d = diff(&base, &head);
    assert!(d.new.is_empty(), "{:?}", d.new);
    assert!(d.fixed.is_empty());
    assert_eq!(d.unchanged.len(), base.summary.total);
    assert!(!d.gate_reached(None));
}

#[test]
fn new_and_fixed_are_told_apart() {
    let base = sample_report("web.yaml");
    let mut head = base.clone();
    let fixed_id = "IMG-001";
    head.findings.retain(|f| f.id != fixed_id);
    let mut added = base
        .findings
        .iter()
        .find(|f| f.id == "POD-016")
        .unwrap()
        .clone();
    added.id = "POD-002".into();
    added.slug = "host-pid".into();
    added.severity = Severity::High;
    added.location.as_mut().unwrap().pointer = "/spec/template/spec/hostPID".into();
    head.findings.push(added);
    let head = Report::new("scan", head.findings, ScanSummary::default());

    let d = diff(&base, &head);
    assert_eq!(
        d.new.iter().map(|f| &*f.id).collect::<Vec<_>>(),
        ["POD-002"]
    );
    assert_eq!(
        d.fixed.iter().map(|f| &*f.id).collect::<Vec<_>>(),
        [fixed_id]
    );
    assert!(d.gate_reached(Some(Severity::High)));
    assert!(!d.gate_reached(Some(Severity::Critical)));
    assert_eq!(
        palisade_report::new_findings(&base, &head).len(),
        1,
        "new_findings agrees with diff"
    );
}

#[test]
fn duplicates_count_and_suppressed_findings_do_not() {
    let base = sample_report("web.yaml");
    let mut head = base.clone();
    // The same finding twice in head: one unchanged, one new.
    let twin = head
        .findings
        .iter()
        .find(|f| f.id == "POD-016")
        .unwrap()
        .clone();
    head.findings.push(twin);
    // A finding suppressed in head is fixed, not unchanged.
    let img = head
        .findings
        .iter_mut()
        .find(|f| f.id == "IMG-001")
        .unwrap();
    img.suppressed = true;
    let d = diff(&base, &head);
    assert_eq!(
        d.new.iter().map(|f| &*f.id).collect::<Vec<_>>(),
        ["POD-016"]
    );
    assert_eq!(
        d.fixed.iter().map(|f| &*f.id).collect::<Vec<_>>(),
        ["IMG-001"]
    );
    // Base's suppressed findings never show up as fixed.
    assert!(d.fixed.iter().all(|f| !f.suppressed));
}

#[test]
fn renders_text_json_and_markdown() {
    let base = sample_report("web.yaml");
    let mut head = base.clone();
    head.findings.retain(|f| f.id != "IMG-001");
    let d = diff(&base, &head);

    let mut text = Vec::new();
    d.write_text(&mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.starts_with("New findings: 0\nFixed findings: 1\n"),
        "{text}"
    );
    assert!(
        text.contains("IMG-001") && text.contains("(web.yaml:11:18)"),
        "{text}"
    );

    let mut json = Vec::new();
    d.write_json(&mut json).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["summary"]["fixed"], 1);
    assert_eq!(json["fixed"][0]["id"], "IMG-001");
    assert_eq!(json["new"], serde_json::json!([]));

    let mut md = Vec::new();
    d.write_markdown(&mut md).unwrap();
    let md = String::from_utf8(md).unwrap();
    assert!(
        md.starts_with("## Palisade: 0 new, 1 fixed, 4 unchanged"),
        "{md}"
    );
    assert!(md.contains("### Fixed findings") && !md.contains("### New findings"));
    assert!(md.contains("image &lt;nginx:latest&gt;"));

    let report = d.new_findings_report(&head);
    assert!(report.findings.is_empty());
    assert_eq!(report.summary.files, head.summary.files);
}

#[test]
fn markdown_lists_the_most_severe_first_and_caps_the_rows() {
    let base = Report::new("scan", vec![], ScanSummary::default());
    let template = sample_report("web.yaml")
        .findings
        .into_iter()
        .find(|f| f.id == "IMG-001")
        .unwrap();
    let mut findings: Vec<_> = (0..120)
        .map(|i| {
            let mut f = template.clone();
            std::sync::Arc::make_mut(f.resource.as_mut().unwrap()).name = Some(format!("web-{i}"));
            f
        })
        .collect();
    let mut worst = template.clone();
    worst.severity = Severity::Critical;
    std::sync::Arc::make_mut(worst.resource.as_mut().unwrap()).name = Some("worst".into());
    findings.push(worst);
    let head = Report::new("scan", findings, ScanSummary::default());
    let mut md = Vec::new();
    diff(&base, &head).write_markdown(&mut md).unwrap();
    let md = String::from_utf8(md).unwrap();
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).skip(1).collect();
    assert_eq!(rows.len(), 50);
    assert!(rows[0].contains("Deployment/shop/worst"), "{}", rows[0]);
    assert!(md.contains("…and 71 more"));
}
