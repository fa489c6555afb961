//! Patches: strategic merge (maps merged, `null` deletes, lists of built-in kinds merged by
//! their merge keys, `$patch: delete|replace`) and JSON 6902 (`add`, `remove`, `replace`,
//! `move`, `copy`, `test`), selected by the patch's own kind and name or by a `target`.

use std::path::Path;

use serde_json::{Map, Value};

use super::build::Resource;
use super::load::{self, Patch};
use super::{KustomizeError, PatchOrigin};

/// Kinds whose lists are merged by key (their OpenAPI schema says so); lists of other kinds
/// are replaced, as Kustomize does without a schema for them.
const BUILT_IN: [&str; 12] = [
    "Pod",
    "Deployment",
    "ReplicaSet",
    "DaemonSet",
    "StatefulSet",
    "Job",
    "CronJob",
    "ReplicationController",
    "PodTemplate",
    "Service",
    "ConfigMap",
    "Secret",
];

pub(super) fn apply(
    patch: &Patch,
    resources: &mut Vec<Resource>,
    kustomization: &Path,
) -> Result<(), KustomizeError> {
    let documents: Vec<Value> = load::documents(&patch.text, &patch.source)?
        .into_iter()
        .filter(|d| !d.is_null())
        .collect();
    let Some(first) = documents.first() else {
        return Err(KustomizeError::invalid(&patch.source, "empty patch"));
    };
    if first.is_array() {
        let target = patch.target.as_ref().ok_or_else(|| {
            KustomizeError::invalid(kustomization, "a JSON 6902 patch needs a `target`")
        })?;
        let selected = select(resources, target, &patch.source)?;
        for index in selected {
            let resource = &mut resources[index];
            let pointers = json6902(&mut resource.value, first, &patch.source)?;
            resource.patched.push(PatchOrigin {
                path: patch.source.clone(),
                pointers,
            });
        }
        return Ok(());
    }
    for document in &documents {
        let selected = if let Some(target) = &patch.target {
            select(resources, target, &patch.source)?
        } else {
            let kind = document
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let name = document
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let namespace = document
                .pointer("/metadata/namespace")
                .and_then(Value::as_str);
            let found: Vec<usize> = resources
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.kind() == kind
                        && r.answers_to(name)
                        && namespace.is_none_or(|ns| r.namespace().unwrap_or("default") == ns)
                })
                .map(|(i, _)| i)
                .collect();
            if found.is_empty() {
                return Err(KustomizeError::invalid(
                    &patch.source,
                    format!("patch for {kind} {name}: no such resource in the build"),
                ));
            }
            found
        };
        let mut deleted = Vec::new();
        for index in selected {
            let resource = &mut resources[index];
            if document.get("$patch").and_then(Value::as_str) == Some("delete") {
                deleted.push(index);
                continue;
            }
            let built_in = BUILT_IN.contains(&resource.kind());
            let mut pointers = Vec::new();
            // The patch's identity fields do not rename the target.
            let mut body = document.clone();
            if (patch.target.is_some() || body.pointer("/metadata/name").is_some())
                && let Some(meta) = body.get_mut("metadata").and_then(Value::as_object_mut)
            {
                meta.remove("name");
                meta.remove("namespace");
            }
            if let Some(object) = body.as_object_mut() {
                object.remove("apiVersion");
                object.remove("kind");
            }
            merge(
                &mut resource.value,
                &body,
                "",
                "",
                built_in,
                &mut pointers,
                &patch.source,
            )?;
            resource.patched.push(PatchOrigin {
                path: patch.source.clone(),
                pointers,
            });
        }
        for index in deleted.into_iter().rev() {
            resources.remove(index);
        }
    }
    Ok(())
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The merge key of a list field, for built-in kinds.
fn merge_key(field: &str, pointer: &str) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "readinessGates" => "conditionType",
        "ports" if pointer.contains("ontainers/") => "containerPort",
        "ports" => "port",
        _ => return None,
    })
}

