//! Patch target selectors: group, version, kind, name and namespace as anchored regular
//! expressions, plus Kubernetes label and annotation selectors.

use std::path::Path;

use regex::Regex;
use serde_json::Value;

use super::KustomizeError;
use super::load::scalar_string;
use super::resource::{Resource, effective_ns};

/// A compiled `target`.
#[derive(Debug, Clone)]
pub(crate) struct Selector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Vec<Requirement>,
    annotations: Vec<Requirement>,
}

impl Selector {
    pub fn parse(target: &Value, file: &Path) -> Result<Selector, KustomizeError> {
        let Value::Object(map) = target else {
            return Err(KustomizeError::invalid(
                file,
                "a patch `target` must be a mapping",
            ));
        };
        let mut sel = Selector {
            group: None,
            version: None,
            kind: None,
            name: None,
            namespace: None,
            labels: Vec::new(),
            annotations: Vec::new(),
        };
        for (key, value) in map {
            let text = scalar_string(value).ok_or_else(|| {
                KustomizeError::invalid(file, format!("target.{key} must be a string"))
            })?;
            let slot = match key.as_str() {
                "group" => &mut sel.group,
                "version" => &mut sel.version,
                "kind" => &mut sel.kind,
                "name" => &mut sel.name,
                "namespace" => &mut sel.namespace,
                "labelSelector" => {
                    sel.labels = parse_requirements(&text, file)?;
                    continue;
                }
                "annotationSelector" => {
                    sel.annotations = parse_requirements(&text, file)?;
                    continue;
                }
                other => {
                    return Err(KustomizeError::invalid(
                        file,
                        format!("unknown patch target field `{other}`"),
                    ));
                }
            };
            if !text.is_empty() {
                let regex = Regex::new(&format!("^(?:{text})$")).map_err(|e| {
                    KustomizeError::invalid(file, format!("target.{key}: bad regex: {e}"))
                })?;
                *slot = Some(regex);
            }
        }
        Ok(sel)
    }

    pub fn matches(&self, r: &Resource) -> bool {
        let hit = |re: &Option<Regex>, text: &str| re.as_ref().is_none_or(|re| re.is_match(text));
        let (org_ns, org_name) = r.original();
        (hit(&self.namespace, effective_ns(org_ns))
            || hit(&self.namespace, effective_ns(r.namespace())))
            && (hit(&self.name, org_name) || hit(&self.name, r.name()))
            && hit(&self.group, r.group())
            && hit(&self.version, r.version())
            && hit(&self.kind, r.kind())
            && self
                .labels
                .iter()
                .all(|q| q.matches(&r.value["metadata"]["labels"]))
            && self
                .annotations
                .iter()
                .all(|q| q.matches(&r.value["metadata"]["annotations"]))
    }
}

#[derive(Debug, Clone)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

impl Requirement {
    fn matches(&self, map: &Value) -> bool {
        let get = |k: &str| map.get(k).and_then(scalar_string);
        match self {
            Requirement::Equals(k, v) => get(k).as_deref() == Some(v.as_str()),
            Requirement::NotEquals(k, v) => get(k).as_deref() != Some(v.as_str()),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.contains(&x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.contains(&x)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
        }
    }
}

fn parse_requirements(text: &str, file: &Path) -> Result<Vec<Requirement>, KustomizeError> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    let bad = || KustomizeError::invalid(file, format!("unreadable selector {text:?}"));
    let mut out = Vec::new();
    for part in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        let set = |rest: &str| -> Option<Vec<String>> {
            let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
            Some(inner.split(',').map(|s| s.trim().to_owned()).collect())
        };
        let requirement = if let Some(key) = part.strip_prefix('!') {
            Requirement::NotExists(key.trim().to_owned())
        } else if let Some((k, v)) = part.split_once("!=") {
            Requirement::NotEquals(k.trim().to_owned(), v.trim().to_owned())
        } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
            Requirement::Equals(k.trim().to_owned(), v.trim().to_owned())
        } else if let Some((k, rest)) = part.split_once(" notin ") {
            Requirement::NotIn(k.trim().to_owned(), set(rest).ok_or_else(bad)?)
        } else if let Some((k, rest)) = part.split_once(" in ") {
            Requirement::In(k.trim().to_owned(), set(rest).ok_or_else(bad)?)
        } else if part.contains(char::is_whitespace) {
            return Err(bad());
        } else {
            Requirement::Exists(part.to_owned())
        };
        out.push(requirement);
    }
    Ok(out)
}
