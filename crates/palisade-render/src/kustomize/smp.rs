//! Strategic merge patches as Kustomize (kyaml) applies them: maps merge, `null` deletes,
//! lists of objects merge by their key (`containers` by name, `volumeMounts` by mountPath, …),
//! other lists are replaced, and `$patch: delete|replace` directives are honoured.

use serde_json::{Map, Value};

/// What became of the patched object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Kept,
    Deleted,
}

/// Applies `patch` to `target`. Lists merge by key only in `builtin` kinds (Kustomize knows
/// their schema); lists of other kinds (custom resources) are replaced.
pub(crate) fn apply(target: &mut Value, patch: &Value, builtin: bool) -> Outcome {
    if directive(patch) == Some("delete") {
        return Outcome::Deleted;
    }
    merge_value(target, patch, builtin);
    Outcome::Kept
}

fn directive(v: &Value) -> Option<&str> {
    v.get("$patch").and_then(Value::as_str)
}

fn is_directive_key(key: &str) -> bool {
    key == "$patch"
        || key == "$retainKeys"
        || key.starts_with("$setElementOrder/")
        || key.starts_with("$deleteFromPrimitiveList/")
}

/// A copy of a patch value without directives, for insertion.
fn clean(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !is_directive_key(k))
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), clean(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|i| directive(i).is_none())
                .map(clean)
                .collect(),
        ),
        other => other.clone(),
    }
}

fn merge_value(target: &mut Value, patch: &Value, builtin: bool) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            if directive(patch) == Some("replace") {
                let Value::Object(fresh) = clean(patch) else {
                    unreachable!()
                };
                *t = fresh;
            } else {
                merge_map(t, p, builtin);
            }
        }
        (target, patch) => *target = clean(patch),
    }
}

fn merge_map(target: &mut Map<String, Value>, patch: &Map<String, Value>, builtin: bool) {
    for (key, pv) in patch {
        if let Some(field) = key.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(items)), Value::Array(gone)) = (target.get_mut(field), pv) {
                items.retain(|i| !gone.contains(i));
            }
            continue;
        }
        if is_directive_key(key) {
            continue;
        }
        match pv {
            Value::Null => {
                target.shift_remove(key);
            }
            Value::Object(_) if directive(pv) == Some("delete") => {
                target.shift_remove(key);
            }
            Value::Object(_) => match target.get_mut(key) {
                Some(existing @ Value::Object(_)) => merge_value(existing, pv, builtin),
                _ => {
                    target.insert(key.clone(), clean(pv));
                }
            },
            Value::Array(items) => {
                let replace = items.iter().any(|i| directive(i) == Some("replace"));
                match target.get_mut(key) {
                    Some(Value::Array(existing)) if !replace => {
                        if let Some(merge_key) = merge_key(key, existing, items).filter(|_| builtin)
                        {
                            merge_list(existing, items, merge_key, builtin);
                        } else {
                            *existing = clean_list(items);
                        }
                    }
                    _ => {
                        target.insert(key.clone(), Value::Array(clean_list(items)));
                    }
                }
            }
            scalar => {
                target.insert(key.clone(), scalar.clone());
            }
        }
    }
}

fn clean_list(items: &[Value]) -> Vec<Value> {
    items
        .iter()
        .filter(|i| directive(i).is_none() || directive(i) == Some("merge"))
        .map(clean)
        .collect()
}

/// The key that identifies elements of the list `field`, if the list is associative.
fn merge_key(field: &str, existing: &[Value], patch: &[Value]) -> Option<&'static str> {
    let known: Option<&'static str> = match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "hostAliases" => Some("ip"),
        "conditions" => Some("type"),
        "topologySpreadConstraints" => Some("topologyKey"),
        "ports" => {
            let all = existing.iter().chain(patch);
            if all.clone().any(|e| e.get("containerPort").is_some()) {
                Some("containerPort")
            } else {
                Some("port")
            }
        }
        _ => None,
    };
    let key = known?;
    let all_keyed = existing
        .iter()
        .chain(patch.iter())
        .all(|e| e.get(key).is_some());
    all_keyed.then_some(key)
}

