use palisade_core::{Finding, Location, PackageRef, ResourceRef, Severity};
use palisade_exceptions::{Date, Exceptions, ExceptionsError};
use serde_json::json;

fn today() -> Date {
    Date::parse("2026-06-15").unwrap()
}

fn control_finding(id: &str, slug: &str, kind: &str, ns: &str, name: &str, path: &str) -> Finding {
    let mut f = Finding::new(id.to_string(), Severity::High, "msg");
    f.slug = slug.to_string().into();
    std::sync::Arc::make_mut(&mut f.references).kubescape = vec!["C-0057".to_string()];
    f.resource = Some(std::sync::Arc::new(ResourceRef {
        api_version: "apps/v1".into(),
        kind: kind.into(),
        namespace: Some(ns.into()),
        name: Some(name.into()),
    }));
    f.location = Some(Location {
        path: path.into(),
        line: 3,
        column: 5,
        end_line: 3,
        end_column: 9,
        pointer: "/spec".into(),
        exact: true,
    });
    f
}

fn vuln_finding(id: &str, aliases: &[&str], package: &str) -> Finding {
    let mut f = Finding::new(id.to_string(), Severity::Critical, "vulnerable");
    f.aliases = aliases.iter().map(|s| (*s).to_string()).collect();
    f.package = Some(Box::new(PackageRef {
        ecosystem: "npm".parse().unwrap(),
        name: package.into(),
        version: "1.0.0".into(),
        purl: format!("pkg:npm/{package}@1.0.0"),
        source_name: None,
        source_version: None,
    }));
    f
}

