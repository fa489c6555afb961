//! Kustomize overlays found by `palisade scan`: built natively, scanned as their output, and
//! findings moved back to the base resource or the patch that set the field.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{assert_valid, code, json_report, palisade, repo_root, stderr, validate_report};
use serde_json::Value;

fn case(name: &str) -> PathBuf {
    repo_root()
        .join("crates/palisade-render/tests/kustomize")
        .join(name)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

#[test]
fn findings_point_at_base_resources_and_patches() {
    let dir = case("p-12-smp-container-merge");
    let out = palisade(&["scan", dir.to_str().unwrap(), "-f", "json"], &repo_root());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json_report(&out);
    validate_report(&report);
    // The four built objects; the base files and the patch are not scanned on their own.
    assert_eq!(report["summary"]["objects"], 4);
    let all = findings(&report);
    assert!(
        all.iter().all(|f| f["origin"]["renderer"] == "kustomize"),
        "{all:#?}"
    );
    assert!(all.iter().all(|f| {
        f["origin"]["rendered"]["path"]
            .as_str()
            .unwrap()
            .ends_with("(kustomize)")
    }));

    // Missing resource limits: the container is defined in the base.
    let limits = all
        .iter()
        .find(|f| {
            f["resource"]["kind"] == "Deployment"
                && f["location"]["path"]
                    .as_str()
                    .unwrap()
                    .ends_with("base/deployment.yaml")
                && f["location"]["pointer"]
                    .as_str()
                    .unwrap()
                    .starts_with("/spec/template/spec/containers/0")
        })
        .expect("a container finding in the base");
    assert_eq!(limits["location"]["line"], 19);

    // The patch added securityContext to the web container: what is still missing there is
    // reported at the patch.
    let in_patch: Vec<&Value> = all
        .iter()
        .filter(|f| {
            f["location"]["path"]
                .as_str()
                .unwrap()
                .ends_with("security.yaml")
        })
        .collect();
    assert!(!in_patch.is_empty());
    assert!(
        in_patch.iter().all(|f| f["location"]["line"] == 10),
        "{in_patch:#?}"
    );
}

#[test]
fn sarif_uses_the_source_files() {
    let dir = case("p-13-smp-env-and-new-container");
    let out = palisade(
        &["scan", dir.to_str().unwrap(), "-f", "sarif"],
        &repo_root(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(
        "crates/palisade-report/tests/data/sarif-schema-2.1.0.json",
        &sarif,
    );
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(!uris.is_empty());
    assert!(uris.iter().all(|u| !u.contains("(kustomize)")), "{uris:?}");
    assert!(uris.iter().any(|u| u.ends_with("patch.yaml")), "{uris:?}");
}

#[test]
fn a_kustomization_that_cannot_be_built_is_a_finding_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken");
    fs::create_dir_all(&broken).unwrap();
    fs::write(
        broken.join("kustomization.yaml"),
        "resources:\n- https://example.com/remote.yaml\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    securityContext:\n      privileged: true\n",
    )
    .unwrap();
    let out = palisade(
        &["scan", dir.path().to_str().unwrap(), "-f", "json"],
        &repo_root(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json_report(&out);
    let all = findings(&report);
    let invalid = all
        .iter()
        .find(|f| f["slug"] == "invalid-manifest")
        .expect("the broken kustomization");
    assert!(
        invalid["location"]["path"]
            .as_str()
            .unwrap()
            .ends_with("broken/kustomization.yaml")
    );
    assert!(
        invalid["message"]
            .as_str()
            .unwrap()
            .contains("https://example.com/remote.yaml")
    );
    assert!(all.iter().any(|f| {
        f["location"]["path"]
            .as_str()
            .unwrap()
            .ends_with("pod.yaml")
    }));
}
