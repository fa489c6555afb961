//! Field paths the way Kustomize's field specs walk them: `spec/template/metadata/labels`,
//! with sequences met on the way visited element by element.

use serde_json::Value;

/// Calls `f` on the value at `path` (slash-separated) in `value`, visiting every element of
/// the sequences met on the way. With `create`, missing maps on the way are created and a
/// missing final field is inserted as `null` before `f` sees it.
pub(crate) fn visit(value: &mut Value, path: &str, create: bool, f: &mut dyn FnMut(&mut Value)) {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    walk(value, &segments, create, f);
}

fn walk(value: &mut Value, path: &[&str], create: bool, f: &mut dyn FnMut(&mut Value)) {
    if let Value::Array(items) = value {
        for item in items {
            walk(item, path, create, f);
        }
        return;
    }
    let Some((head, rest)) = path.split_first() else {
        f(value);
        return;
    };
    let Value::Object(map) = value else {
        return;
    };
    if !map.contains_key(*head) {
        if !create {
            return;
        }
        let fresh = if rest.is_empty() {
            Value::Null
        } else {
            Value::Object(serde_json::Map::new())
        };
        map.insert((*head).to_owned(), fresh);
    }
    if let Some(next) = map.get_mut(*head) {
        if next.is_null() && !rest.is_empty() {
            if !create {
                return;
            }
            *next = Value::Object(serde_json::Map::new());
        }
        walk(next, rest, create, f);
    }
}

/// Adds `pairs` to the string map `target` (a `null` becomes a map; other values are left).
pub(crate) fn merge_pairs(target: &mut Value, pairs: &[(String, String)]) {
    if target.is_null() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(map) = target {
        for (k, v) in pairs {
            map.insert(k.clone(), Value::String(v.clone()));
        }
    }
}
