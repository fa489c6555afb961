//! An object on its way through the build, with its identity history.

use serde_json::Value;

use super::{PatchOrigin, SourceOrigin};

/// A resource being built.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    pub value: Value,
    pub origin: SourceOrigin,
    pub patched: Vec<PatchOrigin>,
    /// Earlier (namespace, name) pairs, oldest first; the original identity is the first.
    pub history: Vec<(String, String)>,
    /// Generated and still waiting for its content hash suffix.
    pub needs_hash: bool,
}

impl Resource {
    pub fn new(value: Value, origin: SourceOrigin) -> Self {
        Resource {
            value,
            origin,
            patched: Vec::new(),
            history: Vec::new(),
            needs_hash: false,
        }
    }

    pub fn kind(&self) -> &str {
        self.value["kind"].as_str().unwrap_or("")
    }

    pub fn api_version(&self) -> &str {
        self.value["apiVersion"].as_str().unwrap_or("")
    }

    /// The API group ("" for the core group).
    pub fn group(&self) -> &str {
        split_api_version(self.api_version()).0
    }

    pub fn version(&self) -> &str {
        split_api_version(self.api_version()).1
    }

    pub fn name(&self) -> &str {
        self.value["metadata"]["name"].as_str().unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.value["metadata"]["namespace"].as_str().unwrap_or("")
    }

    /// The (namespace, name) the resource had when first read.
    pub fn original(&self) -> (&str, &str) {
        match self.history.first() {
            Some((ns, name)) => (ns, name),
            None => (self.namespace(), self.name()),
        }
    }

    /// Every (namespace, name) the resource has had, the current one last.
    pub fn all_ids(&self) -> impl Iterator<Item = (&str, &str)> {
        self.history
            .iter()
            .map(|(ns, n)| (ns.as_str(), n.as_str()))
            .chain(std::iter::once((self.namespace(), self.name())))
    }

    /// Records the current identity before it changes.
    pub fn remember_id(&mut self) {
        let current = (self.namespace().to_owned(), self.name().to_owned());
        if self.history.last() != Some(&current) {
            self.history.push(current);
        }
    }

    pub fn set_name(&mut self, name: &str) {
        self.remember_id();
        metadata_mut(&mut self.value).insert("name".into(), Value::String(name.into()));
    }

    pub fn set_namespace(&mut self, namespace: &str) {
        self.remember_id();
        metadata_mut(&mut self.value).insert("namespace".into(), Value::String(namespace.into()));
    }

    /// Same kind, group, name and namespace as `other` now.
    pub fn same_current_id(&self, other: &Resource) -> bool {
        self.kind() == other.kind()
            && self.group() == other.group()
            && self.name() == other.name()
            && effective_ns(self.namespace()) == effective_ns(other.namespace())
    }

    pub fn describe(&self) -> String {
        let ns = self.namespace();
        if ns.is_empty() {
            format!("{} {}", self.kind(), self.name())
        } else {
            format!("{} {}/{}", self.kind(), ns, self.name())
        }
    }
}

/// `"apps/v1"` → `("apps", "v1")`, `"v1"` → `("", "v1")`.
pub(crate) fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.rsplit_once('/') {
        Some((group, version)) => (group, version),
        None => ("", api_version),
    }
}

/// The namespace a namespaced object without one ends up in.
pub(crate) fn effective_ns(ns: &str) -> &str {
    if ns.is_empty() { "default" } else { ns }
}

/// `metadata` as a map, created (or replaced when not a map) if needed.
pub(crate) fn metadata_mut(value: &mut Value) -> &mut serde_json::Map<String, Value> {
    object_field(value, "metadata")
}

/// The map at `value[key]`, created when absent or not a map. `value` becomes a map if needed.
pub(crate) fn object_field<'a>(
    value: &'a mut Value,
    key: &str,
) -> &'a mut serde_json::Map<String, Value> {
    if !value.is_object() {
        *value = Value::Object(serde_json::Map::new());
    }
    let Value::Object(map) = value else {
        unreachable!("value was just made a map")
    };
    object_field_of_map(map, key)
}

/// Kinds Kubernetes serves cluster-wide: the namespace transformer leaves them alone.
pub(crate) fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "CustomResourceDefinition"
            | "PersistentVolume"
            | "StorageClass"
            | "PriorityClass"
            | "ValidatingWebhookConfiguration"
            | "MutatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding"
            | "APIService"
            | "Node"
            | "CSIDriver"
            | "CSINode"
            | "IngressClass"
            | "RuntimeClass"
            | "VolumeAttachment"
            | "ComponentStatus"
            | "CertificateSigningRequest"
            | "PodSecurityPolicy"
            | "FlowSchema"
            | "PriorityLevelConfiguration"
            | "SelfSubjectReview"
            | "TokenReview"
    )
}

/// JSON pointers of the leaves that differ between `before` and `after` (added or changed).
pub(crate) fn changed_pointers(before: &Value, after: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff(before, after, &mut String::new(), &mut out);
    out
}

fn diff(before: &Value, after: &Value, at: &mut String, out: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (key, av) in a {
                let len = at.len();
                at.push('/');
                at.push_str(&palisade_yaml::escape_pointer_token(key));
                match b.get(key) {
                    Some(bv) => diff(bv, av, at, out),
                    None => out.push(at.clone()),
                }
                at.truncate(len);
            }
        }
        (Value::Array(b), Value::Array(a)) => {
            for (i, av) in a.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                match b.get(i) {
                    Some(bv) => diff(bv, av, at, out),
                    None => out.push(at.clone()),
                }
                at.truncate(len);
            }
        }
        _ if before != after => out.push(at.clone()),
        _ => {}
    }
}

/// The map at `map[key]`, created when absent or not a map.
pub(crate) fn object_field_of_map<'a>(
    map: &'a mut serde_json::Map<String, Value>,
    key: &str,
) -> &'a mut serde_json::Map<String, Value> {
    let entry = map
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(serde_json::Map::new());
    }
    match entry {
        Value::Object(inner) => inner,
        _ => unreachable!("entry was just made a map"),
    }
}
