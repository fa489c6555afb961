//! Every object and cross-resource control has a failing and a passing fixture under
//! `tests/fixtures/<slug>/`, and optionally a `params.yaml` with the control parameters both
//! run with. The failing fixture's findings (with exact locations) are snapshot-tested; the
//! passing one must produce none.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use palisade_core::Finding;
use palisade_rules::{Check, CheckContext, Control, Selection, all_controls};

fn fixture_dir(slug: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(slug)
}

fn fixture(slug: &str, name: &str) -> (String, String) {
    let path = fixture_dir(slug).join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("control {slug} needs fixture {}: {e}", path.display()));
    (text, format!("{slug}/{name}.yaml"))
}

/// Controls with a check of their own (the pipeline reports the file-level ones).
fn checked_controls() -> impl Iterator<Item = &'static Control> {
    all_controls()
        .iter()
        .copied()
        .filter(|c| matches!(c.check, Check::Object(_) | Check::Set(_)))
}

/// Findings of `control` alone on one of its fixtures, with its `params.yaml`.
fn run_fixture(control: &Control, name: &str) -> (Vec<Finding>, String) {
    let selection = Selection::new(&[], &[control.id.to_string()], &[]).unwrap();
    let ctx = CheckContext {
        params: Arc::new(support::fixture_params(&fixture_dir(control.slug))),
        signatures: support::fixture_signatures(&fixture_dir(control.slug)),
        ..CheckContext::default()
    };
    let (text, path) = fixture(control.slug, name);
    let findings = support::evaluate_with(&text, &path, &selection, &ctx)
        .into_iter()
        .filter(|f| f.id == control.id)
        .collect();
    (findings, path)
}

#[test]
fn every_control_fails_its_failing_fixture_with_located_findings() {
    for control in checked_controls() {
        let (findings, path) = run_fixture(control, "fail");
        assert!(
            !findings.is_empty(),
            "{} ({}) found nothing in {path}",
            control.id,
            control.slug
        );
        for finding in &findings {
            let loc = finding.location.as_ref().unwrap();
            assert_eq!(loc.path, path);
            assert!(loc.line >= 1 && loc.column >= 1);
            assert_eq!(finding.slug, control.slug);
        }
        insta::assert_snapshot!(format!("{}-fail", control.slug), support::render(&findings));
    }
}

#[test]
fn every_control_passes_its_passing_fixture() {
    for control in checked_controls() {
        let (findings, path) = run_fixture(control, "pass");
        assert!(
            findings.is_empty(),
            "{} fired on {path}:\n{}",
            control.id,
            support::render(&findings)
        );
    }
}

#[test]
fn parameterised_fixtures_need_their_parameters() {
    // A params.yaml must matter: the same failing fixture with default parameters finds
    // something different (for opt-in controls such as allowed registries: nothing).
    for control in checked_controls() {
        let dir = fixture_dir(control.slug);
        if !dir.join("params.yaml").exists() {
            continue;
        }
        let (tuned, _) = run_fixture(control, "fail");
        let selection = Selection::new(&[], &[control.id.to_string()], &[]).unwrap();
        let (text, path) = fixture(control.slug, "fail");
        let defaults: Vec<_> =
            support::evaluate_with(&text, &path, &selection, &CheckContext::default())
                .into_iter()
                .filter(|f| f.id == control.id)
                .collect();
        assert_ne!(
            support::render(&tuned),
            support::render(&defaults),
            "{}: params.yaml changes nothing",
            control.slug
        );
    }
}

#[test]
fn kubescape_aliases_select_the_equivalent_controls() {
    let selected = |alias: &str| -> Vec<&'static str> {
        let selection = Selection::new(&[], &[alias.to_string()], &[]).unwrap();
        selection
            .controls()
            .iter()
            .filter(|c| matches!(c.check, Check::Object(_) | Check::Set(_)))
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(selected("C-0214"), ["POD-002"]);
    assert_eq!(selected("C-0275"), ["POD-002"]);
    assert_eq!(selected("C-0215"), ["POD-003"]);
    assert_eq!(selected("C-0276"), ["POD-003"]);
    assert_eq!(selected("C-0216"), ["POD-004"]);
    assert_eq!(selected("C-0217"), ["POD-016"]);
    assert_eq!(selected("C-0218"), ["POD-017", "POD-018"]);
    assert_eq!(selected("C-0219"), ["POD-006", "POD-020"]);
    assert_eq!(selected("C-0220"), ["POD-020"]);
    assert_eq!(selected("C-0001"), ["IMG-005"]);
    assert_eq!(selected("C-0078"), ["IMG-004"]);
}

#[test]
fn every_fixture_and_snapshot_belongs_to_a_control() {
    let slugs: Vec<&str> = checked_controls().map(|c| c.slug).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in std::fs::read_dir(root.join("fixtures")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            slugs.contains(&name.as_str()),
            "fixtures/{name} has no control"
        );
    }
    for entry in std::fs::read_dir(root.join("snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(slug) = name
            .strip_prefix("controls__")
            .and_then(|n| n.strip_suffix("-fail.snap"))
        else {
            continue;
        };
        assert!(slugs.contains(&slug), "snapshots/{name} has no control");
    }
}

#[test]
fn kubescape_references_are_well_formed() {
    for control in all_controls() {
        for id in control.references.kubescape {
            let digits = id.strip_prefix("C-").unwrap_or_default();
            assert!(
                digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()),
                "{}: {id}",
                control.id
            );
        }
    }
}
