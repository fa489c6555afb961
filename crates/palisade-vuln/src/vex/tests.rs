use palisade_core::{Ecosystem, Finding, PackageRef, Severity};

use super::{PurlKey, Vex, VexError};

fn finding(id: &str, aliases: &[&str], purl: &str) -> Finding {
    let mut f = Finding::new(id.to_string(), Severity::High, "vulnerable");
    f.aliases = aliases.iter().map(ToString::to_string).collect();
    f.package = Some(Box::new(PackageRef {
        ecosystem: Ecosystem::Npm,
        name: "lodash".into(),
        version: "4.17.15".into(),
        purl: purl.into(),
        source_name: None,
        source_version: None,
    }));
    f
}

const CURRENT: &str = r#"{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/1",
  "author": "Platform team",
  "timestamp": "2026-01-10T12:00:00Z",
  "version": 1,
  "statements": [
    {
      "vulnerability": {"name": "CVE-2020-8203", "aliases": ["GHSA-p6mc-m468-83gw"]},
      "products": [{"@id": "pkg:oci/app", "subcomponents": [{"@id": "pkg:npm/lodash@4.17.15"}]}],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path"
    },
    {
      "vulnerability": {"name": "CVE-2021-23337"},
      "products": [{"@id": "pkg:npm/lodash"}],
      "status": "under_investigation"
    }
  ]
}"#;

#[test]
fn not_affected_statement_suppresses_through_an_alias_and_a_subcomponent() {
    let vex = Vex::parse(CURRENT.as_bytes(), "app.vex.json").unwrap();
    let mut findings = vec![
        finding(
            "GHSA-p6mc-m468-83gw",
            &["CVE-2020-8203"],
            "pkg:npm/lodash@4.17.15",
        ),
        finding(
            "GHSA-35jh-r3h4-6jhm",
            &["CVE-2021-23337"],
            "pkg:npm/lodash@4.17.15",
        ),
    ];
    assert_eq!(vex.apply(&mut findings), 1);
    assert!(findings[0].suppressed);
    let suppression = findings[0].suppression.as_ref().unwrap();
    assert_eq!(suppression.kind, "vex");
    assert_eq!(
        suppression.reason,
        "VEX not_affected: vulnerable_code_not_in_execute_path (app.vex.json)"
    );
    assert!(
        !findings[1].suppressed,
        "under_investigation keeps it counted"
    );
}

#[test]
fn product_version_must_match_when_given() {
    let vex = Vex::parse(CURRENT.as_bytes(), "app.vex.json").unwrap();
    let mut findings = vec![finding(
        "GHSA-p6mc-m468-83gw",
        &["CVE-2020-8203"],
        "pkg:npm/lodash@4.17.11",
    )];
    assert_eq!(vex.apply(&mut findings), 0);
}

#[test]
fn legacy_layout_and_later_statements_override_earlier_ones() {
    let doc = r#"{"statements": [
        {"vulnerability": "CVE-2020-8203", "products": ["pkg:npm/lodash"], "status": "fixed",
         "impact_statement": "patched in our fork"},
        {"vulnerability": "CVE-2020-8203", "products": ["pkg:npm/lodash@4.17.15?repository_url=x"],
         "status": "affected"}
    ]}"#;
    let vex = Vex::parse(doc.as_bytes(), "old.json").unwrap();
    let mut findings = vec![finding("CVE-2020-8203", &[], "pkg:npm/lodash@4.17.15")];
    assert_eq!(
        vex.apply(&mut findings),
        0,
        "the later `affected` statement wins"
    );
    let mut other = vec![finding("CVE-2020-8203", &[], "pkg:npm/lodash@4.17.10")];
    assert_eq!(vex.apply(&mut other), 1);
    assert_eq!(
        other[0].suppression.as_ref().unwrap().reason,
        "VEX fixed: patched in our fork (old.json)"
    );
}

#[test]
fn scoped_and_encoded_purls_compare_equal() {
    let a = PurlKey::parse("pkg:npm/%40babel/core@7.0.0").unwrap();
    let b = PurlKey::parse("pkg:NPM/@babel/core@7.0.0?x=y#sub").unwrap();
    assert_eq!(a, b);
    let unversioned = PurlKey::parse("pkg:npm/%40babel/core").unwrap();
    assert!(unversioned.covers(&a));
    assert!(!a.covers(&PurlKey::parse("pkg:npm/@babel/core@7.0.1").unwrap()));
}

#[test]
fn bad_documents_name_the_place() {
    let err = Vex::parse(b"{\n  \"statements\": [\n", "v.json").unwrap_err();
    assert!(matches!(err, VexError::Syntax { line: 3, .. }), "{err}");
    let err = Vex::parse(
        br#"{"statements": [{"vulnerability": "CVE-1", "products": [], "status": "maybe"}]}"#,
        "v.json",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "v.json: statement 0: unknown status `maybe`"
    );
}