fn directive(value: &Value) -> Option<&str> {
    value.get("$patch").and_then(Value::as_str)
}

fn merge(
    target: &mut Value,
    patch: &Value,
    pointer: &str,
    field: &str,
    built_in: bool,
    pointers: &mut Vec<String>,
    source: &Path,
) -> Result<(), KustomizeError> {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            if directive(&Value::Object(patch.clone())) == Some("replace") {
                let mut replacement = patch.clone();
                replacement.remove("$patch");
                *target = replacement;
                pointers.push(pointer.to_string());
                return Ok(());
            }
            for (key, value) in patch {
                if key.starts_with('$') {
                    if key == "$patch" {
                        continue;
                    }
                    return Err(KustomizeError::Unsupported {
                        path: source.to_path_buf(),
                        field: key.clone(),
                    });
                }
                let child = format!("{pointer}/{}", escape(key));
                if value.is_null() {
                    target.remove(key);
                    continue;
                }
                match target.get_mut(key) {
                    Some(existing) if !existing.is_null() => {
                        merge(existing, value, &child, key, built_in, pointers, source)?;
                    }
                    _ => {
                        target.insert(key.clone(), strip_directives(value));
                        pointers.push(child);
                    }
                }
            }
            Ok(())
        }
        (Value::Array(target), Value::Array(patch)) => {
            let key = if built_in {
                merge_key(field, pointer)
            } else {
                None
            };
            let Some(key) = key else {
                *target = patch.iter().map(strip_directives).collect();
                pointers.push(pointer.to_string());
                return Ok(());
            };
            // Kustomize's order: the patch's items first (merged with the originals they name),
            // then the original items the patch does not mention.
            let mut original: Vec<Option<Value>> = target.drain(..).map(Some).collect();
            let mut merged = Vec::with_capacity(original.len() + patch.len());
            for item in patch {
                let id = item.get(key);
                let found = id.and_then(|id| {
                    original
                        .iter()
                        .position(|t| t.as_ref().is_some_and(|t| t.get(key) == Some(id)))
                });
                match (found, directive(item)) {
                    (Some(at), Some("delete")) => {
                        original[at] = None;
                    }
                    (None, Some("delete")) => {}
                    (Some(at), _) => {
                        let mut existing = original[at].take().unwrap_or(Value::Null);
                        let child = format!("{pointer}/{}", merged.len());
                        merge(&mut existing, item, &child, "", built_in, pointers, source)?;
                        merged.push(existing);
                    }
                    (None, _) => {
                        pointers.push(format!("{pointer}/{}", merged.len()));
                        merged.push(strip_directives(item));
                    }
                }
            }
            merged.extend(original.into_iter().flatten());
            *target = merged;
            Ok(())
        }
        (target, patch) => {
            let new = strip_directives(patch);
            if *target != new {
                *target = new;
                pointers.push(pointer.to_string());
            }
            Ok(())
        }
    }
}

fn strip_directives(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip_directives(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_directives).collect()),
        other => other.clone(),
    }
}

