//! `patches`, `patchesStrategicMerge` and `patchesJson6902`: loading, target selection and
//! application, recording which fields each patch changed.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::load::{Kustomization, PatchSpec, Typing, parse_indexed, read_bytes};
use super::resource::{Resource, changed_pointers, effective_ns, split_api_version};
use super::select::Selector;
use super::smp::{self, Outcome};
use super::{KustomizeError, PatchOrigin, json6902};

/// A loaded patch.
enum Body {
    Strategic(Vec<Value>),
    Json(Value),
}

struct Loaded {
    body: Body,
    /// The file to blame: the patch file, or the kustomization for an inline patch.
    file: PathBuf,
}

fn load(
    spec: &PatchSpec,
    k: &Kustomization,
    files: &mut Vec<PathBuf>,
) -> Result<Loaded, KustomizeError> {
    let (bytes, file) = match (&spec.path, &spec.patch) {
        (Some(path), _) => {
            let file = k.file_in_root(path)?;
            (read_bytes(&file, files)?, file)
        }
        (None, Some(text)) => (text.as_bytes().to_vec(), k.file.clone()),
        (None, None) => (Vec::new(), k.file.clone()),
    };
    let docs: Vec<Value> = parse_indexed(&bytes, &file, Typing::Kyaml)?
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    let body = match docs.as_slice() {
        [Value::Array(_)] => {
            // JSON 6902 patches go through go-yaml v2 in Kustomize: YAML 1.1 typing.
            let mut raw = parse_indexed(&bytes, &file, Typing::Yaml11)?;
            Body::Json(raw.pop().map_or(Value::Null, |(_, v)| v))
        }
        [] => return Err(KustomizeError::invalid(&file, "empty patch")),
        _ => Body::Strategic(docs),
    };
    Ok(Loaded { body, file })
}

/// Runs `patchesStrategicMerge`, then `patches`.
pub(crate) fn apply_patches(
    resources: &mut Vec<Resource>,
    k: &Kustomization,
    files: &mut Vec<PathBuf>,
) -> Result<(), KustomizeError> {
    for entry in &k.patches_strategic_merge {
        let candidate = k.dir.join(entry);
        let spec = if !entry.contains('\n') && candidate.is_file() {
            PatchSpec {
                path: Some(entry.clone()),
                ..PatchSpec::default()
            }
        } else if entry.contains('\n') || entry.contains(':') {
            PatchSpec {
                patch: Some(entry.clone()),
                ..PatchSpec::default()
            }
        } else {
            return Err(KustomizeError::Io {
                file: candidate,
                message: "patchesStrategicMerge file not found".into(),
            });
        };
        apply_spec(resources, &spec, k, files)?;
    }
    for spec in &k.patches {
        apply_spec(resources, spec, k, files)?;
    }
    Ok(())
}

/// Runs the legacy `patchesJson6902` (after labels and annotations, as Kustomize does).
pub(crate) fn apply_legacy_json(
    resources: &mut Vec<Resource>,
    k: &Kustomization,
    files: &mut Vec<PathBuf>,
) -> Result<(), KustomizeError> {
    for spec in &k.patches_json6902 {
        if spec.target.is_none() {
            return Err(KustomizeError::invalid(
                &k.file,
                "patchesJson6902 entry without `target`",
            ));
        }
        apply_spec(resources, spec, k, files)?;
    }
    Ok(())
}

