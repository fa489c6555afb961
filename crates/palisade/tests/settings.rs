//! Settings file, exceptions, ignore annotations, namespaces, scores and the compliance gate,
//! as a user drives them from the command line.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use serde_json::Value;

const PRIVILEGED: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\n  namespace: kube-system\n  labels:\n    team: platform\nspec:\n  containers:\n    - name: c\n      image: x\n      securityContext:\n        privileged: true\n";

const ANNOTATED: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cni\n  namespace: net\nspec:\n  selector: {matchLabels: {app: cni}}\n  template:\n    metadata:\n      labels: {app: cni}\n      annotations:\n        palisade.dev/ignore: \"privileged-container, C-0038 no-such-control\"\n        palisade.dev/ignore-reason: CNI agent needs the host\n    spec:\n      hostPID: true\n      containers:\n        - name: c\n          image: x\n          securityContext:\n            privileged: true\n";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn findings<'a>(report: &'a Value, id: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .collect()
}

#[test]
fn ignore_annotations_suppress_and_unknown_names_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cni.yaml", ANNOTATED);
    let out = palisade(
        &["scan", "cni.yaml", "-f", "json", "--no-config"],
        dir.path(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json_report(&out);
    validate_report(&report);
    let privileged = findings(&report, "POD-001");
    assert_eq!(privileged.len(), 1);
    assert_eq!(privileged[0]["suppressed"], true);
    assert_eq!(privileged[0]["suppression"]["kind"], "annotation");
    assert_eq!(
        privileged[0]["suppression"]["reason"],
        "CNI agent needs the host"
    );
    // C-0038 is Kubescape's host PID/IPC control: the alias suppresses host-pid.
    assert_eq!(findings(&report, "POD-002")[0]["suppressed"], true);
    let unknown = findings(&report, "FILE-004");
    assert_eq!(unknown.len(), 1, "{report:#}");
    assert!(
        unknown[0]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-control")
    );
    assert_eq!(unknown[0]["location"]["line"], 12);
    assert_eq!(unknown[0]["suppressed"], false);
    assert_eq!(report["summary"]["suppressed"], 2);

    // The table counts suppressed findings, and lists them on request.
    let table = stdout(&palisade(&["scan", "cni.yaml", "--no-config"], dir.path()));
    assert!(table.contains("2 suppressed"), "{table}");
    assert!(!table.contains("POD-001"), "{table}");
    let shown = stdout(&palisade(
        &["scan", "cni.yaml", "--no-config", "--show-suppressed"],
        dir.path(),
    ));
    assert!(shown.contains("POD-001"), "{shown}");
}

#[test]
fn exceptions_file_suppresses_expires_and_errors_with_location() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", PRIVILEGED);
    write(
        dir.path(),
        "exceptions.yaml",
        "exceptions:\n  - controls: [C-0057]\n    namespaces: [\"kube-*\"]\n    labels: {team: platform}\n    reason: node agent\n  - controls: [POD-101]\n    reason: expired one\n    expires: 2020-01-01\n  - controls: [POD-9999]\n    reason: typo\n",
    );
    let out = palisade(
        &[
            "scan",
            "pod.yaml",
            "--exceptions",
            "exceptions.yaml",
            "-f",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json_report(&out);
    validate_report(&report);
    let privileged = findings(&report, "POD-001");
    assert_eq!(privileged[0]["suppressed"], true);
    assert_eq!(privileged[0]["suppression"]["kind"], "exceptions-file");
    assert!(
        privileged[0]["suppression"]["reason"]
            .as_str()
            .unwrap()
            .contains("node agent")
    );
    assert_eq!(
        findings(&report, "POD-101")[0]["suppressed"],
        false,
        "expired"
    );
    let warnings = stderr(&out);
    assert!(
        warnings.contains("exceptions.yaml:6: exception expired on 2020-01-01"),
        "{warnings}"
    );
    assert!(
        warnings.contains("exceptions.yaml:9: exception names unknown control `POD-9999`"),
        "{warnings}"
    );

    write(
        dir.path(),
        "bad.yaml",
        "exceptions:\n  - controls: POD-001\n    reasn: typo\n",
    );
    let out = palisade(
        &["scan", "pod.yaml", "--exceptions", "bad.yaml"],
        dir.path(),
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("bad.yaml:3:"), "{}", stderr(&out));
    let out = palisade(
        &["scan", "pod.yaml", "--exceptions", "missing.yaml"],
        dir.path(),
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing.yaml"), "{}", stderr(&out));
}

#[test]
fn settings_file_is_found_upward_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy/app/pod.yaml", PRIVILEGED);
    write(
        dir.path(),
        "deploy/app/host.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: host\nspec:\n  hostPID: true\n  containers:\n    - name: c\n      image: x\n",
    );
    write(
        dir.path(),
        ".palisade.yaml",
        "frameworks: pss-baseline\nfail-on: high\nexceptions: [ex/accepted.yaml]\nparameters:\n  allowed-registries: [ghcr.io/acme]\n",
    );
    write(
        dir.path(),
        "ex/accepted.yaml",
        "exceptions:\n  - kinds: Pod\n    names: [agent]\n    controls: host-network\n    reason: unrelated\n",
    );
    // Config: baseline only and fail-on high, so the privileged pod fails the gate.
    let out = palisade(&["scan", "deploy/app", "-f", "json"], dir.path());
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json_report(&out);
    assert!(
        findings(&report, "POD-101").is_empty(),
        "only baseline controls ran"
    );
    let frameworks = report["scores"]["frameworks"].as_array().unwrap();
    assert_eq!(frameworks.len(), 1);
    assert_eq!(frameworks[0]["id"], "pss-baseline");
    // Flags override the file: without the privileged pod, only hostPID (high) is left,
    // which fails the file's `fail-on: high` but not `--fail-on critical`.
    let only_host = ["scan", "deploy/app/host.yaml", "-q"];
    assert_eq!(code(&palisade(&only_host, dir.path())), 1);
    let mut critical = only_host.to_vec();
    critical.extend(["--fail-on", "critical"]);
    assert_eq!(code(&palisade(&critical, dir.path())), 0);
    // IMG-004 only fires because the file's parameters name allowed registries.
    let out = palisade(
        &["scan", "deploy/app", "-f", "json", "--framework", "all"],
        dir.path(),
    );
    assert!(!findings(&json_report(&out), "IMG-004").is_empty());
    // --no-config ignores it.
    let out = palisade(
        &["scan", "deploy/app", "-f", "json", "--no-config"],
        dir.path(),
    );
    assert_eq!(code(&out), 0);
    assert!(findings(&json_report(&out), "IMG-004").is_empty());

    write(
        dir.path(),
        ".palisade.yaml",
        "frameworks: [nsa]\nfail_on: high\n",
    );
    let out = palisade(&["scan", "deploy/app"], dir.path());
    assert_eq!(code(&out), 2);
    let message = stderr(&out);
    assert!(message.contains(".palisade.yaml:2:"), "{message}");
    assert!(message.contains("fail_on"), "{message}");

    write(dir.path(), ".palisade.yaml", "frameworks: [nsaa]\n");
    let out = palisade(&["scan", "deploy/app"], dir.path());
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown framework `nsaa`"));
}

#[test]
fn scores_and_compliance_threshold_gate() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", PRIVILEGED);
    let out = palisade(
        &[
            "scan",
            ".",
            "-f",
            "json",
            "--no-config",
            "--framework",
            "pss-baseline",
        ],
        dir.path(),
    );
    let report = json_report(&out);
    validate_report(&report);
    let scores = &report["scores"];
    let privileged = scores["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "POD-001")
        .unwrap();
    assert_eq!(privileged["failed"], 1);
    assert_eq!(privileged["passed"], 0);
    assert_eq!(privileged["compliance"], 0.0);
    let baseline = &scores["frameworks"][0];
    // 14 baseline controls judged the pod; only privileged failed.
    assert_eq!(baseline["controls"], 14);
    assert_eq!(baseline["failed_controls"], 1);
    let expected = 100.0 * 13.0 / 14.0;
    assert!((baseline["compliance"].as_f64().unwrap() - expected).abs() < 0.01);
    assert!(scores["risk"].as_f64().unwrap() > 0.0);

    let gate = |threshold: &str| {
        code(&palisade(
            &[
                "scan",
                ".",
                "--no-config",
                "--framework",
                "pss-baseline",
                "--compliance-threshold",
                threshold,
                "-f",
                "json",
            ],
            dir.path(),
        ))
    };
    // 13/14 = 92.86%.
    assert_eq!(gate("93"), 1);
    assert_eq!(gate("100"), 1);
    assert_eq!(gate("92.8"), 0);
    assert_eq!(gate("90"), 0);
    assert_eq!(gate("101"), 2);

    let table = stdout(&palisade(
        &["scan", ".", "--no-config", "--framework", "nsa,cis"],
        dir.path(),
    ));
    assert!(table.contains("NSA-CISA"), "{table}");
    assert!(table.contains("CIS Kubernetes Benchmark"), "{table}");
    assert!(table.contains("Overall compliance"), "{table}");
    assert!(table.contains("risk score"), "{table}");
}

#[test]
fn namespace_filters_and_secret_redaction() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", PRIVILEGED);
    write(
        dir.path(),
        "app.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n    - name: c\n      image: x\n      env:\n        - name: DB_PASSWORD\n          value: hunter2-very-secret\n",
    );
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec![
            "scan",
            ".",
            "--no-config",
            "-f",
            "json",
            "--controls",
            "POD-101",
        ];
        all.extend_from_slice(args);
        let report = json_report(&palisade(&all, dir.path()));
        let mut v: Vec<String> = findings(&report, "POD-101")
            .iter()
            .map(|f| f["resource"]["name"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&[]), ["agent", "web"]);
    assert_eq!(names(&["--include-namespaces", "shop"]), ["web"]);
    assert_eq!(names(&["--exclude-namespaces", "kube-*"]), ["web"]);
    assert_eq!(
        names(&[
            "--include-namespaces",
            "kube-*,shop",
            "--exclude-namespaces",
            "shop"
        ]),
        ["agent"]
    );

    let secrets = |extra: &[&str]| {
        let mut all = vec![
            "scan",
            "app.yaml",
            "--no-config",
            "-f",
            "json",
            "--controls",
            "SEC-001",
        ];
        all.extend_from_slice(extra);
        stdout(&palisade(&all, dir.path()))
    };
    let redacted = secrets(&[]);
    assert!(redacted.contains("SEC-001"), "{redacted}");
    assert!(!redacted.contains("hunter2-very-secret"), "{redacted}");
    assert!(secrets(&["--show-secrets"]).contains("hunter2-very-secret"));
}

#[test]
fn frameworks_and_control_names_resolve_or_fail() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", PRIVILEGED);
    for fw in [
        "nsa",
        "mitre",
        "cis",
        "pss-baseline",
        "pss-restricted",
        "all",
    ] {
        let out = palisade(
            &["scan", ".", "--no-config", "--framework", fw, "-f", "json"],
            dir.path(),
        );
        assert_eq!(code(&out), 0, "{fw}: {}", stderr(&out));
        assert!(
            !findings(&json_report(&out), "POD-001").is_empty(),
            "{fw} includes privileged"
        );
    }
    for controls in ["POD-001", "privileged-container", "C-0057"] {
        let out = palisade(
            &[
                "scan",
                ".",
                "--no-config",
                "--controls",
                controls,
                "-f",
                "json",
            ],
            dir.path(),
        );
        assert_eq!(
            findings(&json_report(&out), "POD-001").len(),
            1,
            "{controls}"
        );
    }
    let out = palisade(
        &["scan", ".", "--no-config", "--controls", "C-9999"],
        dir.path(),
    );
    assert_eq!(code(&out), 2);
    let out = palisade(
        &["scan", ".", "--no-config", "--skip-controls", "nope"],
        dir.path(),
    );
    assert_eq!(code(&out), 2);
}

#[test]
fn signature_settings_come_from_the_file_with_keys_relative_to_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy/pod.yaml", PRIVILEGED);
    write(
        dir.path(),
        "deploy/.palisade.yaml",
        "cosign-keys: [keys/release.pub]\n",
    );
    // The key is resolved against the settings file's directory; a missing one stops the
    // scan (exit 2) before any registry is contacted.
    let out = palisade(&["scan", "deploy", "-q"], dir.path());
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let expected = dir.path().join("deploy/keys/release.pub");
    assert!(
        stderr(&out).contains(&expected.display().to_string()),
        "{}",
        stderr(&out)
    );
    // An unknown key in the same section is still an error with its location.
    write(
        dir.path(),
        "deploy/.palisade.yaml",
        "verify-signatures: yes-please\n",
    );
    let out = palisade(&["scan", "deploy", "-q"], dir.path());
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(".palisade.yaml:1:"),
        "{}",
        stderr(&out)
    );
}
