//! `configMapGenerator` and `secretGenerator`, with Kustomize's content hash suffix.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::KustomizeError;
use super::SourceOrigin;
use super::load::{GeneratorOptions, GeneratorSpec, Kustomization, read_bytes};
use super::resource::Resource;

/// Which generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GeneratorKind {
    ConfigMap,
    Secret,
}

impl GeneratorKind {
    pub fn kind(self) -> &'static str {
        match self {
            GeneratorKind::ConfigMap => "ConfigMap",
            GeneratorKind::Secret => "Secret",
        }
    }
}

/// Builds the object one generator entry describes.
pub(crate) fn generate(
    which: GeneratorKind,
    spec: &GeneratorSpec,
    k: &Kustomization,
    files: &mut Vec<PathBuf>,
) -> Result<Resource, KustomizeError> {
    let file = &k.file;
    if spec.name.is_empty() {
        return Err(KustomizeError::invalid(
            file,
            format!("a {} generator needs a `name`", which.kind()),
        ));
    }
    let pairs = collect_pairs(spec, k, files)?;
    let mut data = Map::new();
    let mut binary = Map::new();
    for (key, bytes) in pairs {
        if data.contains_key(&key) || binary.contains_key(&key) {
            return Err(KustomizeError::invalid(
                file,
                format!(
                    "{} generator {:?}: key {key:?} appears twice",
                    which.kind(),
                    spec.name
                ),
            ));
        }
        match which {
            GeneratorKind::Secret => {
                let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
                data.insert(key, Value::String(encoded));
            }
            GeneratorKind::ConfigMap => match String::from_utf8(bytes) {
                Ok(text) => {
                    data.insert(key, Value::String(text));
                }
                Err(raw) => {
                    let encoded = base64::engine::general_purpose::STANDARD.encode(raw.as_bytes());
                    binary.insert(key, Value::String(encoded));
                }
            },
        }
    }
    let options = merged_options(&k.generator_options, &spec.options);
    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::String(spec.name.clone()));
    if let Some(ns) = &spec.namespace {
        metadata.insert("namespace".into(), Value::String(ns.clone()));
    }
    if !options.labels.is_empty() {
        metadata.insert("labels".into(), string_map(&options.labels));
    }
    if !options.annotations.is_empty() {
        metadata.insert("annotations".into(), string_map(&options.annotations));
    }
    let mut object = Map::new();
    object.insert("apiVersion".into(), Value::String("v1".into()));
    object.insert("kind".into(), Value::String(which.kind().into()));
    object.insert("metadata".into(), Value::Object(metadata));
    if !data.is_empty() {
        object.insert("data".into(), Value::Object(data));
    }
    if !binary.is_empty() {
        object.insert("binaryData".into(), Value::Object(binary));
    }
    if which == GeneratorKind::Secret {
        let kind = spec.secret_type.clone().unwrap_or_else(|| "Opaque".into());
        object.insert("type".into(), Value::String(kind));
    }
    if options.immutable == Some(true) {
        object.insert("immutable".into(), Value::Bool(true));
    }
    let mut resource = Resource::new(
        Value::Object(object),
        SourceOrigin {
            path: file.clone(),
            document: 0,
            item_pointer: String::new(),
            generated: true,
        },
    );
    resource.needs_hash = options.disable_name_suffix_hash != Some(true);
    Ok(resource)
}

/// `generatorOptions` with a generator's own options laid over them.
fn merged_options(global: &GeneratorOptions, own: &GeneratorOptions) -> GeneratorOptions {
    let mut out = global.clone();
    for (k, v) in &own.labels {
        out.labels.retain(|(key, _)| key != k);
        out.labels.push((k.clone(), v.clone()));
    }
    for (k, v) in &own.annotations {
        out.annotations.retain(|(key, _)| key != k);
        out.annotations.push((k.clone(), v.clone()));
    }
    // Kustomize disables the hash when either level asks for it.
    if own.disable_name_suffix_hash == Some(true) {
        out.disable_name_suffix_hash = Some(true);
    }
    if own.immutable.is_some() {
        out.immutable = own.immutable;
    }
    out
}

