//! The set of scanned objects, for controls that look across resources (RBAC bindings,
//! NetworkPolicy coverage, references between objects).

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

use crate::{Object, PodView, pod_template_pointers};

/// Kinds that cross-resource controls read (besides workloads). Other objects (CRDs with huge
/// schemas, custom resources) are kept only as their identity once their own checks ran, which
/// bounds memory on big corpora (see [`crate::retain_for_graph`]).
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
    "HTTPRoute",
    "GRPCRoute",
    "TCPRoute",
    "TLSRoute",
    "UDPRoute",
];

/// True for the kinds whose content cross-resource controls read: [`GRAPH_KINDS`] and
/// workloads of API group `group`.
pub fn is_graph_kind(group: &str, kind: &str) -> bool {
    GRAPH_KINDS.contains(&kind) || pod_template_pointers(group, kind).is_some()
}

/// Every object of a scan that cross-resource controls need, in scan order, indexed by kind,
/// by identity and (for workloads) by namespace, so controls that relate objects to each other
/// stay linear in the size of the set instead of scanning it for every object.
#[derive(Debug, Default, Clone)]
pub struct ObjectSet {
    objects: Vec<Object>,
    by_kind: HashMap<String, Vec<usize>>,
    workloads: Vec<usize>,
    workloads_by_namespace: HashMap<Option<String>, Vec<usize>>,
    /// Workloads by `(namespace, pod label key, value)`.
    workloads_by_label: HashMap<(Option<String>, String, String), Vec<usize>>,
    /// Objects by kind, then name: `(namespace, index)`, first occurrence first. Nested so
    /// lookups borrow their keys: controls look objects up hundreds of thousands of times.
    by_identity: HashMap<String, HashMap<String, Vec<NamespacedIndex>>>,
    /// The namespaces each kind occurs in.
    kind_namespaces: HashMap<String, Namespaces>,
}

/// An object's namespace (`None`: written without one) and its index in the set.
type NamespacedIndex = (Option<String>, usize);

/// A set of namespaces, `None` (written without one) included.
#[derive(Debug, Default, Clone)]
struct Namespaces {
    unset: bool,
    named: HashSet<String>,
}

impl ObjectSet {
    pub fn new(objects: Vec<Object>) -> Self {
        let mut set = ObjectSet {
            objects: Vec::new(),
            ..ObjectSet::default()
        };
        for (index, object) in objects.iter().enumerate() {
            set.by_kind
                .entry(object.kind().to_string())
                .or_default()
                .push(index);
            if PodView::of(object).is_some() {
                set.workloads.push(index);
                set.workloads_by_namespace
                    .entry(object.resource.namespace.clone())
                    .or_default()
                    .push(index);
                for (key, value) in pod_labels(object).into_iter().flatten() {
                    if let Some(value) = value.as_str() {
                        set.workloads_by_label
                            .entry((
                                object.resource.namespace.clone(),
                                key.clone(),
                                value.to_string(),
                            ))
                            .or_default()
                            .push(index);
                    }
                }
            }
            if let Some(name) = &object.resource.name {
                set.by_identity
                    .entry(object.kind().to_string())
                    .or_default()
                    .entry(name.clone())
                    .or_default()
                    .push((object.resource.namespace.clone(), index));
            }
            let namespaces = set
                .kind_namespaces
                .entry(object.kind().to_string())
                .or_default();
            match &object.resource.namespace {
                Some(namespace) => {
                    namespaces.named.insert(namespace.clone());
                }
                None => namespaces.unset = true,
            }
        }
        set.objects = objects;
        set
    }

    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    pub fn get(&self, index: usize) -> Option<&Object> {
        self.objects.get(index)
    }

    /// Objects of one kind, with their indices.
    pub fn of_kind<'a>(&'a self, kind: &str) -> impl Iterator<Item = (usize, &'a Object)> + 'a {
        self.by_kind
            .get(kind)
            .into_iter()
            .flatten()
            .map(|&i| (i, &self.objects[i]))
    }

    /// Objects with a pod spec (Pods and workload controllers), with their indices.
    pub fn workloads(&self) -> impl Iterator<Item = (usize, &Object, PodView<'_>)> + '_ {
        self.pods_of(&self.workloads)
    }

    /// Workloads whose `metadata.namespace` is `namespace` (`None`: written without one).
    pub fn workloads_in(
        &self,
        namespace: Option<&str>,
    ) -> impl Iterator<Item = (usize, &Object, PodView<'_>)> + '_ {
        let indices = self
            .workloads_by_namespace
            .get(&namespace.map(str::to_string))
            .map_or(&[][..], Vec::as_slice);
        self.pods_of(indices)
    }

    /// Workloads of `namespace` whose pod labels `selector` selects (see
    /// [`selector_matches`]). Looks candidates up by one required label when the selector has
    /// one, so matching many selectors stays cheap.
    pub fn workloads_selected<'a>(
        &'a self,
        namespace: Option<&str>,
        selector: Option<&'a Value>,
    ) -> impl Iterator<Item = (usize, &'a Object, PodView<'a>)> + 'a {
        let indices = match required_label(selector) {
            Some((key, value)) => self
                .workloads_by_label
                .get(&(
                    namespace.map(str::to_string),
                    key.to_string(),
                    value.to_string(),
                ))
                .map_or(&[][..], Vec::as_slice),
            None => self
                .workloads_by_namespace
                .get(&namespace.map(str::to_string))
                .map_or(&[][..], Vec::as_slice),
        };
        self.pods_of(indices)
            .filter(move |(_, object, _)| selector_matches(selector, pod_labels(object)))
    }

    fn pods_of<'a>(
        &'a self,
        indices: &'a [usize],
    ) -> impl Iterator<Item = (usize, &'a Object, PodView<'a>)> + 'a {
        indices.iter().filter_map(|&i| {
            let object = &self.objects[i];
            PodView::of(object).map(|pod| (i, object, pod))
        })
    }

    /// Finds an object by kind, namespace and name (the first one, if the set has several).
    pub fn find(
        &self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<(usize, &Object)> {
        self.by_identity
            .get(kind)?
            .get(name)?
            .iter()
            .find(|(ns, _)| ns.as_deref() == namespace)
            .map(|&(_, i)| (i, &self.objects[i]))
    }

    /// Whether an object of `kind` is in `namespace` (`None`: written without one).
    pub fn has_kind_in(&self, kind: &str, namespace: Option<&str>) -> bool {
        self.kind_namespaces
            .get(kind)
            .is_some_and(|namespaces| match namespace {
                Some(namespace) => namespaces.named.contains(namespace),
                None => namespaces.unset,
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

/// One `key=value` pair every object a selector selects must carry, if the selector has one.
fn required_label(selector: Option<&Value>) -> Option<(&str, &str)> {
    let selector = selector?.as_object()?;
    let structured =
        selector.contains_key("matchLabels") || selector.contains_key("matchExpressions");
    let labels = if structured {
        selector.get("matchLabels")?.as_object()?
    } else {
        selector
    };
    labels
        .iter()
        .find_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
}

/// The labels a workload's pods get: the pod template's labels, or a Pod's own.
pub fn pod_labels(object: &Object) -> Option<&Map<String, Value>> {
    let (_, metadata_pointer) = pod_template_pointers(object.group(), object.kind())?;
    crate::lookup(object.value(), metadata_pointer)?
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
