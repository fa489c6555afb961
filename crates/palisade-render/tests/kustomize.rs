//! Differential test: every directory of the corpus under `tests/kustomize/` is built natively
//! and with `kubectl kustomize`, and the outputs must be equal object by object (parsed YAML
//! values, keyed by apiVersion/kind/namespace/name). Plus the error cases.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use palisade_render::kustomize::{KustomizeError, KustomizeOptions, build, is_kustomization_dir};
use serde_json::Value;

fn corpus_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus directory exists")
        .map(|e| e.expect("readable corpus entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn kubectl() -> Option<PathBuf> {
    let candidates = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("kubectl"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    candidates
        .into_iter()
        .chain([PathBuf::from("/usr/bin/kubectl")])
        .find(|p| p.is_file())
}

fn key(value: &Value) -> String {
    let s = |p: &str| {
        value
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    format!(
        "{}/{}/{}/{}",
        s("/apiVersion"),
        s("/kind"),
        s("/metadata/namespace"),
        s("/metadata/name")
    )
}

fn keyed(values: impl IntoIterator<Item = Value>) -> BTreeMap<String, Value> {
    values
        .into_iter()
        .map(|mut v| {
            normalize_numbers(&mut v);
            (key(&v), v)
        })
        .collect()
}

/// JSON numbers compare by value: `1e3` (a float to the parser) equals `1000`.
fn normalize_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15) {
                #[allow(clippy::cast_possible_truncation)]
                let whole = f as i64;
                *value = Value::from(whole);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize_numbers),
        Value::Object(map) => map.values_mut().for_each(normalize_numbers),
        _ => {}
    }
}