fn apply_spec(
    resources: &mut Vec<Resource>,
    spec: &PatchSpec,
    k: &Kustomization,
    files: &mut Vec<PathBuf>,
) -> Result<(), KustomizeError> {
    let loaded = load(spec, k, files)?;
    let selector = spec
        .target
        .as_ref()
        .map(|t| Selector::parse(t, &k.file))
        .transpose()?;
    match &loaded.body {
        Body::Json(ops) => {
            let Some(selector) = selector else {
                return Err(KustomizeError::invalid(
                    &loaded.file,
                    "a JSON 6902 patch needs a `target` in the kustomization",
                ));
            };
            for r in resources.iter_mut().filter(|r| selector.matches(r)) {
                let before = r.value.clone();
                json6902::apply(&mut r.value, ops).map_err(|e| {
                    KustomizeError::invalid(&loaded.file, format!("on {}: {e}", r.describe()))
                })?;
                record(r, &before, &loaded.file);
            }
        }
        Body::Strategic(patches) => {
            for patch in patches {
                let mut deleted = Vec::new();
                let mut hits = 0;
                for (i, r) in resources.iter_mut().enumerate() {
                    let selected = match &selector {
                        Some(s) => s.matches(r),
                        None => patch_names(patch, r),
                    };
                    if !selected {
                        continue;
                    }
                    hits += 1;
                    if apply_strategic(r, patch, spec, &loaded.file) == Outcome::Deleted {
                        deleted.push(i);
                    }
                }
                if hits == 0 && selector.is_none() {
                    return Err(KustomizeError::invalid(
                        &loaded.file,
                        format!(
                            "patch for {} {:?} matches no resource",
                            patch["kind"].as_str().unwrap_or("?"),
                            patch["metadata"]["name"].as_str().unwrap_or("?")
                        ),
                    ));
                }
                for i in deleted.into_iter().rev() {
                    resources.remove(i);
                }
            }
        }
    }
    Ok(())
}

/// A patch without target applies to the resource it names (by any of its names; a patch
/// without namespace names the default namespace, as in Kustomize).
fn patch_names(patch: &Value, r: &Resource) -> bool {
    let kind = patch["kind"].as_str().unwrap_or("");
    let name = patch["metadata"]["name"].as_str().unwrap_or("");
    let group = split_api_version(patch["apiVersion"].as_str().unwrap_or("")).0;
    let ns = patch["metadata"]["namespace"].as_str().unwrap_or("");
    kind == r.kind()
        && (patch["apiVersion"].is_null() || group == r.group())
        && r.all_ids()
            .any(|(rns, rname)| rname == name && effective_ns(ns) == effective_ns(rns))
}

fn apply_strategic(r: &mut Resource, patch: &Value, spec: &PatchSpec, file: &Path) -> Outcome {
    let (name, namespace, kind) = (
        r.name().to_owned(),
        r.value["metadata"]["namespace"].clone(),
        r.kind().to_owned(),
    );
    if spec.allow_name_change || spec.allow_kind_change {
        r.remember_id();
    }
    let before = r.value.clone();
    let builtin = is_builtin_group(r.group());
    if smp::apply(&mut r.value, patch, builtin) == Outcome::Deleted {
        return Outcome::Deleted;
    }
    if let Value::Object(map) = &mut r.value
        && !spec.allow_kind_change
    {
        map.insert("kind".into(), Value::String(kind));
    }
    let meta = super::resource::metadata_mut(&mut r.value);
    if !spec.allow_name_change {
        meta.insert("name".into(), Value::String(name));
    }
    if namespace.is_null() {
        meta.shift_remove("namespace");
    } else {
        meta.insert("namespace".into(), namespace);
    }
    record(r, &before, file);
    Outcome::Kept
}

fn record(r: &mut Resource, before: &Value, file: &Path) {
    let pointers = changed_pointers(before, &r.value);
    if !pointers.is_empty() {
        r.patched.push(PatchOrigin {
            path: file.to_path_buf(),
            pointers,
        });
    }
}

/// API groups of the Kubernetes built-in kinds, whose schema Kustomize knows.
fn is_builtin_group(group: &str) -> bool {
    group.is_empty()
        || matches!(
            group,
            "apps"
                | "batch"
                | "policy"
                | "autoscaling"
                | "extensions"
                | "admissionregistration.k8s.io"
                | "apiextensions.k8s.io"
                | "apiregistration.k8s.io"
                | "certificates.k8s.io"
                | "coordination.k8s.io"
                | "discovery.k8s.io"
                | "events.k8s.io"
                | "flowcontrol.apiserver.k8s.io"
                | "networking.k8s.io"
                | "node.k8s.io"
                | "rbac.authorization.k8s.io"
                | "scheduling.k8s.io"
                | "storage.k8s.io"
        )
}