#[test]
fn matches_by_id_slug_alias_and_resource_criteria() {
    let text = "\
exceptions:
  - controls: [privileged-container]
    namespaces: [\"kube-*\"]
    kinds: DaemonSet
    reason: CNI agents need privileges.
  - controls: C-0057
    names: [\"legacy-*\"]
    paths: [\"deploy/legacy/**\"]
    reason: Legacy app, retired in Q3.
    expires: 2026-09-30
  - vulnerabilities: [CVE-2021-23337]
    packages: lodash
    reason: template() not used.
";
    let exceptions = Exceptions::parse(text, ".palisade-exceptions.yaml").unwrap();
    assert_eq!(exceptions.entries().len(), 3);
    assert_eq!(exceptions.entries()[1].line(), 6);

    let mut cni = control_finding(
        "POD-001",
        "privileged-container",
        "DaemonSet",
        "kube-system",
        "calico",
        "a.yaml",
    );
    assert!(exceptions.suppress(&mut cni, None, today()));
    let suppression = cni.suppression.as_ref().unwrap();
    assert_eq!(suppression.kind, "exceptions-file");
    assert!(
        suppression.reason.contains("CNI agents"),
        "{}",
        suppression.reason
    );
    assert!(
        suppression.reason.contains(".palisade-exceptions.yaml:2"),
        "{}",
        suppression.reason
    );

    let mut wrong_ns = control_finding(
        "POD-001",
        "privileged-container",
        "DaemonSet",
        "default",
        "calico",
        "a.yaml",
    );
    assert!(!exceptions.suppress(&mut wrong_ns, None, today()));
    let mut wrong_kind = control_finding(
        "POD-001",
        "privileged-container",
        "Deployment",
        "kube-system",
        "x",
        "a.yaml",
    );
    assert!(!exceptions.suppress(&mut wrong_kind, None, today()));

    let mut legacy = control_finding(
        "POD-001",
        "privileged-container",
        "Deployment",
        "shop",
        "legacy-api",
        "./deploy/legacy/api/deploy.yaml",
    );
    assert!(
        exceptions.suppress(&mut legacy, None, today()),
        "Kubescape alias and ** path glob"
    );
    let mut legacy_elsewhere = control_finding(
        "POD-001",
        "privileged-container",
        "Deployment",
        "shop",
        "legacy-api",
        "deploy/other.yaml",
    );
    assert!(!exceptions.suppress(&mut legacy_elsewhere, None, today()));

    let mut lodash = vuln_finding("GHSA-35jh-r3h4-6jhm", &["CVE-2021-23337"], "lodash");
    assert!(
        exceptions.suppress(&mut lodash, None, today()),
        "matched through its alias"
    );
    let mut other_pkg = vuln_finding("GHSA-35jh-r3h4-6jhm", &["CVE-2021-23337"], "lodash-es");
    assert!(!exceptions.suppress(&mut other_pkg, None, today()));
}

#[test]
fn expired_entries_warn_and_stop_applying() {
    let text =
        "exceptions:\n  - controls: POD-001\n    reason: temporary\n    expires: 2026-06-14\n";
    let exceptions = Exceptions::parse(text, "x.yaml").unwrap();
    let mut f = control_finding("POD-001", "privileged-container", "Pod", "a", "b", "p.yaml");
    assert!(!exceptions.suppress(&mut f, None, today()));
    let warnings = exceptions.expired(today());
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, 2);
    assert!(warnings[0].to_string().contains("expired on 2026-06-14"));
    // The last day still applies.
    let on_the_day = Date::parse("2026-06-14").unwrap();
    assert!(exceptions.suppress(&mut f, None, on_the_day));
    assert!(exceptions.expired(on_the_day).is_empty());
}

#[test]
fn labels_need_every_key_and_known_labels() {
    let text =
        "exceptions:\n  - labels: {team: \"pay*\", tier: web}\n    reason: owned elsewhere\n";
    let exceptions = Exceptions::parse(text, "x.yaml").unwrap();
    let labels = json!({"team": "payments", "tier": "web"});
    let partial = json!({"team": "payments"});
    let mut f = control_finding(
        "WL-001",
        "memory-limit-missing",
        "Deployment",
        "a",
        "b",
        "p.yaml",
    );
    assert!(!exceptions.suppress(&mut f, partial.as_object(), today()));
    assert!(!exceptions.suppress(&mut f, None, today()));
    assert!(exceptions.suppress(&mut f, labels.as_object(), today()));
    // A suppressed finding keeps its first reason.
    assert!(!exceptions.suppress(&mut f, labels.as_object(), today()));
}

#[test]
fn invalid_files_are_errors_with_locations() {
    let cases = [
        ("exceptions:\n  - controls: POD-001\n", 2, "reason"),
        (
            "exceptions:\n  - controls: POD-001\n    reason: x\n    expires: next week\n",
            4,
            "YYYY-MM-DD",
        ),
        (
            "exceptions:\n  - controls: POD-001\n    reason: x\n    namspaces: [a]\n",
            4,
            "namspaces",
        ),
        ("exceptions:\n  - reason: everything\n", 2, "at least one"),
        (
            "exceptions:\n  - paths: [\"a/[\"]\n    reason: x\n",
            2,
            "invalid glob",
        ),
        ("exception: []\n", 1, "exception"),
        ("exceptions: [\n", 2, ""),
    ];
    for (text, line, needle) in cases {
        match Exceptions::parse(text, "ex.yaml") {
            Err(ExceptionsError::Invalid {
                path,
                line: got,
                message,
                ..
            }) => {
                assert_eq!(path, "ex.yaml");
                assert_eq!(got, line, "{text}: {message}");
                assert!(message.contains(needle), "{text}: {message}");
            }
            other => panic!("{text}: expected an error, got {other:?}"),
        }
    }
    let missing = Exceptions::load(std::path::Path::new("/nonexistent/ex.yaml")).unwrap_err();
    assert!(
        missing.to_string().contains("/nonexistent/ex.yaml"),
        "{missing}"
    );
}

#[test]
fn apply_counts_suppressions() {
    let exceptions = Exceptions::parse(
        "exceptions:\n  - kinds: [Job]\n    reason: batch jobs are reviewed separately\n",
        "x",
    )
    .unwrap();
    let mut findings = vec![
        control_finding("WL-001", "a", "Job", "n", "j", "p"),
        control_finding("WL-001", "a", "Deployment", "n", "d", "p"),
    ];
    assert_eq!(exceptions.apply(&mut findings, today()), 1);
    assert!(findings[0].suppressed && !findings[1].suppressed);
}