fn kubectl_objects(kubectl: &Path, dir: &Path) -> BTreeMap<String, Value> {
    let out = Command::new(kubectl)
        .arg("kustomize")
        .arg(dir)
        .output()
        .expect("kubectl runs");
    assert!(
        out.status.success(),
        "kubectl kustomize {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let stream = palisade_yaml::parse_bytes(&out.stdout, &palisade_yaml::Limits::default());
    assert!(stream.error.is_none(), "kubectl output parses");
    keyed(stream.documents.into_iter().map(|d| d.value))
}

#[test]
fn corpus_matches_kubectl_kustomize() {
    let dirs = corpus_dirs();
    assert!(dirs.len() >= 30, "corpus has {} directories", dirs.len());
    let Some(kubectl) = kubectl() else {
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "SKIPPED: kubectl not found on PATH; the differential Kustomize test needs it"
            );
        }
        return;
    };
    let mut failures = Vec::new();
    for dir in &dirs {
        assert!(
            is_kustomization_dir(dir),
            "{} is a kustomization",
            dir.display()
        );
        let expected = kubectl_objects(&kubectl, dir);
        let built = match build(dir, &KustomizeOptions::default()) {
            Ok(built) => built,
            Err(err) => {
                failures.push(format!("{}: native build failed: {err}", dir.display()));
                continue;
            }
        };
        assert!(!built.used_fallback);
        let actual = keyed(built.objects.into_iter().map(|o| o.value));
        if actual == expected {
            continue;
        }
        let mut report = format!("{}:", dir.display());
        for (k, want) in &expected {
            match actual.get(k) {
                None => {
                    let _ = write!(report, "\n  missing {k}");
                }
                Some(got) if got != want => {
                    let _ = write!(
                        report,
                        "\n  differs {k}\n    kubectl: {want}\n    native:  {got}"
                    );
                }
                Some(_) => {}
            }
        }
        for k in actual.keys().filter(|k| !expected.contains_key(*k)) {
            let _ = write!(report, "\n  extra {k}");
        }
        failures.push(report);
    }
    #[allow(clippy::print_stderr)]
    {
        eprintln!(
            "kustomize corpus: {}/{} directories equal to kubectl kustomize",
            dirs.len() - failures.len(),
            dirs.len()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn origins_point_at_base_files_and_patches() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize/11-smp-containers");
    let built = build(&dir, &KustomizeOptions::default()).expect("builds");
    let deployment = built
        .objects
        .iter()
        .find(|o| o.value["kind"] == "Deployment")
        .expect("deployment");
    assert_eq!(deployment.origin.path, dir.join("deployment.yaml"));
    assert_eq!(deployment.origin.document, 0);
    assert!(!deployment.origin.generated);
    assert_eq!(deployment.patched.len(), 1);
    let patch = &deployment.patched[0];
    assert_eq!(patch.path, dir.join("patch.yaml"));
    assert!(
        patch
            .pointers
            .contains(&"/spec/template/spec/containers/0/resources".to_owned()),
        "{:?}",
        patch.pointers
    );
    assert!(built.files_read.contains(&dir.join("kustomization.yaml")));
    assert!(built.files_read.contains(&dir.join("patch.yaml")));

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize/28-list-kind");
    let built = build(&dir, &KustomizeOptions::default()).expect("builds");
    assert_eq!(built.objects[1].origin.item_pointer, "/items/1");

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize/23-secret-generator");
    let built = build(&dir, &KustomizeOptions::default()).expect("builds");
    let secret = built
        .objects
        .iter()
        .find(|o| o.value["kind"] == "Secret")
        .expect("secret");
    assert!(secret.origin.generated);
    assert_eq!(secret.origin.path, dir.join("kustomization.yaml"));
}

fn scratch(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";

#[test]
fn remote_resource_is_an_error_naming_the_url() {
    let dir = scratch(&[(
        "kustomization.yaml",
        "resources:\n- https://github.com/acme/deploy//base?ref=v1\n",
    )]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    assert!(matches!(err, KustomizeError::Remote { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("https://github.com/acme/deploy//base?ref=v1"),
        "{text}"
    );
    assert!(text.contains("kustomization.yaml"), "{text}");
}

#[test]
fn missing_resource_file_is_an_error_naming_it() {
    let dir = scratch(&[("kustomization.yaml", "resources:\n- nowhere.yaml\n")]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    assert!(matches!(err, KustomizeError::Io { .. }), "{err}");
    assert!(err.to_string().contains("nowhere.yaml"), "{err}");
}

#[test]
fn cycle_is_an_error() {
    let dir = scratch(&[
        ("a/kustomization.yaml", "resources:\n- ../b\n"),
        ("b/kustomization.yaml", "resources:\n- ../a\n"),
    ]);
    let err = build(&dir.path().join("a"), &KustomizeOptions::default()).unwrap_err();
    assert!(matches!(err, KustomizeError::Cycle { .. }), "{err}");
    assert!(err.to_string().contains("cycle"), "{err}");
}

#[test]
fn unsupported_field_names_field_and_file() {
    let dir = scratch(&[
        ("cm.yaml", CM),
        (
            "kustomization.yaml",
            "resources:\n- cm.yaml\nreplacements: []\n",
        ),
    ]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    let KustomizeError::Unsupported { field, file, .. } = &err else {
        panic!("unexpected {err}");
    };
    assert_eq!(field, "replacements");
    assert_eq!(file, &dir.path().join("kustomization.yaml"));
}

#[test]
fn unsupported_field_falls_back_to_kubectl_when_allowed() {
    let Some(kubectl) = kubectl() else {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("SKIPPED: kubectl not found; fallback test needs it");
        }
        return;
    };
    let dir = scratch(&[
        ("cm.yaml", CM),
        (
            "kustomization.yaml",
            "resources:\n- cm.yaml\nreplacements: []\n",
        ),
    ]);
    let options = KustomizeOptions {
        kustomize_bin: Some(kubectl),
        allow_fallback: true,
    };
    let built = build(dir.path(), &options).expect("fallback builds");
    assert!(built.used_fallback);
    assert_eq!(built.objects.len(), 1);
    assert_eq!(built.objects[0].value["metadata"]["name"], "c");
}

#[test]
fn bad_yaml_and_unmatched_patch_name_the_file() {
    let dir = scratch(&[
        ("kustomization.yaml", "resources:\n- cm.yaml\n"),
        ("cm.yaml", "a: [\n"),
    ]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("cm.yaml"), "{err}");

    let dir = scratch(&[
        ("cm.yaml", CM),
        (
            "kustomization.yaml",
            "resources:\n- cm.yaml\npatches:\n- path: p.yaml\n",
        ),
        (
            "p.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
        ),
    ]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("p.yaml"), "{err}");
    assert!(err.to_string().contains("matches no resource"), "{err}");
}

#[test]
fn not_a_kustomization_dir() {
    let dir = scratch(&[("cm.yaml", CM)]);
    assert!(!is_kustomization_dir(dir.path()));
    assert!(build(dir.path(), &KustomizeOptions::default()).is_err());
}

#[test]
fn conflicting_and_dangling_definitions_are_errors() {
    let dir = scratch(&[
        ("a.yaml", CM),
        ("b.yaml", CM),
        ("kustomization.yaml", "resources:\n- a.yaml\n- b.yaml\n"),
    ]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("defined twice"), "{err}");

    let dir = scratch(&[(
        "kustomization.yaml",
        "configMapGenerator:\n- name: nobase\n  behavior: merge\n  literals:\n  - a=b\n",
    )]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no base defines it"), "{err}");

    let dir = scratch(&[
        ("cm.yaml", CM),
        (
            "kustomization.yaml",
            "resources:\n- cm.yaml\npatches:\n- patch: '[{\"op\": \"remove\", \"path\": \"/data\"}]'\n",
        ),
    ]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("needs a `target`"), "{err}");

    let dir = scratch(&[
        ("cm.yaml", CM),
        (
            "kustomization.yaml",
            "resources:\n- cm.yaml\npatches:\n- target: {kind: ConfigMap}\n  patch: '[{\"op\": \"test\", \"path\": \"/kind\", \"value\": \"Pod\"}]'\n",
        ),
    ]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("test failed"), "{err}");

    let dir = scratch(&[
        (
            "comp/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
        ),
        ("kustomization.yaml", "resources:\n- comp\n"),
    ]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("Component"), "{err}");
}

#[test]
fn unknown_field_is_unsupported_with_a_hint() {
    let dir = scratch(&[("kustomization.yaml", "resorces:\n- a.yaml\n")]);
    let err = build(dir.path(), &KustomizeOptions::default()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("`resorces`"), "{text}");
    assert!(text.contains("not a Kustomize v5 field"), "{text}");
}

#[test]
fn malformed_kustomizations_fail_cleanly_naming_the_file() {
    let bodies = [
        "resources: 5\n",
        "resources:\n- {a: b}\n",
        "patches:\n- path: 1\n  patch: x\n",
        "patches:\n- {}\n",
        "replicas:\n- name: a\n  count: many\n",
        "labels:\n- pairs: [a]\n",
        "labels:\n- pairs: {a: b}\n  includeSelectors: maybe\n",
        "commonLabels: [a, b]\n",
        "configMapGenerator:\n- literals: [a=b]\n",
        "configMapGenerator:\n- name: c\n  literals: [novalue]\n",
        "configMapGenerator:\n- name: c\n  behavior: upsert\n",
        "generatorOptions: {disableNameSuffixHash: sometimes}\n",
        "- just\n- a list\n",
        "namespace: {a: b}\n",
        "patches:\n- patch: 'kind: [unclosed'\n  target: {kind: X}\n",
        "patches:\n- target: {name: '(['}\n  patch: '[]'\n",
        "---\nresources: []\n---\nresources: []\n",
    ];
    for body in bodies {
        let dir = scratch(&[("kustomization.yaml", body)]);
        let err = build(dir.path(), &KustomizeOptions::default())
            .expect_err(&format!("{body:?} should be rejected"));
        assert!(
            err.to_string().contains("kustomization.yaml"),
            "{body:?}: {err}"
        );
    }
}

#[test]
fn files_outside_the_kustomization_are_refused_like_kustomize() {
    let dir = scratch(&[
        ("shared/cm.yaml", CM),
        (
            "app/kustomization.yaml",
            "resources:\n- ../shared/cm.yaml\n",
        ),
    ]);
    let err = build(&dir.path().join("app"), &KustomizeOptions::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("outside the kustomization directory"),
        "{err}"
    );
    if let Some(kubectl) = kubectl() {
        let status = Command::new(kubectl)
            .arg("kustomize")
            .arg(dir.path().join("app"))
            .output()
            .expect("kubectl runs")
            .status;
        assert!(!status.success(), "kubectl refuses it too");
    }
}
