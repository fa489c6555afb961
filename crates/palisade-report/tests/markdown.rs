//! The Markdown summary: verdict, counts, scores, top findings with file:line, escaping.

mod common;

use palisade_report::{Format, RenderOptions};

use common::{render, render_with, sample_report};

#[test]
fn summarises_counts_scores_and_top_findings() {
    let md = render(Format::Markdown, &sample_report("k8s/web.yaml"));
    assert!(
        md.starts_with("## Palisade scan: 5 findings (highest: critical)\n"),
        "{md}"
    );
    assert!(md.contains("| critical | 2 |"));
    assert!(md.contains("| medium | 1 |"));
    assert!(md.contains("2 suppressed finding(s)"));
    assert!(
        md.contains("**Compliance**: 62.5% · **Risk score**: 41.2 / 100"),
        "{md}"
    );
    assert!(md.contains("| Pod Security Standards: Baseline | 75.0% | 1 / 14 |"));
    // Escaped: quotes are fine, angle brackets are not HTML.
    assert!(md.contains("| NSA-CISA \"Hardening\" &lt;Guidance&gt; | 50.0% | 4 / 20 |"));
    let top = md.split("### Top findings").nth(1).expect("top findings");
    let rows: Vec<&str> = top
        .lines()
        .filter(|l| l.starts_with("| "))
        .skip(1)
        .collect();
    assert_eq!(rows.len(), 5, "suppressed findings are not listed:\n{top}");
    assert!(rows[0].starts_with("| critical |"));
    assert!(rows[4].starts_with("| medium |"));
    assert!(top.contains("`k8s/web.yaml:13:25`"));
    assert!(top.contains("`app/package-lock.json:42:5`"));
    assert!(top.contains("image &lt;nginx:latest&gt; uses a floating tag &amp; \"quotes\""));
    assert!(
        top.contains("POD-001 privileged\\-container")
            || top.contains("POD-001 privileged-container")
    );
}

#[test]
fn counts_new_findings_against_a_baseline() {
    let head = sample_report("k8s/web.yaml");
    let mut base = head.clone();
    base.findings.retain(|f| f.id != "POD-016");
    let md = render_with(
        Format::Markdown,
        &head,
        RenderOptions {
            baseline: Some(&base),
            ..RenderOptions::default()
        },
    );
    assert!(
        md.contains("Against the baseline: **1 new**, 0 fixed, 4 unchanged."),
        "{md}"
    );
}

#[test]
fn clean_report_says_so() {
    let empty = palisade_core::Report::new("scan", vec![], palisade_core::ScanSummary::default());
    let md = render(Format::Markdown, &empty);
    assert!(md.starts_with("## Palisade scan: no findings\n"));
    assert!(!md.contains("Top findings"));
}

#[test]
fn pipes_in_paths_do_not_break_the_table() {
    let report = sample_report("odd|name.yaml");
    let md = render(Format::Markdown, &report);
    let row = md
        .lines()
        .find(|l| l.contains("odd"))
        .expect("row with the path");
    assert!(row.contains("`odd\\|name.yaml:13:25`"), "{row}");
    // Five cells: six unescaped pipes.
    let unescaped = row.replace("\\|", "");
    assert_eq!(unescaped.matches('|').count(), 6, "{row}");
}