/// Merges by `key`: the patch's elements first, in patch order (merged into the existing
/// element of the same key), then the existing elements the patch does not name, as
/// Kustomize orders them. Port lists where an element states `protocol` (merged by port and
/// protocol in Kustomize) put the new elements first and keep the existing ones in place.
fn merge_list(existing: &mut Vec<Value>, patch: &[Value], key: &str, builtin: bool) {
    let by_port_and_protocol = key.ends_with("ort")
        && existing
            .iter()
            .chain(patch)
            .any(|e| e.get("protocol").is_some());
    if by_port_and_protocol {
        merge_list_new_first(existing, patch, key, builtin);
        return;
    }
    let mut rest: Vec<Option<Value>> = std::mem::take(existing).into_iter().map(Some).collect();
    let mut merged = Vec::with_capacity(rest.len() + patch.len());
    for item in patch {
        let Some(id) = item.get(key) else {
            continue;
        };
        let found = rest
            .iter_mut()
            .find(|e| e.as_ref().is_some_and(|e| e.get(key) == Some(id)))
            .and_then(Option::take);
        if directive(item) == Some("delete") {
            continue;
        }
        match found {
            Some(mut element) => {
                merge_value(&mut element, item, builtin);
                merged.push(element);
            }
            None => merged.push(clean(item)),
        }
    }
    merged.extend(rest.into_iter().flatten());
    *existing = merged;
}

/// New elements first (patch order), then the existing ones (merged, or deleted) in place.
fn merge_list_new_first(existing: &mut Vec<Value>, patch: &[Value], key: &str, builtin: bool) {
    let mut added = Vec::new();
    for item in patch {
        let Some(id) = item.get(key) else {
            continue;
        };
        let position = existing.iter().position(|e| e.get(key) == Some(id));
        match (directive(item), position) {
            (Some("delete"), Some(i)) => {
                existing.remove(i);
            }
            (Some("delete"), None) => {}
            (_, Some(i)) => merge_value(&mut existing[i], item, builtin),
            (_, None) => added.push(clean(item)),
        }
    }
    added.append(existing);
    *existing = added;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn containers_merge_by_name_patch_order_first() {
        let mut target = json!({"spec": {"containers": [
            {"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1"}]}});
        let patch = json!({"spec": {"containers": [
            {"name": "b", "image": "b:2"}, {"name": "c", "image": "c:1"}]}});
        assert_eq!(apply(&mut target, &patch, true), Outcome::Kept);
        assert_eq!(
            target["spec"]["containers"],
            json!([{"name": "b", "image": "b:2"}, {"name": "c", "image": "c:1"},
                   {"name": "a", "image": "a:1"}])
        );
    }

    #[test]
    fn directives_and_nulls() {
        let mut target =
            json!({"a": {"x": 1, "y": 2}, "volumes": [{"name": "k"}, {"name": "m"}], "z": 1});
        let patch = json!({"a": {"$patch": "replace", "q": 3}, "z": null,
            "volumes": [{"name": "k", "$patch": "delete"}]});
        apply(&mut target, &patch, true);
        assert_eq!(target, json!({"a": {"q": 3}, "volumes": [{"name": "m"}]}));
        assert_eq!(
            apply(&mut target, &json!({"$patch": "delete"}), true),
            Outcome::Deleted
        );
    }

    #[test]
    fn custom_resource_lists_are_replaced() {
        let mut target = json!({"items": [{"name": "a"}, {"name": "b"}]});
        apply(
            &mut target,
            &json!({"items": [{"name": "b", "v": 1}]}),
            false,
        );
        assert_eq!(target, json!({"items": [{"name": "b", "v": 1}]}));
    }
}
