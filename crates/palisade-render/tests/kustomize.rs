//! Differential test of the native Kustomize builder against `kubectl kustomize` (Kustomize
//! v5): every directory under tests/kustomize/ must build to the same objects, compared as
//! values and keyed by apiVersion, kind, namespace and name. Skipped with a message when
//! kubectl is absent. Error cases are checked separately.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use palisade_render::kustomize::{self, KustomizeError};
use serde::Deserialize as _;
use serde_json::Value;

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize");
    let mut dirs: Vec<PathBuf> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn key(object: &Value) -> String {
    let text = |p: &str| {
        object
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    format!(
        "{} {} {} {}",
        text("/apiVersion"),
        text("/kind"),
        text("/metadata/namespace"),
        text("/metadata/name")
    )
}

fn kubectl(dir: &Path) -> Option<BTreeMap<String, Value>> {
    let out = Command::new("kubectl")
        .arg("kustomize")
        .arg(dir)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "kubectl kustomize {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    Some(
        serde_yaml_ng::Deserializer::from_str(&text)
            .map(|doc| Value::deserialize(doc).unwrap())
            .filter(|v| !v.is_null())
            .map(|v| (key(&v), v))
            .collect(),
    )
}

#[test]
fn builds_match_kubectl_kustomize() {
    let available = Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipped: kubectl is not installed");
        }
        return;
    }
    let dirs = corpus();
    assert!(dirs.len() >= 30, "the corpus has {} cases", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let expected = kubectl(dir).unwrap();
        let built = match kustomize::build(dir) {
            Ok(build) => build,
            Err(err) => {
                failures.push(format!("{}: {err}", dir.display()));
                continue;
            }
        };
        let got: BTreeMap<String, Value> = built
            .objects
            .iter()
            .map(|o| (key(&o.value), o.value.clone()))
            .collect();
        if got.keys().collect::<Vec<_>>() != expected.keys().collect::<Vec<_>>() {
            failures.push(format!(
                "{}: objects differ\n  kubectl: {:?}\n  palisade: {:?}",
                dir.display(),
                expected.keys().collect::<Vec<_>>(),
                got.keys().collect::<Vec<_>>()
            ));
            continue;
        }
        for (k, want) in &expected {
            if &got[k] != want {
                failures.push(format!(
                    "{}: {k} differs\n  kubectl:  {}\n  palisade: {}",
                    dir.display(),
                    serde_json::to_string(want).unwrap(),
                    serde_json::to_string(&got[k]).unwrap()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let full = dir.join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
    }
}

#[test]
fn what_is_not_built_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            (
                "remote/kustomization.yaml",
                "resources:\n- https://github.com/example/repo//deploy?ref=v1\n",
            ),
            ("missing/kustomization.yaml", "resources:\n- nowhere.yaml\n"),
            ("cycle-a/kustomization.yaml", "resources:\n- ../cycle-b\n"),
            ("cycle-b/kustomization.yaml", "resources:\n- ../cycle-a\n"),
            (
                "unsupported/kustomization.yaml",
                "replacements:\n- source:\n    kind: ConfigMap\n",
            ),
            (
                "no-target/kustomization.yaml",
                "resources:\n- cm.yaml\npatches:\n- path: p.yaml\n",
            ),
            (
                "no-target/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
            ),
            (
                "no-target/p.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: y\n",
            ),
        ],
    );
    let err = kustomize::build(&root.join("remote")).unwrap_err();
    assert!(matches!(err, KustomizeError::Remote { .. }), "{err}");
    assert!(
        err.to_string().contains("https://github.com/example/repo"),
        "{err}"
    );
    let err = kustomize::build(&root.join("missing")).unwrap_err();
    assert!(err.to_string().contains("nowhere.yaml"), "{err}");
    let err = kustomize::build(&root.join("cycle-a")).unwrap_err();
    assert!(matches!(err, KustomizeError::Cycle { .. }), "{err}");
    let err = kustomize::build(&root.join("unsupported")).unwrap_err();
    assert!(
        err.to_string().contains("`replacements` is not supported"),
        "{err}"
    );
    let err = kustomize::build(&root.join("no-target")).unwrap_err();
    assert!(err.to_string().contains("ConfigMap b"), "{err}");
}

#[test]
fn objects_know_their_source_and_patches() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize/12-smp-container-merge");
    let build = kustomize::build(&dir).unwrap();
    let deployment = build
        .objects
        .iter()
        .find(|o| o.value["kind"] == "Deployment")
        .unwrap();
    assert!(deployment.origin.path.ends_with("base/deployment.yaml"));
    assert_eq!(deployment.origin.document, 0);
    let patch = &deployment.patched[0];
    assert!(patch.path.ends_with("security.yaml"));
    assert!(
        patch
            .pointers
            .contains(&"/spec/template/spec/containers/0/securityContext".to_string()),
        "{:?}",
        patch.pointers
    );
    let generated = kustomize::build(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize/21-configmap-generator"),
    )
    .unwrap();
    let cm = generated
        .objects
        .iter()
        .find(|o| o.origin.generated)
        .unwrap();
    assert!(cm.origin.path.ends_with("kustomization.yaml"));
    assert!(
        generated
            .files_read
            .iter()
            .any(|p| p.ends_with("app.properties"))
    );
}
