//! Reading a kustomization file into the fields the builder supports; any other field is an
//! error naming it.

use std::path::{Path, PathBuf};

use serde::Deserialize as _;
use serde_json::{Map, Value};

use super::{KUSTOMIZATION_FILES, KustomizeError};

/// Fields that change nothing in the output.
const IGNORED: [&str; 4] = ["apiVersion", "kind", "metadata", "buildMetadata"];

#[derive(Debug, Default)]
pub(super) struct Kustomization {
    pub dir: PathBuf,
    pub file: PathBuf,
    pub resources: Vec<String>,
    pub components: Vec<String>,
    pub namespace: Option<String>,
    pub name_prefix: String,
    pub name_suffix: String,
    pub common_labels: Map<String, Value>,
    pub labels: Vec<LabelSet>,
    pub common_annotations: Map<String, Value>,
    pub images: Vec<Image>,
    pub replicas: Vec<(String, Value)>,
    /// `patches` and `patchesStrategicMerge`/`patchesJson6902`, in the order Kustomize applies
    /// them: strategic-merge legacy list first (its own transformer runs first), then
    /// `patches`; the JSON 6902 legacy list runs later with the other late transformers.
    pub patches: Vec<Patch>,
    pub legacy_smp: Vec<Patch>,
    pub legacy_json6902: Vec<Patch>,
    pub config_maps: Vec<Value>,
    pub secrets: Vec<Value>,
    pub generator_options: Map<String, Value>,
}

#[derive(Debug)]
pub(super) struct LabelSet {
    pub pairs: Map<String, Value>,
    pub include_selectors: bool,
    pub include_templates: bool,
}

#[derive(Debug)]
pub(super) struct Image {
    pub name: String,
    pub new_name: Option<String>,
    pub new_tag: Option<String>,
    pub digest: Option<String>,
}

/// A patch and where its text came from.
#[derive(Debug)]
pub(super) struct Patch {
    pub text: String,
    /// The patch file, or the kustomization file for an inline patch.
    pub source: PathBuf,
    pub target: Option<Map<String, Value>>,
}

