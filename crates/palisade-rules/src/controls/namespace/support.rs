//! Reading Pod Security Admission labels off Namespace objects.

use palisade_k8s::Object;
use serde_json::Value;

/// The label that sets the enforced Pod Security Standards level.
pub(crate) const ENFORCE: &str = "pod-security.kubernetes.io/enforce";
/// The label that pins the policy version of the enforced level.
pub(crate) const ENFORCE_VERSION: &str = "pod-security.kubernetes.io/enforce-version";

/// True for a core Namespace.
pub(crate) fn is_namespace(object: &Object) -> bool {
    object.kind() == "Namespace" && object.group().is_empty()
}

/// A label's value (as written; non-string values are read as their JSON text).
pub(crate) fn label(object: &Object, key: &str) -> Option<String> {
    match object.labels()?.get(key)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Pointer of a label, relative to the object.
pub(crate) fn label_pointer(key: &str) -> String {
    format!(
        "/metadata/labels/{}",
        palisade_yaml::escape_pointer_token(key)
    )
}

/// `Namespace "shop"`.
pub(crate) fn describe(object: &Object) -> String {
    format!(
        "Namespace \"{}\"",
        object.resource.name.as_deref().unwrap_or("<unnamed>")
    )
}