/// Applies JSON 6902 operations; returns the pointers they wrote.
fn json6902(value: &mut Value, ops: &Value, source: &Path) -> Result<Vec<String>, KustomizeError> {
    let err = |message: String| KustomizeError::invalid(source, message);
    let mut pointers = Vec::new();
    for op in ops.as_array().into_iter().flatten() {
        let name = op.get("op").and_then(Value::as_str).unwrap_or_default();
        let path = op
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| err("an operation has no path".into()))?;
        match name {
            "add" | "replace" | "test" => {
                let new = op
                    .get("value")
                    .cloned()
                    .ok_or_else(|| err(format!("{name} {path}: no value")))?;
                if name == "test" {
                    if value.pointer(path) != Some(&new) {
                        return Err(err(format!("test {path} failed")));
                    }
                    continue;
                }
                if name == "replace" && value.pointer(path).is_none() {
                    return Err(err(format!("replace {path}: no such path")));
                }
                pointers.push(
                    add(value, path, new, name == "replace")
                        .map_err(|e| err(format!("{name} {path}: {e}")))?,
                );
            }
            "remove" => {
                remove(value, path).map_err(|e| err(format!("remove {path}: {e}")))?;
            }
            "move" | "copy" => {
                let from = op
                    .get("from")
                    .and_then(Value::as_str)
                    .ok_or_else(|| err(format!("{name} {path}: no from")))?;
                let moved = if name == "move" {
                    remove(value, from).map_err(|e| err(format!("move from {from}: {e}")))?
                } else {
                    value
                        .pointer(from)
                        .cloned()
                        .ok_or_else(|| err(format!("copy from {from}: no such path")))?
                };
                pointers.push(
                    add(value, path, moved, false)
                        .map_err(|e| err(format!("{name} {path}: {e}")))?,
                );
            }
            other => return Err(err(format!("unknown operation `{other}`"))),
        }
    }
    Ok(pointers)
}

fn split(path: &str) -> Result<(&str, String), String> {
    let at = path.rfind('/').ok_or("not a JSON pointer")?;
    let last = path[at + 1..].replace("~1", "/").replace("~0", "~");
    Ok((&path[..at], last))
}

/// Adds (or replaces) at `path`; returns the pointer written.
fn add(value: &mut Value, path: &str, new: Value, replace: bool) -> Result<String, String> {
    if path.is_empty() {
        *value = new;
        return Ok(String::new());
    }
    let (parent, last) = split(path)?;
    let container = value.pointer_mut(parent).ok_or("no such parent")?;
    match container {
        Value::Object(map) => {
            map.insert(last, new);
            Ok(path.to_string())
        }
        Value::Array(items) => {
            let index = if last == "-" {
                items.len()
            } else {
                last.parse::<usize>().map_err(|_| "bad array index")?
            };
            if replace {
                *items.get_mut(index).ok_or("index out of range")? = new;
            } else {
                if index > items.len() {
                    return Err("index out of range".into());
                }
                items.insert(index, new);
            }
            Ok(format!("{parent}/{index}"))
        }
        _ => Err("parent is not a map or list".into()),
    }
}

fn remove(value: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, last) = split(path)?;
    match value.pointer_mut(parent).ok_or("no such parent")? {
        Value::Object(map) => map.remove(&last).ok_or_else(|| "no such key".into()),
        Value::Array(items) => {
            let index = last.parse::<usize>().map_err(|_| "bad array index")?;
            if index < items.len() {
                Ok(items.remove(index))
            } else {
                Err("index out of range".into())
            }
        }
        _ => Err("parent is not a map or list".into()),
    }
}

/// Indices of the resources a `target` selects.
fn select(
    resources: &[Resource],
    target: &Map<String, Value>,
    source: &Path,
) -> Result<Vec<usize>, KustomizeError> {
    let text = |key: &str| target.get(key).and_then(Value::as_str);
    for key in target.keys() {
        if ![
            "group",
            "version",
            "kind",
            "name",
            "namespace",
            "labelSelector",
            "annotationSelector",
        ]
        .contains(&key.as_str())
        {
            return Err(KustomizeError::Unsupported {
                path: source.to_path_buf(),
                field: format!("target.{key}"),
            });
        }
    }
    Ok(resources
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let (group, version) = match r.api_version().rsplit_once('/') {
                Some((group, version)) => (group, version),
                None => ("", r.api_version()),
            };
            text("group").is_none_or(|g| g == group)
                && text("version").is_none_or(|v| v == version)
                && text("kind").is_none_or(|k| k == r.kind())
                && text("name")
                    .is_none_or(|pattern| r.names.iter().any(|n| regex_match(pattern, n)))
                && text("namespace")
                    .is_none_or(|pattern| regex_match(pattern, r.namespace().unwrap_or("")))
                && text("labelSelector")
                    .is_none_or(|s| selector_matches(s, r.value.pointer("/metadata/labels")))
                && text("annotationSelector")
                    .is_none_or(|s| selector_matches(s, r.value.pointer("/metadata/annotations")))
        })
        .map(|(i, _)| i)
        .collect())
}