fn string_map(pairs: &[(String, String)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// The key/value pairs of a generator: env files, then literals, then files.
fn collect_pairs(
    spec: &GeneratorSpec,
    k: &Kustomization,
    files: &mut Vec<PathBuf>,
) -> Result<Vec<(String, Vec<u8>)>, KustomizeError> {
    let mut pairs = Vec::new();
    for env in &spec.envs {
        let path = k.file_in_root(env)?;
        let bytes = read_bytes(&path, files)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| KustomizeError::invalid(&path, "env file is not UTF-8"))?;
        for (i, raw) in text.lines().enumerate() {
            let line = if i == 0 {
                raw.trim_start_matches('\u{feff}')
            } else {
                raw
            };
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = match line.split_once('=') {
                Some((key, value)) => (key.to_owned(), value.to_owned()),
                None => (line.to_owned(), std::env::var(line).unwrap_or_default()),
            };
            if !is_env_var_name(&key) {
                return Err(KustomizeError::invalid(
                    &path,
                    format!(
                        "line {}: {key:?} is not a valid environment variable name",
                        i + 1
                    ),
                ));
            }
            pairs.push((key, value.into_bytes()));
        }
    }
    for literal in &spec.literals {
        let Some((key, value)) = literal.split_once('=') else {
            return Err(KustomizeError::invalid(
                &k.file,
                format!(
                    "literal {literal:?} of generator {:?} is not KEY=VALUE",
                    spec.name
                ),
            ));
        };
        pairs.push((key.to_owned(), remove_quotes(value).as_bytes().to_vec()));
    }
    for source in &spec.files {
        let (key, rel) = if let Some((key, rel)) = source.split_once('=') {
            (key.to_owned(), rel)
        } else {
            let base = Path::new(source)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(source);
            (base.to_owned(), source.as_str())
        };
        let path = k.file_in_root(rel)?;
        if path.is_dir() {
            return Err(KustomizeError::Unsupported {
                file: k.file.clone(),
                field: format!("files: {source} (a directory)"),
                detail: String::new(),
            });
        }
        pairs.push((key, read_bytes(&path, files)?));
    }
    Ok(pairs)
}

fn is_env_var_name(key: &str) -> bool {
    !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Strips one pair of matching surrounding quotes.
fn remove_quotes(value: &str) -> &str {
    let bytes = value.as_bytes();
    if bytes.len() >= 2 && bytes[0] == bytes[bytes.len() - 1] && matches!(bytes[0], b'"' | b'\'') {
        &value[1..value.len() - 1]
    } else {
        value
    }
}

/// Kustomize's hash suffix of a generated ConfigMap or Secret (or any object). Kustomize v5
/// hashes the content with an empty name (verified against `kubectl kustomize`).
pub(crate) fn hash_suffix(value: &Value) -> String {
    let kind = value["kind"].as_str().unwrap_or("");
    let name = "";
    let encoded = match kind {
        "ConfigMap" | "Secret" => {
            let mut fields: Vec<(&str, String)> = vec![
                // An absent `data` is hashed as an empty string, as Kustomize does.
                (
                    "data",
                    if value.get("data").is_some() {
                        go_json(&string_fields(&value["data"]))
                    } else {
                        "\"\"".to_owned()
                    },
                ),
                ("kind", go_json(&Value::String(kind.into()))),
                ("name", go_json(&Value::String(name.into()))),
            ];
            let (extra, extra_key) = if kind == "ConfigMap" {
                (&value["binaryData"], "binaryData")
            } else {
                (&value["stringData"], "stringData")
            };
            if extra.as_object().is_some_and(|m| !m.is_empty()) {
                fields.push((extra_key, go_json(&string_fields(extra))));
            }
            if kind == "Secret" {
                let kind_of_secret = value["type"].as_str().unwrap_or("");
                fields.push(("type", go_json(&Value::String(kind_of_secret.into()))));
            }
            fields.sort_by(|a, b| a.0.cmp(b.0));
            let mut out = String::from("{");
            for (i, (key, text)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "\"{key}\":{text}");
            }
            out.push('}');
            out
        }
        _ => go_json(value),
    };
    let digest = Sha256::digest(encoded.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex.chars()
        .take(10)
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            other => other,
        })
        .collect()
}

/// A string map's entries (non-strings as their text), sorted like Go's map encoding.
fn string_fields(value: &Value) -> Value {
    let mut entries: Vec<(String, Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k.clone(), Value::String(text))
            })
            .collect(),
        _ => Vec::new(),
    };
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Object(entries.into_iter().collect())
}

/// JSON as Go's `encoding/json` writes it: map keys sorted, `<`, `>`, `&`, U+2028 and U+2029
/// escaped.
fn go_json(value: &Value) -> String {
    let mut out = String::new();
    write_go_json(value, &mut out);
    out
}

fn write_go_json(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_string(key, out);
                out.push(':');
                write_go_json(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Value::String(s) => write_go_string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn write_go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_matches_kustomize_for_known_objects() {
        // Suffixes printed by `kubectl kustomize` (Kustomize v5.5.0).
        let cm = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "x"}, "data": {"a": "b"}});
        assert_eq!(hash_suffix(&cm), "4h2mbtbbt6");
        let empty = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "x"}});
        assert_eq!(hash_suffix(&empty), "6ct58987ht");
    }

    #[test]
    fn go_json_escapes_like_encoding_json() {
        let v = serde_json::json!({"b": "<a & b>", "a": "line\nbreak\u{1}"});
        assert_eq!(
            go_json(&v),
            r#"{"a":"line\nbreak\u0001","b":"\u003ca \u0026 b\u003e"}"#
        );
    }

    #[test]
    fn literal_quotes_are_removed_only_when_matching() {
        assert_eq!(remove_quotes("\"a b\""), "a b");
        assert_eq!(remove_quotes("'x'"), "x");
        assert_eq!(remove_quotes("\"x'"), "\"x'");
        assert_eq!(remove_quotes("\""), "\"");
    }
}
