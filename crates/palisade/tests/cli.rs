//! The `palisade` binary as a user runs it: findings, locations, exit codes, output files.

use std::fmt::Write as _;
use std::fs;

use serde_json::Value;

mod common;

use common::*;

const PRIVILEGED_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x\n      securityContext:\n        privileged: true\n";

#[test]
fn examples_scan_reports_located_findings_and_gates_on_severity() {
    let root = repo_root();
    let out = palisade(&["scan", "examples/insecure", "--format", "json"], &root);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json_report(&out);
    validate_report(&report);
    let findings = report["findings"].as_array().unwrap();
    let privileged = findings
        .iter()
        .find(|f| f["id"] == "POD-001")
        .expect("privileged sidecar found");
    assert_eq!(
        privileged["location"]["path"],
        "examples/insecure/web-deployment.yaml"
    );
    assert_eq!(privileged["location"]["line"], 34);
    assert_eq!(privileged["location"]["column"], 25);
    assert_eq!(privileged["references"]["pss"], "privileged");
    assert_eq!(privileged["resource"]["kind"], "Deployment");
    assert_eq!(privileged["resource"]["namespace"], "shop");
    assert!(findings.iter().any(|f| f["slug"] == "invalid-manifest"
        && f["location"]["path"] == "examples/insecure/broken.yaml"
        && f["location"]["line"] == 5));

    assert_eq!(
        code(&palisade(
            &["scan", "examples/insecure", "--fail-on", "high", "-q"],
            &root
        )),
        1
    );
    assert_eq!(
        code(&palisade(
            &["scan", "examples/hardened", "--fail-on", "low"],
            &root
        )),
        0
    );
    let hardened = json_report(&palisade(
        &["scan", "examples/hardened", "--format", "json"],
        &root,
    ));
    assert_eq!(hardened["summary"]["total"], 0);
    assert_eq!(hardened["summary"]["objects"], 8);
}

#[test]
fn invalid_files_become_findings_and_other_files_are_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n",
    )
    .unwrap();
    fs::write(dir.path().join("good.yaml"), PRIVILEGED_POD).unwrap();
    let out = palisade(
        &["scan", ".", "--format", "json", "--fail-on", "critical"],
        dir.path(),
    );
    assert_eq!(code(&out), 1, "the privileged pod still reaches the gate");
    let report = json_report(&out);
    validate_report(&report);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["slug"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"invalid-manifest"), "{ids:?}");
    assert!(ids.contains(&"privileged-container"), "{ids:?}");
    let invalid = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["slug"] == "invalid-manifest")
        .unwrap();
    assert_eq!(invalid["severity"], "high");
    assert!(
        invalid["location"]["line"].as_u64().unwrap() >= 4,
        "{invalid}"
    );
    assert!(!invalid["message"].as_str().unwrap().is_empty());
}

#[test]
fn usage_errors_exit_2() {
    let root = repo_root();
    for args in [
        &["scan", "does/not/exist"][..],
        &["scan", "--controls", "POD-999", "examples"],
        &["scan", "--framework", "nsa-bogus", "examples"],
        &["scan", "--skip-controls", "nope", "examples"],
        &["scan", "--no-such-flag"],
        &["scan", "--fail-on", "severe", "examples"],
        &["scan", "--pss-version", "v2.0", "examples"],
        &["scan", "--format", "xml", "examples"],
        &["explain", "POD-999"],
        &["frobnicate"],
    ] {
        let out = palisade(args, &root);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty(), "{args:?} says why");
    }
    assert!(stderr(&palisade(&["scan", "does/not/exist"], &root)).contains("does/not/exist"));
    assert_eq!(code(&palisade(&["--help"], &root)), 0);
    assert_eq!(code(&palisade(&["--version"], &root)), 0);
}

#[test]
fn empty_directory_and_non_kubernetes_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let out = palisade(
        &["scan", ".", "--format", "json", "--fail-on", "info"],
        dir.path(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json_report(&out);
    assert_eq!(report["summary"]["files"], 0);

    fs::write(
        dir.path().join("values.yaml"),
        "replicas: 3\nimage: {tag: latest}\n---\n- a\n- b\n",
    )
    .unwrap();
    fs::write(dir.path().join("pod.yaml"), PRIVILEGED_POD).unwrap();
    let report = json_report(&palisade(&["scan", ".", "--format", "json"], dir.path()));
    assert_eq!(report["summary"]["skipped_documents"], 2);
    assert_eq!(report["summary"]["objects"], 1);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["location"]["path"] == "./pod.yaml")
    );
}

