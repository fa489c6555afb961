//! Helm charts scanned through a real `helm` (3 and 4 when both are installed; CI installs them
//! with .ci/setup.d/helm.sh): findings at template lines with the rendered position and values
//! keys, values overrides, subcharts, packaged charts, broken charts, no helm at all.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{code, json_report, repo_root, stderr, validate_report};
use serde_json::Value;

fn charts() -> PathBuf {
    repo_root().join("crates/palisade/tests/data/charts")
}

/// Every helm binary to test with: `helm3`/`helm4` from the CI cache, else `helm` on PATH.
fn helms() -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Some(home) = std::env::var_os("HOME") {
        let bin = PathBuf::from(home).join(".cache/palisade-ci/bin");
        for name in ["helm3", "helm4"] {
            if bin.join(name).is_file() {
                found.push(bin.join(name));
            }
        }
    }
    if found.is_empty() {
        let path = std::env::var_os("PATH").unwrap_or_default();
        found.extend(
            std::env::split_paths(&path)
                .map(|d| d.join("helm"))
                .find(|p| p.is_file()),
        );
    }
    if found.is_empty() {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipped: no helm installed (run .ci/setup.d/helm.sh)");
        }
    }
    found
}

fn scan(helm: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .arg("scan")
        .args(["--helm-bin", helm.to_str().unwrap(), "-f", "json"])
        .args(args)
        .current_dir(cwd)
        .env_remove("PALISADE_FAIL_ON")
        .env_remove("PALISADE_FRAMEWORK")
        .output()
        .unwrap()
}

fn with_id<'a>(report: &'a Value, id: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .collect()
}

