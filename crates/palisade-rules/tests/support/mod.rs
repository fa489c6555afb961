//! Shared test harness: parse YAML text, extract objects, run a selection at a policy version.

#![allow(dead_code)] // each test binary uses a different part of the harness

use std::path::Path;
use std::sync::Arc;

use palisade_core::{Finding, SignatureVerdict, SignatureVerdicts};
use palisade_k8s::{ObjectSet, extract_objects};
use palisade_rules::{
    CheckContext, ControlParams, PssVersion, Selection, evaluate_object, evaluate_set,
};
use palisade_yaml::{Limits, parse_str};

/// Findings of `selection` on the objects in `yaml` (object and cross-resource controls),
/// evaluated at `version` with default parameters.
pub fn evaluate(
    yaml: &str,
    path: &str,
    selection: &Selection,
    version: PssVersion,
) -> Vec<Finding> {
    let ctx = CheckContext {
        pss_version: version,
        ..CheckContext::default()
    };
    evaluate_with(yaml, path, selection, &ctx)
}

/// Findings of `selection` on the objects in `yaml`, with the settings of `ctx`.
pub fn evaluate_with(
    yaml: &str,
    path: &str,
    selection: &Selection,
    ctx: &CheckContext,
) -> Vec<Finding> {
    let stream = parse_str(yaml, &Limits::default());
    assert!(
        stream.error.is_none(),
        "fixture {path} does not parse: {:?}",
        stream.error
    );
    let path: Arc<str> = Arc::from(path);
    let mut findings = Vec::new();
    let mut objects = Vec::new();
    for document in stream.documents {
        let document = Arc::new(document);
        for object in extract_objects(&path, &document).objects {
            findings.extend(evaluate_object(selection, ctx, &object));
            objects.push(object);
        }
    }
    findings.extend(evaluate_set(selection, ctx, &ObjectSet::new(objects)));
    findings
}

/// The control parameters of a fixture directory: its `params.yaml` (kebab-case keys, as in
/// the `parameters:` section of `.palisade.yaml`), or the defaults when there is none.
pub fn fixture_params(dir: &Path) -> ControlParams {
    let path = dir.join("params.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return ControlParams::default();
    };
    let stream = parse_str(&text, &Limits::default());
    assert!(
        stream.error.is_none(),
        "{} does not parse: {:?}",
        path.display(),
        stream.error
    );
    let document = stream
        .documents
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{} is empty", path.display()));
    serde_json::from_value(document.value.clone())
        .unwrap_or_else(|e| panic!("{} is not valid parameters: {e}", path.display()))
}

/// The image signature verdicts of a fixture directory: its `signatures.yaml`, standing in for
/// what `--verify-signatures` learns from registries, or none.
///
/// ```yaml
/// keys-given: true
/// images:
///   registry.example.com/app:1.0: {verdict: unsigned, digest: "sha256:…"}
/// ```
pub fn fixture_signatures(dir: &Path) -> Option<Arc<SignatureVerdicts>> {
    let path = dir.join("signatures.yaml");
    let text = std::fs::read_to_string(&path).ok()?;
    let stream = parse_str(&text, &Limits::default());
    let value = &stream
        .documents
        .first()
        .expect("signatures.yaml is empty")
        .value;
    let mut verdicts = SignatureVerdicts::new(value["keys-given"].as_bool().unwrap_or(false));
    for (image, entry) in value["images"].as_object().expect("images: map") {
        let text = |key: &str| entry[key].as_str().unwrap_or_default().to_string();
        let verdict = match entry["verdict"].as_str() {
            Some("verified") => SignatureVerdict::Verified {
                digest: text("digest"),
                key: text("key"),
            },
            Some("signed") => SignatureVerdict::Signed {
                digest: text("digest"),
                signatures: 1,
            },
            Some("untrusted") => SignatureVerdict::Untrusted {
                digest: text("digest"),
                reason: text("reason"),
            },
            Some("unsigned") => SignatureVerdict::Unsigned {
                digest: text("digest"),
            },
            Some("unknown") => SignatureVerdict::Unknown {
                reason: text("reason"),
            },
            other => panic!("{}: unknown verdict {other:?}", path.display()),
        };
        verdicts.insert(image.clone(), verdict);
    }
    Some(Arc::new(verdicts))
}

/// One line per finding: `line:col pointer [exact|ancestor] id message (evidence)`.
pub fn render(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let loc = f.location.as_ref().expect("object findings have locations");
            let exactness = if loc.exact {
                ""
            } else {
                " (missing; nearest ancestor)"
            };
            let evidence = f
                .evidence
                .as_deref()
                .map(|e| format!(" [{e}]"))
                .unwrap_or_default();
            format!(
                "{}:{}-{}:{} {}{exactness}\n  {} {}{evidence}",
                loc.line, loc.column, loc.end_line, loc.end_column, loc.pointer, f.id, f.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