#[test]
fn stdin_is_scanned_with_its_own_name() {
    let root = repo_root();
    let out = palisade_stdin(
        &["scan", "-", "--format", "json", "--fail-on", "critical"],
        &root,
        PRIVILEGED_POD,
    );
    assert_eq!(code(&out), 1);
    let report = json_report(&out);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "POD-001")
        .unwrap();
    assert_eq!(finding["location"]["path"], "<stdin>");
    assert_eq!(finding["location"]["line"], 10);
    assert_eq!(finding["location"]["column"], 21);
}

#[test]
fn several_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("pod.yaml"), PRIVILEGED_POD).unwrap();
    let out = palisade(
        &[
            "scan",
            "pod.yaml",
            "--format",
            "table",
            "--format",
            "json=out/report.json",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.contains("POD-001") && table.contains("10:21"),
        "{table}"
    );
    assert!(!table.contains('\u{1b}'), "no colours off a terminal");
    let report: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out/report.json")).unwrap())
            .unwrap();
    validate_report(&report);
    assert!(report["summary"]["total"].as_u64().unwrap() >= 1);
}

#[test]
fn ignore_files_and_excludes_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["keep", "generated", "vendor", "tmp"] {
        fs::create_dir_all(dir.path().join(sub)).unwrap();
        fs::write(dir.path().join(sub).join("pod.yaml"), PRIVILEGED_POD).unwrap();
    }
    fs::write(dir.path().join(".gitignore"), "generated/\n").unwrap();
    fs::write(dir.path().join(".palisadeignore"), "vendor/\n").unwrap();
    let report = json_report(&palisade(
        &["scan", ".", "--format", "json", "--exclude", "tmp"],
        dir.path(),
    ));
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty());
    assert!(paths.iter().all(|p| p.starts_with("./keep/")), "{paths:?}");
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn hostile_yaml_fails_fast_with_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut lol = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        writeln!(lol, "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]").unwrap();
    }
    fs::write(dir.path().join("lol.yaml"), lol).unwrap();
    fs::write(dir.path().join("pod.yaml"), PRIVILEGED_POD).unwrap();
    let report = json_report(&palisade(&["scan", ".", "--format", "json"], dir.path()));
    let slugs: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["slug"].as_str().unwrap())
        .collect();
    assert!(
        slugs.contains(&"invalid-manifest") && slugs.contains(&"privileged-container"),
        "{slugs:?}"
    );
}

#[test]
fn pss_version_changes_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let probe = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x\n      livenessProbe:\n        tcpSocket:\n          host: 10.0.0.1\n          port: 80\n";
    fs::write(dir.path().join("pod.yaml"), probe).unwrap();
    let at = |v: &str| {
        code(&palisade(
            &[
                "scan",
                ".",
                "--framework",
                "pss-baseline",
                "--pss-version",
                v,
                "--fail-on",
                "low",
                "-q",
            ],
            dir.path(),
        ))
    };
    assert_eq!(at("v1.33"), 0);
    assert_eq!(at("v1.34"), 1);
    assert_eq!(at("latest"), 1);
}

#[test]
fn list_and_explain() {
    let root = repo_root();
    let out = palisade(&["list", "controls", "--format", "json"], &root);
    assert_eq!(code(&out), 0);
    let controls: Value = serde_json::from_slice(&out.stdout).unwrap();
    let controls = controls.as_array().unwrap();
    assert!(controls.len() >= 21);
    let run_as_non_root = controls
        .iter()
        .find(|c| c["slug"] == "run-as-non-root")
        .unwrap();
    assert_eq!(run_as_non_root["references"]["pss"], "runAsNonRoot");
    assert!(
        run_as_non_root["frameworks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "pss-restricted")
    );

    let frameworks: Value = serde_json::from_slice(
        &palisade(&["list", "frameworks", "--format", "json"], &root).stdout,
    )
    .unwrap();
    let ids: Vec<&str> = frameworks
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"pss-baseline") && ids.contains(&"pss-restricted"));

    for name in ["POD-001", "privileged-container", "C-0057"] {
        let out = palisade(&["explain", name], &root);
        assert_eq!(code(&out), 0);
        let text = stdout(&out);
        for heading in ["What it checks", "Why it matters", "How to fix", "Example"] {
            assert!(text.contains(heading), "{name}: {text}");
        }
    }
}
