//! JSON Patch (RFC 6902): add, remove, replace, move, copy and test.

use serde_json::Value;

/// Applies the operations in `ops` (a JSON array) to `doc`; an error says which op failed.
pub(crate) fn apply(doc: &mut Value, ops: &Value) -> Result<(), String> {
    let Value::Array(ops) = ops else {
        return Err("a JSON 6902 patch must be a list of operations".into());
    };
    for (i, op) in ops.iter().enumerate() {
        apply_one(doc, op).map_err(|e| format!("operation {i} ({}): {e}", op["op"]))?;
    }
    Ok(())
}

fn apply_one(doc: &mut Value, op: &Value) -> Result<(), String> {
    let path = op["path"].as_str().ok_or("missing `path`")?;
    let value = || op.get("value").cloned().ok_or("missing `value`");
    let from = || op["from"].as_str().ok_or("missing `from`");
    match op["op"].as_str().ok_or("missing `op`")? {
        "add" => add(doc, path, value()?),
        "remove" => remove(doc, path).map(drop),
        "replace" => {
            let target = doc.pointer_mut(path).ok_or_else(|| missing(path))?;
            *target = value()?;
            Ok(())
        }
        "move" => {
            let taken = remove(doc, from()?)?;
            add(doc, path, taken)
        }
        "copy" => {
            let copied = doc.pointer(from()?).cloned().ok_or_else(|| missing(path))?;
            add(doc, path, copied)
        }
        "test" => {
            let found = doc.pointer(path).ok_or_else(|| missing(path))?;
            if *found == value()? {
                Ok(())
            } else {
                Err(format!("test failed: {path} is {found}"))
            }
        }
        other => Err(format!("unknown op {other:?}")),
    }
}

fn missing(path: &str) -> String {
    format!("no value at {path}")
}

fn split(path: &str) -> Result<(&str, String), String> {
    let (parent, last) = path
        .rsplit_once('/')
        .ok_or_else(|| format!("bad path {path:?}"))?;
    Ok((parent, last.replace("~1", "/").replace("~0", "~")))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, key) = split(path)?;
    match doc.pointer_mut(parent).ok_or_else(|| missing(parent))? {
        Value::Object(map) => {
            map.insert(key, value);
            Ok(())
        }
        Value::Array(items) => {
            if key == "-" {
                items.push(value);
                return Ok(());
            }
            let index: usize = key.parse().map_err(|_| format!("bad index {key:?}"))?;
            if index > items.len() {
                return Err(format!("index {index} out of range at {parent}"));
            }
            items.insert(index, value);
            Ok(())
        }
        _ => Err(format!("{parent} is not a map or list")),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, key) = split(path)?;
    match doc.pointer_mut(parent).ok_or_else(|| missing(parent))? {
        Value::Object(map) => map.shift_remove(&key).ok_or_else(|| missing(path)),
        Value::Array(items) => {
            let index: usize = key.parse().map_err(|_| format!("bad index {key:?}"))?;
            if index >= items.len() {
                return Err(missing(path));
            }
            Ok(items.remove(index))
        }
        _ => Err(missing(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_apply_in_order() {
        let mut doc = json!({"a": [1, 2], "b": {"c": 1}});
        let ops = json!([
            {"op": "add", "path": "/a/1", "value": 9},
            {"op": "move", "from": "/b/c", "path": "/d"},
            {"op": "copy", "from": "/a", "path": "/e"},
            {"op": "remove", "path": "/a/0"},
            {"op": "test", "path": "/d", "value": 1}
        ]);
        apply(&mut doc, &ops).unwrap();
        assert_eq!(doc, json!({"a": [9, 2], "b": {}, "d": 1, "e": [1, 9, 2]}));
    }

    #[test]
    fn failures_name_the_operation() {
        let mut doc = json!({"a": 1});
        let err = apply(&mut doc, &json!([{"op": "test", "path": "/a", "value": 2}])).unwrap_err();
        assert!(err.starts_with("operation 0"), "{err}");
        assert!(apply(&mut doc, &json!([{"op": "remove", "path": "/zz"}])).is_err());
        assert!(
            apply(
                &mut doc,
                &json!([{"op": "add", "path": "/x/y", "value": 1}])
            )
            .is_err()
        );
        assert!(apply(&mut doc, &json!({"op": "add"})).is_err());
    }
}