/// `a=b,c!=d,e`: equality, inequality and existence requirements.
fn selector_matches(selector: &str, map: Option<&Value>) -> bool {
    let get = |key: &str| map.and_then(|m| m.get(key)).and_then(Value::as_str);
    selector
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .all(|requirement| {
            if let Some((key, value)) = requirement.split_once("!=") {
                get(key.trim()) != Some(value.trim())
            } else if let Some((key, value)) = requirement
                .split_once("==")
                .or_else(|| requirement.split_once('='))
            {
                get(key.trim()) == Some(value.trim())
            } else if let Some(key) = requirement.strip_prefix('!') {
                get(key.trim()).is_none()
            } else {
                get(requirement).is_some()
            }
        })
}

/// Whole-string match of the regular expressions targets use: literals, `.`, `*`, `+`, `?`,
/// `\` escapes and top-level `|` alternatives (`^`/`$` anchors are implied).
fn regex_match(pattern: &str, text: &str) -> bool {
    let pattern = pattern.trim_start_matches('^').trim_end_matches('$');
    pattern.split('|').any(|alt| {
        let atoms = atoms(alt);
        matches_from(&atoms, text.as_bytes())
    })
}

#[derive(Clone, Copy)]
enum Quant {
    One,
    Star,
    Plus,
    Optional,
}

fn atoms(pattern: &str) -> Vec<(Option<u8>, Quant)> {
    let bytes = pattern.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let atom = match bytes[i] {
            b'.' => None,
            b'\\' if i + 1 < bytes.len() => {
                i += 1;
                Some(bytes[i])
            }
            b => Some(b),
        };
        i += 1;
        let quant = match bytes.get(i) {
            Some(b'*') => Quant::Star,
            Some(b'+') => Quant::Plus,
            Some(b'?') => Quant::Optional,
            _ => Quant::One,
        };
        if !matches!(quant, Quant::One) {
            i += 1;
        }
        out.push((atom, quant));
    }
    out
}

fn matches_from(atoms: &[(Option<u8>, Quant)], text: &[u8]) -> bool {
    let Some(((atom, quant), rest)) = atoms.split_first() else {
        return text.is_empty();
    };
    let hit = |b: u8| atom.is_none_or(|a| a == b);
    match quant {
        Quant::One => text.first().is_some_and(|&b| hit(b)) && matches_from(rest, &text[1..]),
        Quant::Optional => {
            matches_from(rest, text)
                || (text.first().is_some_and(|&b| hit(b)) && matches_from(rest, &text[1..]))
        }
        Quant::Star | Quant::Plus => {
            let min = usize::from(matches!(quant, Quant::Plus));
            let mut run = 0;
            while run < text.len() && hit(text[run]) {
                run += 1;
            }
            (min..=run).rev().any(|n| matches_from(rest, &text[n..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_regexes() {
        assert!(regex_match("app", "app"));
        assert!(!regex_match("app", "app2"));
        assert!(regex_match(".*", "anything"));
        assert!(regex_match("web-.*", "web-frontend"));
        assert!(regex_match(
            "(api|web)".trim_matches(|c| c == '(' || c == ')'),
            "web"
        ));
        assert!(regex_match("v1\\.2", "v1.2"));
        assert!(!regex_match("v1\\.2", "v1x2"));
    }

    #[test]
    fn selectors() {
        let labels = serde_json::json!({"app": "web", "tier": "front"});
        assert!(selector_matches("app=web", Some(&labels)));
        assert!(selector_matches("app=web,tier", Some(&labels)));
        assert!(!selector_matches("app!=web", Some(&labels)));
        assert!(!selector_matches("missing", Some(&labels)));
    }
}
