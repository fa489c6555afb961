//! The set of scanned objects, for controls that look across resources (RBAC bindings,
//! NetworkPolicy coverage, references between objects).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::{Object, PodView, pod_template_pointers};

/// Kinds that cross-resource controls read. Other objects (CRDs with huge schemas, custom
/// resources) are not kept after their own checks ran, which bounds memory on big corpora.
pub const GRAPH_KINDS: &[&str] = &[
    "Namespace",
    "ServiceAccount",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "NetworkPolicy",
    "Service",
    "Ingress",
    "PodDisruptionBudget",
    "ConfigMap",
    "Secret",
    "PersistentVolumeClaim",
    "HorizontalPodAutoscaler",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
];

/// True when `object` is needed by cross-resource controls.
pub fn kept_for_graph(object: &Object) -> bool {
    GRAPH_KINDS.contains(&object.kind())
        || pod_template_pointers(object.group(), object.kind()).is_some()
}

/// Every object of a scan that cross-resource controls need, in scan order.
#[derive(Debug, Default, Clone)]
pub struct ObjectSet {
    objects: Vec<Object>,
}

impl ObjectSet {
    pub fn new(objects: Vec<Object>) -> Self {
        ObjectSet { objects }
    }

    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    pub fn get(&self, index: usize) -> Option<&Object> {
        self.objects.get(index)
    }

    /// Objects of one kind, with their indices.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (usize, &'a Object)> + 'a {
        self.objects
            .iter()
            .enumerate()
            .filter(move |(_, o)| o.kind() == kind)
    }

    /// Objects with a pod spec (Pods and workload controllers), with their indices.
    pub fn workloads(&self) -> impl Iterator<Item = (usize, &Object, PodView<'_>)> + '_ {
        self.objects
            .iter()
            .enumerate()
            .filter_map(|(i, o)| PodView::of(o).map(|pod| (i, o, pod)))
    }

    /// Finds an object by kind, namespace and name.
    pub fn find(
        &self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<(usize, &Object)> {
        self.objects.iter().enumerate().find(|(_, o)| {
            o.kind() == kind
                && o.resource.name.as_deref() == Some(name)
                && o.resource.namespace.as_deref() == namespace
        })
    }

    /// Every namespace the set mentions: Namespace objects and namespaces of other objects.
    pub fn namespaces(&self) -> BTreeSet<&str> {
        self.objects
            .iter()
            .filter_map(|o| {
                if o.kind() == "Namespace" {
                    o.resource.name.as_deref()
                } else {
                    o.resource.namespace.as_deref()
                }
            })
            .collect()
    }
}

/// The labels a workload's pods get: the pod template's labels, or a Pod's own.
pub fn pod_labels(object: &Object) -> Option<&Map<String, Value>> {
    let (_, metadata_pointer) = pod_template_pointers(object.group(), object.kind())?;
    object
        .value()
        .pointer(metadata_pointer)?
        .get("labels")?
        .as_object()
}

/// Whether a Kubernetes label selector (`matchLabels` / `matchExpressions`, or a plain map as
/// Services use) selects `labels`. An empty selector selects everything; a missing one nothing.
pub fn selector_matches(selector: Option<&Value>, labels: Option<&Map<String, Value>>) -> bool {
    let Some(selector) = selector.and_then(Value::as_object) else {
        return false;
    };
    let empty = Map::new();
    let labels = labels.unwrap_or(&empty);
    let label = |key: &str| labels.get(key).and_then(Value::as_str);
    let structured =
        selector.contains_key("matchLabels") || selector.contains_key("matchExpressions");
    let match_labels = if structured {
        selector.get("matchLabels").and_then(Value::as_object)
    } else {
        Some(selector)
    };
    let labels_ok = match_labels
        .into_iter()
        .flatten()
        .all(|(k, v)| label(k).is_some() && label(k) == v.as_str());
    let expressions = selector.get("matchExpressions").and_then(Value::as_array);
    let expressions_ok = expressions.into_iter().flatten().all(|expr| {
        let key = expr.get("key").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = expr
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match expr.get("operator").and_then(Value::as_str) {
            Some("In") => label(key).is_some_and(|v| values.contains(&v)),
            Some("NotIn") => label(key).is_none_or(|v| !values.contains(&v)),
            Some("Exists") => label(key).is_some(),
            Some("DoesNotExist") => label(key).is_none(),
            _ => false,
        }
    });
    labels_ok && expressions_ok
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn label_selectors() {
        let labels = json!({"app": "web", "tier": "front"});
        let labels = labels.as_object();
        assert!(selector_matches(Some(&json!({})), labels));
        assert!(!selector_matches(None, labels));
        assert!(selector_matches(Some(&json!({"app": "web"})), labels));
        assert!(!selector_matches(Some(&json!({"app": "api"})), labels));
        assert!(selector_matches(
            Some(&json!({"matchLabels": {"tier": "front"}})),
            labels
        ));
        assert!(selector_matches(
            Some(
                &json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "x"]}, {"key": "db", "operator": "DoesNotExist"}]})
            ),
            labels
        ));
        assert!(!selector_matches(
            Some(
                &json!({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["front"]}]})
            ),
            labels
        ));
        assert!(!selector_matches(
            Some(&json!({"matchExpressions": [{"key": "app", "operator": "Bogus"}]})),
            labels
        ));
    }
}
