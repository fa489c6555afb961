//! The build itself: resources, generators and components accumulated per kustomization,
//! that kustomization's transformers run over them, then hash suffixes and name references.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::generate::{GeneratorKind, generate, hash_suffix};
use super::load::{Kustomization, is_remote, load_kustomization, read_indexed_documents};
use super::resource::{Resource, changed_pointers};
use super::{BuiltObject, KustomizeError, PatchOrigin, SourceOrigin, nameref, patch, transform};

/// Builds the kustomization in `dir`: the output objects and every file read.
pub(crate) fn build_root(dir: &Path) -> Result<(Vec<BuiltObject>, Vec<PathBuf>), KustomizeError> {
    let mut files = Vec::new();
    let mut stack = Vec::new();
    let mut resources = build_target(dir, &mut stack, &mut files)?;
    for r in &mut resources {
        if r.needs_hash {
            let name = format!("{}-{}", r.name(), hash_suffix(&r.value));
            r.set_name(&name);
        }
    }
    nameref::fix_references(&mut resources);
    let objects = resources
        .into_iter()
        .map(|r| BuiltObject {
            value: r.value,
            origin: r.origin,
            patched: r.patched,
        })
        .collect();
    Ok((objects, files))
}

/// The kustomization chain being built, for cycle detection.
type Stack = Vec<PathBuf>;

fn enter(dir: &Path, stack: &mut Stack, from: &Path) -> Result<(), KustomizeError> {
    let canonical = dir.canonicalize().map_err(|e| KustomizeError::Io {
        file: dir.to_path_buf(),
        message: format!("cannot open directory: {e}"),
    })?;
    if stack.contains(&canonical) {
        let chain: Vec<String> = stack
            .iter()
            .chain(std::iter::once(&canonical))
            .map(|p| p.display().to_string())
            .collect();
        return Err(KustomizeError::Cycle {
            file: from.to_path_buf(),
            chain: chain.join(" -> "),
        });
    }
    stack.push(canonical);
    Ok(())
}

fn build_target(
    dir: &Path,
    stack: &mut Stack,
    files: &mut Vec<PathBuf>,
) -> Result<Vec<Resource>, KustomizeError> {
    enter(dir, stack, dir)?;
    let k = load_kustomization(dir, files)?;
    let mut resources = Vec::new();
    accumulate(&k, &mut resources, stack, files)?;
    stack.pop();
    Ok(resources)
}

fn accumulate(
    k: &Kustomization,
    resources: &mut Vec<Resource>,
    stack: &mut Stack,
    files: &mut Vec<PathBuf>,
) -> Result<(), KustomizeError> {
    for entry in &k.resources {
        if is_remote(entry) && !k.dir.join(entry).exists() {
            return Err(KustomizeError::Remote {
                file: k.file.clone(),
                url: entry.clone(),
            });
        }
        let path = k.dir.join(entry);
        if path.is_dir() {
            enter(&path, stack, &k.file)?;
            let nested = load_kustomization(&path, files)?;
            if nested.is_component {
                return Err(KustomizeError::invalid(
                    &k.file,
                    format!("{entry} is a Component: list it under `components`, not `resources`"),
                ));
            }
            let mut built = Vec::new();
            accumulate(&nested, &mut built, stack, files)?;
            stack.pop();
            for r in built {
                append(resources, r, &k.file)?;
            }
        } else if path.is_file() {
            let path = k.file_in_root(entry)?;
            for r in read_resources(&path, files)? {
                append(resources, r, &k.file)?;
            }
        } else {
            return Err(KustomizeError::Io {
                file: k.file.clone(),
                message: format!("resource {entry} does not exist ({})", path.display()),
            });
        }
    }
    for spec in &k.config_map_generator {
        let r = generate(GeneratorKind::ConfigMap, spec, k, files)?;
        absorb(resources, r, &spec.behavior, k)?;
    }
    for spec in &k.secret_generator {
        let r = generate(GeneratorKind::Secret, spec, k, files)?;
        absorb(resources, r, &spec.behavior, k)?;
    }
    for entry in &k.components {
        if is_remote(entry) && !k.dir.join(entry).exists() {
            return Err(KustomizeError::Remote {
                file: k.file.clone(),
                url: entry.clone(),
            });
        }
        let path = k.dir.join(entry);
        enter(&path, stack, &k.file)?;
        let component = load_kustomization(&path, files)?;
        if !component.is_component {
            return Err(KustomizeError::invalid(
                &component.file,
                "listed under `components` but its kind is not Component",
            ));
        }
        accumulate(&component, resources, stack, files)?;
        stack.pop();
    }
    patch::apply_patches(resources, k, files)?;
    transform::run_metadata(resources, k);
    patch::apply_legacy_json(resources, k, files)?;
    transform::replicas(resources, &k.replicas);
    transform::images(resources, &k.images);
    Ok(())
}

