//! The build: a kustomization's resources (bases built first, each with its own
//! transformations), its components, its generators, then its transformers in Kustomize's
//! order, then references to renamed objects updated.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::load::{self, Kustomization};
use super::{
    Build, BuiltObject, KustomizeError, PatchOrigin, SourceOrigin, generate, patch, transform,
};

/// An object being built.
#[derive(Debug, Clone)]
pub(super) struct Resource {
    pub value: Value,
    pub origin: SourceOrigin,
    pub patched: Vec<PatchOrigin>,
    /// Every name the object has had, oldest first; the last is the current name.
    pub names: Vec<String>,
    /// The content-hash suffix a generator gave the name.
    pub hash: Option<String>,
}

impl Resource {
    pub fn new(value: Value, origin: SourceOrigin) -> Self {
        let name = value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        Resource {
            value,
            origin,
            patched: Vec::new(),
            names: vec![name],
            hash: None,
        }
    }

    pub fn kind(&self) -> &str {
        self.value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    pub fn api_version(&self) -> &str {
        self.value
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    pub fn name(&self) -> &str {
        self.value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    pub fn namespace(&self) -> Option<&str> {
        self.value
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
    }

    pub fn set_name(&mut self, name: String) {
        if let Some(meta) = self
            .value
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
        {
            meta.insert("name".into(), Value::String(name.clone()));
        }
        if self.names.last() != Some(&name) {
            self.names.push(name);
        }
    }

    /// Whether `name` is this object's name now or was one earlier.
    pub fn answers_to(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }
}

/// Builds the kustomization in `dir`.
pub fn build(dir: &Path) -> Result<Build, KustomizeError> {
    let mut state = State::default();
    let mut resources = Vec::new();
    accumulate(dir, &mut resources, &mut state)?;
    Ok(Build {
        objects: resources
            .into_iter()
            .map(|r| BuiltObject {
                value: r.value,
                origin: r.origin,
                patched: r.patched,
            })
            .collect(),
        files_read: state.files_read,
    })
}

#[derive(Default)]
struct State {
    files_read: Vec<PathBuf>,
    /// Kustomization directories being built, to refuse cycles.
    stack: Vec<PathBuf>,
}

fn is_remote(entry: &str) -> bool {
    [
        "http://",
        "https://",
        "git@",
        "ssh://",
        "git::",
        "github.com/",
        "gitlab.com/",
    ]
    .iter()
    .any(|prefix| entry.starts_with(prefix))
        || entry.contains("?ref=")
}

/// Adds the kustomization in `dir` to `resources`: for a base, `resources` starts empty; for a
/// component, it holds what the including kustomization has so far (components transform it).
fn accumulate(
    dir: &Path,
    resources: &mut Vec<Resource>,
    state: &mut State,
) -> Result<(), KustomizeError> {
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if let Some(first) = state.stack.first()
        && state.stack.contains(&canonical)
    {
        return Err(KustomizeError::Cycle {
            path: canonical,
            via: first.clone(),
        });
    }
    state.stack.push(canonical);
    let k = load::load(dir)?;
    state.files_read.push(k.file.clone());
    let patch_files = k
        .legacy_smp
        .iter()
        .chain(&k.patches)
        .chain(&k.legacy_json6902);
    state.files_read.extend(
        patch_files
            .map(|p| p.source.clone())
            .filter(|source| *source != k.file),
    );
    for entry in &k.resources {
        if is_remote(entry) {
            return Err(KustomizeError::Remote {
                kustomization: k.file.clone(),
                url: entry.clone(),
            });
        }
        let path = dir.join(entry);
        if path.is_dir() {
            let mut base = Vec::new();
            accumulate(&path, &mut base, state)?;
            resources.extend(base);
        } else {
            resources.extend(file_resources(&path, &k, state)?);
        }
    }
    for entry in &k.components {
        if is_remote(entry) {
            return Err(KustomizeError::Remote {
                kustomization: k.file.clone(),
                url: entry.clone(),
            });
        }
        accumulate(&dir.join(entry), resources, state)?;
    }
    generate::run(&k, resources, &mut state.files_read)?;
    transformers(&k, resources)?;
    transform::update_name_references(resources);
    state.stack.pop();
    Ok(())
}

fn transformers(k: &Kustomization, resources: &mut Vec<Resource>) -> Result<(), KustomizeError> {
    for p in &k.legacy_smp {
        patch::apply(p, resources, &k.file)?;
    }
    for p in &k.patches {
        patch::apply(p, resources, &k.file)?;
    }
    if let Some(namespace) = &k.namespace {
        transform::namespace(resources, namespace);
    }
    transform::prefix_suffix(resources, &k.name_prefix, &k.name_suffix);
    if !k.common_labels.is_empty() {
        transform::labels(resources, &k.common_labels, true, true);
    }
    for set in &k.labels {
        transform::labels(
            resources,
            &set.pairs,
            set.include_selectors,
            set.include_templates || set.include_selectors,
        );
    }
    if !k.common_annotations.is_empty() {
        transform::annotations(resources, &k.common_annotations);
    }
    for p in &k.legacy_json6902 {
        patch::apply(p, resources, &k.file)?;
    }
    for (name, count) in &k.replicas {
        transform::replicas(resources, name, count);
    }
    for image in &k.images {
        transform::image(resources, image);
    }
    Ok(())
}

/// The objects of a resource file; `List` kinds are expanded into their items.
fn file_resources(
    path: &Path,
    k: &Kustomization,
    state: &mut State,
) -> Result<Vec<Resource>, KustomizeError> {
    let text = load::read(path, &k.file)?;
    state.files_read.push(path.to_path_buf());
    let mut out = Vec::new();
    // Documents are numbered as palisade-yaml numbers them: empty ones do not count.
    let documents = load::documents(&text, path)?
        .into_iter()
        .filter(|v| !v.is_null());
    for (document, value) in documents.enumerate() {
        let is_list = value
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|kind| kind.ends_with("List"))
            && value.get("items").is_some_and(Value::is_array);
        let origin = |item_pointer: String| SourceOrigin {
            path: path.to_path_buf(),
            document,
            item_pointer,
            generated: false,
        };
        if is_list {
            for (index, item) in value["items"].as_array().into_iter().flatten().enumerate() {
                out.push(Resource::new(
                    item.clone(),
                    origin(format!("/items/{index}")),
                ));
            }
        } else {
            if value.get("kind").and_then(Value::as_str).is_none() {
                return Err(KustomizeError::invalid(
                    path,
                    format!(
                        "document {} is not a Kubernetes object (no kind)",
                        document + 1
                    ),
                ));
            }
            out.push(Resource::new(value, origin(String::new())));
        }
    }
    Ok(out)
}
