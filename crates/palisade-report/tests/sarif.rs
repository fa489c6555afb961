//! SARIF output: valid against the official OASIS SARIF 2.1.0 schema, with rules, full regions,
//! root-relative URIs, line-independent fingerprints and suppressions.

mod common;

use std::path::Path;

use palisade_core::{Report, Severity};
use palisade_report::{Format, RenderOptions, RuleDoc};
use serde_json::Value;

use common::{render_with, sample_report, write_manifest};

fn sarif(report: &Report, options: RenderOptions<'_>) -> Value {
    serde_json::from_str(&render_with(Format::Sarif, report, options)).unwrap()
}

fn assert_valid_sarif(log: &Value) {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

fn catalog(id: &str) -> Option<RuleDoc> {
    (id == "POD-001").then(|| RuleDoc {
        id: "POD-001".into(),
        slug: "privileged-container".into(),
        title: "Privileged container".into(),
        severity: Severity::Critical,
        category: "pod-security".into(),
        frameworks: vec!["pss-baseline".into(), "nsa".into()],
        docs: "## What it checks\n\nContainers running privileged.\n\n## How to fix\n\nRemove it."
            .into(),
        remediation: "Remove privileged: true.".into(),
        help_uri: Some(
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/".into(),
        ),
    })
}

fn results_by_rule<'a>(log: &'a Value, rule: &str) -> Vec<&'a Value> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == rule)
        .collect()
}

#[test]
fn validates_against_the_official_schema() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write_manifest(dir.path());
    let report = sample_report(&manifest);
    let log = sarif(
        &report,
        RenderOptions {
            sarif_root: Some(dir.path()),
            rule_docs: Some(catalog),
            ..RenderOptions::default()
        },
    );
    assert_valid_sarif(&log);
    assert_eq!(log["version"], "2.1.0");
    // An empty report is valid too.
    let empty = Report::new("scan", vec![], palisade_core::ScanSummary::default());
    assert_valid_sarif(&sarif(&empty, RenderOptions::default()));
}

