//! Every object and cross-resource control has a failing and a passing fixture under `tests/fixtures/<slug>/`.
//! The failing fixture's findings (with exact locations) are snapshot-tested; the passing one
//! must produce none.

mod support;

use std::path::Path;

use palisade_rules::{Check, PssVersion, Selection, all_controls};

fn fixture(slug: &str, name: &str) -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(slug)
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("control {slug} needs fixture {}: {e}", path.display()));
    (text, format!("{slug}/{name}.yaml"))
}

#[test]
fn every_control_fails_its_failing_fixture_with_located_findings() {
    for control in all_controls()
        .iter()
        .filter(|c| matches!(c.check, Check::Object(_)))
    {
        let selection = Selection::new(&[], &[control.id.to_string()], &[]).unwrap();
        let (text, path) = fixture(control.slug, "fail");
        let findings: Vec<_> = support::evaluate(&text, &path, &selection, PssVersion::latest())
            .into_iter()
            .filter(|f| f.id == control.id)
            .collect();
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
    for control in all_controls()
        .iter()
        .filter(|c| matches!(c.check, Check::Object(_)))
    {
        let selection = Selection::new(&[], &[control.id.to_string()], &[]).unwrap();
        let (text, path) = fixture(control.slug, "pass");
        let findings: Vec<_> = support::evaluate(&text, &path, &selection, PssVersion::latest())
            .into_iter()
            .filter(|f| f.id == control.id)
            .collect();
        assert!(
            findings.is_empty(),
            "{} fired on {path}:\n{}",
            control.id,
            support::render(&findings)
        );
    }
}