/// 1-based line of the first line containing `needle` in a fixture file.
fn line_in(file: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(charts().join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

#[test]
fn findings_point_at_template_lines_with_rendered_position_and_values() {
    for helm in helms() {
        let out = scan(
            &helm,
            &charts(),
            &["web", "--values", "web/values-debug.yaml"],
        );
        assert_eq!(code(&out), 0, "{}: {}", helm.display(), stderr(&out));
        let report = json_report(&out);
        validate_report(&report);

        let privileged = with_id(&report, "POD-001");
        assert_eq!(privileged.len(), 1, "{report:#}");
        let finding = privileged[0];
        assert_eq!(finding["location"]["path"], "web/templates/deployment.yaml");
        // `privileged` comes from `toYaml .Values.securityContext`: the enclosing key's line.
        assert_eq!(
            finding["location"]["line"],
            line_in("web/templates/deployment.yaml", "securityContext:")
        );
        let origin = &finding["origin"];
        assert_eq!(origin["renderer"], "helm");
        assert_eq!(origin["root"], "web");
        assert_eq!(
            origin["values"],
            serde_json::json!(["securityContext.privileged"])
        );
        assert!(
            origin["rendered"]["path"]
                .as_str()
                .unwrap()
                .contains("web/templates/deployment.yaml (rendered)")
        );
        assert!(origin["rendered"]["line"].as_u64().unwrap() > 0);

        let host_network = with_id(&report, "POD-004");
        assert_eq!(host_network.len(), 1);
        assert_eq!(
            host_network[0]["location"]["line"],
            line_in("web/templates/deployment.yaml", "hostNetwork:")
        );
        assert_eq!(
            host_network[0]["origin"]["values"],
            serde_json::json!(["hostNetwork"])
        );

        // The subchart is rendered and its findings point into its own templates.
        let host_pid = with_id(&report, "POD-002");
        assert_eq!(host_pid.len(), 1);
        assert_eq!(
            host_pid[0]["location"]["path"],
            "web/charts/cache/templates/statefulset.yaml"
        );
        assert_eq!(
            host_pid[0]["location"]["line"],
            line_in("web/charts/cache/templates/statefulset.yaml", "hostPID")
        );
        // Chart sources are rendered, not also read raw.
        assert!(
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["id"] != "invalid-manifest" && f["id"] != "FILE-001")
        );
    }
}

#[test]
fn values_and_set_flags_change_what_is_rendered() {
    for helm in helms() {
        let defaults = json_report(&scan(&helm, &charts(), &["web"]));
        assert!(with_id(&defaults, "POD-001").is_empty());
        assert!(with_id(&defaults, "POD-004").is_empty());

        let set = json_report(&scan(
            &helm,
            &charts(),
            &[
                "web",
                "--set",
                "hostNetwork=true",
                "--set",
                "securityContext.privileged=true",
            ],
        ));
        assert_eq!(with_id(&set, "POD-004").len(), 1);
        assert_eq!(with_id(&set, "POD-001").len(), 1);

        // --set-string overrides a values file like --set does.
        let string = json_report(&scan(
            &helm,
            &charts(),
            &[
                "web",
                "--values",
                "web/values-debug.yaml",
                "--set-string",
                "hostNetwork=false",
            ],
        ));
        assert_eq!(with_id(&string, "POD-001").len(), 1);
        assert!(with_id(&string, "POD-004").is_empty());
    }
}

#[test]
fn release_name_and_namespace_reach_the_objects() {
    for helm in helms() {
        let report = json_report(&scan(
            &helm,
            &charts(),
            &[
                "web",
                "--release-name",
                "shop",
                "--namespace",
                "storefront",
                "--values",
                "web/values-debug.yaml",
            ],
        ));
        let finding = with_id(&report, "POD-001")[0];
        assert_eq!(finding["resource"]["name"], "shop-web");
        // helm template does not write metadata.namespace unless the template does; the
        // namespace is what `.Release.Namespace` says.
        assert!(finding["resource"]["namespace"].is_null());
    }
}

#[test]
fn packaged_charts_are_rendered_and_located_inside_the_archive() {
    for helm in helms() {
        let dir = tempfile::tempdir().unwrap();
        let package = Command::new(&helm)
            .args(["package", charts().join("web").to_str().unwrap(), "-d"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(package.status.success(), "{}", stderr(&package));
        let out = scan(
            &helm,
            dir.path(),
            &["web-0.3.0.tgz", "--set", "securityContext.privileged=true"],
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let report = json_report(&out);
        validate_report(&report);
        let finding = with_id(&report, "POD-001")[0];
        assert_eq!(
            finding["location"]["path"],
            "web-0.3.0.tgz!/web/templates/deployment.yaml"
        );
        assert_eq!(
            finding["location"]["line"],
            line_in("web/templates/deployment.yaml", "securityContext:")
        );
        assert_eq!(with_id(&report, "POD-002").len(), 1);
    }
}

#[test]
fn a_broken_chart_is_a_finding_and_other_inputs_are_still_scanned() {
    for helm in helms() {
        let out = scan(
            &helm,
            &charts(),
            &["broken", "plain", "--fail-on", "critical"],
        );
        // The plain pod's privileged container is still found, and gates.
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        let report = json_report(&out);
        validate_report(&report);
        let broken: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["slug"] == "invalid-manifest")
            .collect();
        assert_eq!(broken.len(), 1, "{report:#}");
        assert_eq!(
            broken[0]["location"]["path"],
            "broken/templates/configmap.yaml"
        );
        assert_eq!(
            broken[0]["location"]["line"],
            line_in("broken/templates/configmap.yaml", "level:")
        );
        assert!(
            broken[0]["message"]
                .as_str()
                .unwrap()
                .contains("logging.level")
        );
        assert_eq!(with_id(&report, "POD-001").len(), 1);
        assert_eq!(
            with_id(&report, "POD-001")[0]["location"]["path"],
            "plain/pod.yaml"
        );
    }
}

#[test]
fn a_missing_dependency_is_reported_at_the_chart() {
    for helm in helms() {
        let dir = tempfile::tempdir().unwrap();
        let chart = dir.path().join("needs-db");
        std::fs::create_dir_all(chart.join("templates")).unwrap();
        std::fs::write(
            chart.join("Chart.yaml"),
            "apiVersion: v2\nname: needs-db\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n    version: 15.0.0\n    repository: https://charts.example.com\n",
        )
        .unwrap();
        let out = scan(&helm, dir.path(), &["needs-db"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let report = json_report(&out);
        let finding = &report["findings"][0];
        assert_eq!(finding["slug"], "invalid-manifest");
        assert_eq!(finding["location"]["path"], "needs-db/Chart.yaml");
        assert!(finding["message"].as_str().unwrap().contains("postgresql"));
    }
}

#[test]
fn without_helm_the_scan_fails_with_advice_or_skips_when_asked() {
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["scan", "web", "plain"])
        .current_dir(charts())
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    let message = stderr(&out);
    assert!(message.contains("no `helm` binary"), "{message}");
    assert!(message.contains("--helm-bin"), "{message}");

    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["scan", "web", "plain", "--skip-unrenderable", "-f", "json"])
        .current_dir(charts())
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("web: Helm chart not scanned"));
    let report = json_report(&out);
    assert_eq!(with_id(&report, "POD-001").len(), 1);
}

#[test]
fn sarif_uses_the_template_location() {
    for helm in helms() {
        let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
            .args([
                "scan",
                "web",
                "--values",
                "web/values-debug.yaml",
                "-f",
                "sarif",
            ])
            .args(["--helm-bin", helm.to_str().unwrap()])
            .current_dir(charts())
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
        common::assert_valid(
            "crates/palisade-report/tests/data/sarif-schema-2.1.0.json",
            &sarif,
        );
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let privileged = results
            .iter()
            .find(|r| r["ruleId"] == "POD-001")
            .expect("POD-001 result");
        let location = &privileged["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "web/templates/deployment.yaml"
        );
    }
}
