//! The scan slims the objects it keeps for cross-resource controls (`palisade_k8s::slim`).
//! Every cross-resource control must report exactly the same findings, at the same locations
//! with the same messages and evidence, on slimmed objects as on full ones: over every control
//! fixture, the shipped examples and a generated corpus.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use palisade_core::SignatureVerdicts;
use palisade_k8s::{Object, ObjectSet, extract_objects, retain_for_graph};
use palisade_rules::{CheckContext, ControlParams, Selection, evaluate_set};
use palisade_yaml::{Limits, parse_str};

/// Every object of `sources`, and the same objects as the scan keeps them.
fn full_and_slimmed(sources: &[(String, String)]) -> (Vec<Object>, Vec<Object>) {
    let (mut full, mut slimmed) = (Vec::new(), Vec::new());
    for (path, text) in sources {
        let path: Arc<str> = Arc::from(path.as_str());
        for document in parse_str(text, &Limits::default()).documents {
            let objects = extract_objects(&path, &Arc::new(document.clone())).objects;
            full.extend(objects);
            let objects = extract_objects(&path, &Arc::new(document)).objects;
            slimmed.extend(retain_for_graph(objects));
        }
    }
    (full, slimmed)
}

fn assert_same_findings(
    sources: &[(String, String)],
    params: ControlParams,
    signatures: Option<Arc<SignatureVerdicts>>,
) {
    let selection = Selection::new(&["all".to_string()], &[], &[]).unwrap();
    let ctx = CheckContext {
        params: Arc::new(params),
        signatures,
        ..CheckContext::default()
    };
    let (full, slimmed) = full_and_slimmed(sources);
    let expected = evaluate_set(&selection, &ctx, &ObjectSet::new(full));
    let actual = evaluate_set(&selection, &ctx, &ObjectSet::new(slimmed));
    let names: Vec<&str> = sources.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        support::render(&actual),
        support::render(&expected),
        "slimming changed cross-resource findings in {names:?}"
    );
    assert_eq!(actual, expected, "in {names:?}");
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
                && path.file_name().is_some_and(|n| n != "params.yaml")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn read(paths: &[PathBuf]) -> Vec<(String, String)> {
    paths
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect()
}

#[test]
fn every_control_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() > 100,
        "fixtures missing under {}",
        fixtures.display()
    );
    for dir in dirs {
        assert_same_findings(
            &read(&yaml_files(&dir)),
            support::fixture_params(&dir),
            support::fixture_signatures(&dir),
        );
    }
}

#[test]
fn shipped_examples() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let files = yaml_files(&examples);
    assert!(!files.is_empty());
    assert_same_findings(&read(&files), ControlParams::default(), None);
}

#[test]
fn generated_corpus() {
    let corpus: Vec<(String, String)> = palisade_test::corpus::generate(2_000_000, 500)
        .into_iter()
        .map(|file| (file.name, file.content))
        .collect();
    assert_same_findings(&corpus, ControlParams::default(), None);
}