/// The objects of a resource file (`List` items expanded).
fn read_resources(path: &Path, files: &mut Vec<PathBuf>) -> Result<Vec<Resource>, KustomizeError> {
    let mut out = Vec::new();
    for (document, value) in read_indexed_documents(path, files)? {
        let origin = |item_pointer: String| SourceOrigin {
            path: path.to_path_buf(),
            document,
            item_pointer,
            generated: false,
        };
        let is_list = value["kind"].as_str().is_some_and(|k| k.ends_with("List"))
            && value.get("items").is_some_and(Value::is_array);
        if is_list {
            if let Some(Value::Array(items)) = value.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check_object(item, path, document)?;
                    out.push(Resource::new(item.clone(), origin(format!("/items/{i}"))));
                }
            }
        } else {
            check_object(&value, path, document)?;
            out.push(Resource::new(value, origin(String::new())));
        }
    }
    Ok(out)
}

fn check_object(value: &Value, path: &Path, document: usize) -> Result<(), KustomizeError> {
    let complaint = if !value.is_object() {
        Some("is not a mapping")
    } else if value["kind"].as_str().is_none_or(str::is_empty) {
        Some("has no `kind`")
    } else if value["metadata"]["name"].as_str().is_none_or(str::is_empty) {
        Some("has no `metadata.name`")
    } else {
        None
    };
    match complaint {
        Some(what) => Err(KustomizeError::invalid(
            path,
            format!("document {} {what}", document + 1),
        )),
        None => Ok(()),
    }
}

fn append(resources: &mut Vec<Resource>, r: Resource, file: &Path) -> Result<(), KustomizeError> {
    if resources.iter().any(|other| other.same_current_id(&r)) {
        return Err(KustomizeError::invalid(
            file,
            format!(
                "{} is defined twice (may not add a resource with an already registered id)",
                r.describe()
            ),
        ));
    }
    resources.push(r);
    Ok(())
}

/// Adds a generated object, or merges it into / replaces the base object of that name.
fn absorb(
    resources: &mut Vec<Resource>,
    generated: Resource,
    behavior: &str,
    k: &Kustomization,
) -> Result<(), KustomizeError> {
    if behavior == "create" {
        return append(resources, generated, &k.file);
    }
    let name = generated.name().to_owned();
    let ns = generated.value["metadata"]["namespace"]
        .as_str()
        .map(str::to_owned);
    let Some(existing) = resources.iter_mut().find(|r| {
        r.kind() == generated.kind()
            && r.all_ids().any(|(rns, rn)| {
                rn == name
                    && ns.as_deref().is_none_or(|ns| {
                        super::resource::effective_ns(ns) == super::resource::effective_ns(rns)
                    })
            })
    }) else {
        return Err(KustomizeError::invalid(
            &k.file,
            format!(
                "{} {name:?} has behavior {behavior} but no base defines it",
                generated.kind()
            ),
        ));
    };
    let before = existing.value.clone();
    let Value::Object(new) = generated.value else {
        return Ok(());
    };
    for field in ["data", "binaryData"] {
        match (new.get(field), behavior) {
            (Some(Value::Object(add)), "merge") => {
                let target = super::resource::object_field(&mut existing.value, field);
                for (k, v) in add {
                    target.insert(k.clone(), v.clone());
                }
            }
            (Some(v), _) => {
                if let Value::Object(map) = &mut existing.value {
                    map.insert(field.into(), v.clone());
                }
            }
            (None, "replace") => {
                if let Value::Object(map) = &mut existing.value {
                    map.shift_remove(field);
                }
            }
            (None, _) => {}
        }
    }
    for field in ["labels", "annotations"] {
        if let Some(Value::Object(add)) = new["metadata"].get(field) {
            let meta = super::resource::metadata_mut(&mut existing.value);
            let target = super::resource::object_field_of_map(meta, field);
            for (k, v) in add {
                target.insert(k.clone(), v.clone());
            }
        }
    }
    // The result keeps the base object's identity, hash or not.
    let pointers = changed_pointers(&before, &existing.value);
    if !pointers.is_empty() {
        existing.patched.push(PatchOrigin {
            path: k.file.clone(),
            pointers,
        });
    }
    Ok(())
}