pub(super) fn kustomization_file(dir: &Path) -> Option<PathBuf> {
    KUSTOMIZATION_FILES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

/// Parses every document of a YAML stream; empty documents are `Null`.
pub(super) fn documents(text: &str, path: &Path) -> Result<Vec<Value>, KustomizeError> {
    let mut out = Vec::new();
    for document in serde_yaml_ng::Deserializer::from_str(text) {
        let value = Value::deserialize(document)
            .map_err(|e| KustomizeError::invalid(path, format!("invalid YAML: {e}")))?;
        out.push(value);
    }
    Ok(out)
}

pub(super) fn read(path: &Path, kustomization: &Path) -> Result<String, KustomizeError> {
    std::fs::read_to_string(path).map_err(|source| KustomizeError::Read {
        kustomization: kustomization.to_path_buf(),
        path: path.to_path_buf(),
        source,
    })
}

pub(super) fn load(dir: &Path) -> Result<Kustomization, KustomizeError> {
    let file = kustomization_file(dir).ok_or_else(|| {
        KustomizeError::invalid(
            dir,
            "no kustomization.yaml, kustomization.yml or Kustomization",
        )
    })?;
    let text = read(&file, &file)?;
    let root = documents(&text, &file)?
        .into_iter()
        .next()
        .unwrap_or(Value::Null);
    let root = match root {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        _ => return Err(KustomizeError::invalid(&file, "expected a mapping")),
    };
    let mut k = Kustomization {
        dir: dir.to_path_buf(),
        file: file.clone(),
        ..Kustomization::default()
    };
    for (field, value) in root {
        let bad =
            |what: &str| KustomizeError::invalid(&file, format!("`{field}`: expected {what}"));
        match field.as_str() {
            f if IGNORED.contains(&f) => {}
            "resources" | "bases" => k
                .resources
                .extend(strings(&value).ok_or_else(|| bad("a list of paths"))?),
            "components" => k.components = strings(&value).ok_or_else(|| bad("a list of paths"))?,
            "namespace" => k.namespace = value.as_str().map(str::to_string),
            "namePrefix" => k.name_prefix = value.as_str().unwrap_or_default().to_string(),
            "nameSuffix" => k.name_suffix = value.as_str().unwrap_or_default().to_string(),
            "commonLabels" => k.common_labels = string_map(value).ok_or_else(|| bad("a map"))?,
            "commonAnnotations" => {
                k.common_annotations = string_map(value).ok_or_else(|| bad("a map"))?;
            }
            "labels" => {
                for entry in value.as_array().ok_or_else(|| bad("a list"))? {
                    let pairs = entry
                        .get("pairs")
                        .cloned()
                        .and_then(string_map)
                        .ok_or_else(|| bad("entries with `pairs`"))?;
                    let flag =
                        |name: &str| entry.get(name).and_then(Value::as_bool).unwrap_or(false);
                    for key in entry.as_object().into_iter().flat_map(|m| m.keys()) {
                        if !["pairs", "includeSelectors", "includeTemplates"]
                            .contains(&key.as_str())
                        {
                            return Err(unsupported(&file, &format!("labels.{key}")));
                        }
                    }
                    k.labels.push(LabelSet {
                        pairs,
                        include_selectors: flag("includeSelectors"),
                        include_templates: flag("includeTemplates"),
                    });
                }
            }
            "images" => {
                for entry in value.as_array().ok_or_else(|| bad("a list"))? {
                    let text = |name: &str| entry.get(name).and_then(scalar_string);
                    k.images.push(Image {
                        name: text("name").ok_or_else(|| bad("entries with `name`"))?,
                        new_name: text("newName"),
                        new_tag: text("newTag"),
                        digest: text("digest"),
                    });
                }
            }
            "replicas" => {
                for entry in value.as_array().ok_or_else(|| bad("a list"))? {
                    let name = entry
                        .get("name")
                        .and_then(Value::as_str)
                        .ok_or_else(|| bad("entries with `name`"))?;
                    let count = entry
                        .get("count")
                        .cloned()
                        .ok_or_else(|| bad("entries with `count`"))?;
                    k.replicas.push((name.to_string(), count));
                }
            }
            "patches" => k.patches = patches(&value, &file, dir, true)?,
            "patchesStrategicMerge" => {
                for entry in value.as_array().ok_or_else(|| bad("a list"))? {
                    let text = entry
                        .as_str()
                        .ok_or_else(|| bad("paths or inline patches"))?;
                    k.legacy_smp.push(patch_text(text, &file, dir)?);
                }
            }
            "patchesJson6902" => k.legacy_json6902 = patches(&value, &file, dir, false)?,
            "configMapGenerator" => {
                k.config_maps = value.as_array().cloned().ok_or_else(|| bad("a list"))?;
            }
            "secretGenerator" => {
                k.secrets = value.as_array().cloned().ok_or_else(|| bad("a list"))?;
            }
            "generatorOptions" => {
                k.generator_options = value.as_object().cloned().ok_or_else(|| bad("a map"))?;
            }
            other => return Err(unsupported(&file, other)),
        }
    }
    Ok(k)
}

fn unsupported(file: &Path, field: &str) -> KustomizeError {
    KustomizeError::Unsupported {
        path: file.to_path_buf(),
        field: field.to_string(),
    }
}

/// `patches` / `patchesJson6902` entries: `path` or `patch`, optional `target`.
fn patches(
    value: &Value,
    file: &Path,
    dir: &Path,
    target_optional: bool,
) -> Result<Vec<Patch>, KustomizeError> {
    let mut out = Vec::new();
    for entry in value
        .as_array()
        .ok_or_else(|| KustomizeError::invalid(file, "patches: expected a list"))?
    {
        let target = entry.get("target").and_then(Value::as_object).cloned();
        if !target_optional && target.is_none() {
            return Err(KustomizeError::invalid(
                file,
                "patchesJson6902 entries need a `target`",
            ));
        }
        if let Some(options) = entry.get("options")
            && options.as_object().is_some_and(|o| !o.is_empty())
        {
            return Err(unsupported(file, "patches.options"));
        }
        let patch = match (
            entry.get("path").and_then(Value::as_str),
            entry.get("patch").and_then(Value::as_str),
        ) {
            (Some(path), _) => {
                let full = dir.join(path);
                Patch {
                    text: read(&full, file)?,
                    source: full,
                    target,
                }
            }
            (None, Some(inline)) => Patch {
                text: inline.to_string(),
                source: file.to_path_buf(),
                target,
            },
            (None, None) => {
                return Err(KustomizeError::invalid(
                    file,
                    "a patch needs `path` or `patch`",
                ));
            }
        };
        out.push(patch);
    }
    Ok(out)
}

/// A `patchesStrategicMerge` entry: a file path, or an inline patch.
fn patch_text(text: &str, file: &Path, dir: &Path) -> Result<Patch, KustomizeError> {
    let candidate = dir.join(text.trim());
    if !text.contains('\n') && candidate.is_file() {
        return Ok(Patch {
            text: read(&candidate, file)?,
            source: candidate,
            target: None,
        });
    }
    Ok(Patch {
        text: text.to_string(),
        source: file.to_path_buf(),
        target: None,
    })
}

fn strings(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Label and annotation values are strings in the output whatever YAML typed them as.
fn string_map(value: Value) -> Option<Map<String, Value>> {
    let map = match value {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        _ => return None,
    };
    Some(
        map.into_iter()
            .map(|(k, v)| {
                let text = scalar_string(&v).unwrap_or_default();
                (k, Value::String(text))
            })
            .collect(),
    )
}

pub(super) fn scalar_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