#[test]
fn one_documented_rule_per_control_and_advisory() {
    let dir = tempfile::tempdir().unwrap();
    let report = sample_report(&write_manifest(dir.path()));
    let log = sarif(
        &report,
        RenderOptions {
            rule_docs: Some(catalog),
            ..RenderOptions::default()
        },
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "GHSA-jf85-cpcp-j695",
            "IMG-001",
            "NET-001",
            "POD-001",
            "POD-016",
            "RBAC-001"
        ]
    );
    let pod001 = &rules[3];
    assert_eq!(pod001["name"], "privileged-container");
    assert_eq!(pod001["shortDescription"]["text"], "Privileged container");
    assert_eq!(
        pod001["fullDescription"]["text"],
        "Containers running privileged."
    );
    assert!(
        pod001["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## How to fix")
    );
    assert_eq!(
        pod001["helpUri"],
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
    );
    assert_eq!(pod001["properties"]["security-severity"], "9.5");
    let tags = pod001["properties"]["tags"].as_array().unwrap();
    for tag in ["security", "pod-security", "pss-baseline", "nsa"] {
        assert!(tags.iter().any(|t| t == tag), "missing tag {tag}");
    }
    // Without catalog docs the rule is described from the finding.
    let advisory = &rules[0];
    assert_eq!(
        advisory["helpUri"],
        "https://osv.dev/vulnerability/GHSA-jf85-cpcp-j695"
    );
    assert_eq!(
        advisory["shortDescription"]["text"],
        "Prototype pollution in lodash"
    );
    assert_eq!(advisory["properties"]["security-severity"], "8.0");
    // Every result points at its rule by index.
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn locations_are_relative_with_full_regions() {
    let dir = tempfile::tempdir().unwrap();
    let report = sample_report(&write_manifest(dir.path()));
    let log = sarif(
        &report,
        RenderOptions {
            sarif_root: Some(dir.path()),
            ..RenderOptions::default()
        },
    );
    let root_uri = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(root_uri.starts_with("file:///") && root_uri.ends_with('/'));

    let privileged = results_by_rule(&log, "POD-001")
        .into_iter()
        .find(|r| r.get("suppressions").is_none())
        .unwrap();
    let physical = &privileged["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "web.yaml");
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        physical["region"],
        serde_json::json!({"startLine": 13, "endLine": 13, "startColumn": 25, "endColumn": 29})
    );
    assert_eq!(
        privileged["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "Deployment/shop/web"
    );
    assert_eq!(privileged["level"], "error");
    assert!(
        privileged["message"]["text"]
            .as_str()
            .unwrap()
            .contains("found: privileged: true")
    );

    // Multi-line region of an inexact location (missing field → its parent's range).
    let run_as = results_by_rule(&log, "POD-016")[0];
    let region = &run_as["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 12);
    assert_eq!(region["endLine"], 13);

    // A file outside the root gets an absolute URI.
    let outside = results_by_rule(&log, "NET-001")[0];
    let uri = outside["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("deploy/agent.yaml"),
        "{uri}"
    );

    // No line known: no region at all, never a made-up line 1.
    let cluster = results_by_rule(&log, "RBAC-001")[0];
    assert!(cluster["locations"][0].get("physicalLocation").is_none());
    assert_eq!(
        cluster["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "ClusterRoleBinding/deployer-admin"
    );
}

#[test]
fn relative_root_resolves_against_the_current_directory() {
    let report = sample_report("k8s/web.yaml");
    let log = sarif(
        &report,
        RenderOptions {
            sarif_root: Some(Path::new("k8s")),
            ..RenderOptions::default()
        },
    );
    let result = results_by_rule(&log, "IMG-001")[0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "web.yaml"
    );
}

#[test]
fn fingerprints_survive_line_shifts_and_renames() {
    let before = sample_report("deploy/web.yaml");
    let mut after = before.clone();
    for finding in &mut after.findings {
        if let Some(location) = &mut finding.location {
            location.line += 7;
            location.end_line += 7;
            if location.path == "deploy/web.yaml" {
                location.path = "manifests/storefront.yaml".into();
            }
        }
    }
    let fingerprints = |report: &Report| -> Vec<String> {
        let log = sarif(report, RenderOptions::default());
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["palisade/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let (a, b) = (fingerprints(&before), fingerprints(&after));
    assert_eq!(a, b);
    let unique: std::collections::HashSet<&String> = a.iter().collect();
    assert_eq!(
        unique.len(),
        a.len(),
        "fingerprints must tell findings apart"
    );
}

#[test]
fn suppressed_findings_carry_suppressions() {
    let log = sarif(&sample_report("web.yaml"), RenderOptions::default());
    let pod001 = results_by_rule(&log, "POD-001");
    let annotated = pod001
        .iter()
        .find(|r| r.get("suppressions").is_some())
        .unwrap();
    assert_eq!(
        annotated["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "node agent needs host access"}])
    );
    let excepted = results_by_rule(&log, "NET-001")[0];
    assert_eq!(excepted["suppressions"][0]["kind"], "external");
    assert_eq!(
        excepted["suppressions"][0]["justification"],
        "tracked in SEC-42"
    );
    let open = pod001
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .count();
    assert_eq!(open, 1);
}

#[test]
fn baseline_marks_new_and_unchanged_results() {
    let head = sample_report("web.yaml");
    let mut base = head.clone();
    base.findings.retain(|f| f.id != "IMG-001");
    let log = sarif(
        &head,
        RenderOptions {
            baseline: Some(&base),
            ..RenderOptions::default()
        },
    );
    assert_valid_sarif(&log);
    assert_eq!(results_by_rule(&log, "IMG-001")[0]["baselineState"], "new");
    assert_eq!(
        results_by_rule(&log, "POD-016")[0]["baselineState"],
        "unchanged"
    );
}

#[test]
fn streamed_log_equals_the_value() {
    let report = sample_report("web.yaml");
    let base = {
        let mut base = report.clone();
        base.findings.truncate(3);
        base
    };
    let options = RenderOptions {
        baseline: Some(&base),
        rule_docs: Some(catalog),
        ..RenderOptions::default()
    };
    let streamed = sarif(&report, options);
    let value = palisade_report::sarif_log(&report, &options).unwrap();
    assert_eq!(streamed, value);
}
