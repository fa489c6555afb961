//! Slimming the objects a scan keeps for its cross-resource phase.
//!
//! Every workload, RBAC object, Service, ConfigMap… of a scan stays in memory until the
//! cross-resource controls have run, as a JSON tree plus source map several times the size of
//! its YAML. Much of a pod spec is never read by those controls: probes, resource requests,
//! security contexts, scheduling constraints. Dropping it before an object is kept bounds a
//! large scan's memory without touching what any control sees.
//!
//! The lists below name only fields that no cross-resource control reads, and
//! `palisade-rules/tests/graph_slimming.rs` holds that to account: every cross-resource control
//! must report exactly the same findings on slimmed and on full objects. A new cross-resource
//! control that reads one of these fields fails that test until the field leaves the list.
//! The source map keeps the spans of the nodes that remain, so every location a
//! cross-resource control reports is the one it would report on the full object.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::{Object, ObjectSource, is_graph_kind, pod_template_pointers};

/// Top-level fields no cross-resource control reads.
const UNREAD_OBJECT_FIELDS: &[&str] = &["status"];

/// `metadata` fields no cross-resource control reads (server-side apply bookkeeping can be
/// larger than the object itself in cluster exports).
const UNREAD_METADATA_FIELDS: &[&str] = &["managedFields"];

/// Annotations no cross-resource control reads: `kubectl apply`'s copy of the whole object.
const UNREAD_ANNOTATIONS: &[&str] = &["kubectl.kubernetes.io/last-applied-configuration"];

/// Pod spec fields no cross-resource control reads.
const UNREAD_POD_SPEC_FIELDS: &[&str] = &[
    "affinity",
    "tolerations",
    "topologySpreadConstraints",
    "securityContext",
    "dnsConfig",
    "readinessGates",
    "schedulingGates",
    "resourceClaims",
    "overhead",
];

/// Container fields no cross-resource control reads.
const UNREAD_CONTAINER_FIELDS: &[&str] = &[
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "resources",
    "resizePolicy",
    "securityContext",
    "args",
    "command",
    "volumeMounts",
    "volumeDevices",
    "workingDir",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
];

/// What remains of objects of other kinds.
const IDENTITY_FIELDS: &[&str] = &["apiVersion", "kind", "metadata"];
const IDENTITY_METADATA_FIELDS: &[&str] =
    &["name", "generateName", "namespace", "labels", "annotations"];

const CONTAINER_LISTS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

/// The objects of one document as the cross-resource phase keeps them, pointing at a slimmed
/// copy of that document: objects of the kinds cross-resource controls read
/// ([`is_graph_kind`]) lose the fields listed above; any other object (a CRD and its schema,
/// a custom resource) is cut down to its identity: `apiVersion`, `kind` and the `metadata`
/// that names and labels it, so the set still knows every namespace and name the scan saw.
/// `List` items that are not Kubernetes objects become `null`, so the kept items' pointers stay
/// valid, and the loader's diagnostics are dropped. All `objects` must come from the same
/// document.
pub fn retain_for_graph(mut kept: Vec<Object>) -> Vec<Object> {
    let Some(first) = kept.first() else {
        return kept;
    };
    let path = Arc::clone(&first.source.path);
    let shared = Arc::clone(&first.source.document);
    let identities: Vec<_> = kept
        .drain(..)
        .map(|object| (object.source.pointer, object.resource))
        .collect();
    let mut document = Arc::try_unwrap(shared).unwrap_or_else(|shared| (*shared).clone());
    document.diagnostics = Vec::new();
    if let Some(items) = document
        .value
        .get_mut("items")
        .and_then(Value::as_array_mut)
        .filter(|_| identities.iter().any(|(pointer, _)| !pointer.is_empty()))
    {
        for (index, item) in items.iter_mut().enumerate() {
            let pointer = format!("/items/{index}");
            if !identities.iter().any(|(kept, _)| *kept == pointer) {
                *item = Value::Null;
            }
        }
    }
    for (pointer, resource) in &identities {
        if let Some(value) = document.value.pointer_mut(pointer) {
            let group = resource
                .api_version
                .rsplit_once('/')
                .map_or("", |(group, _)| group);
            if is_graph_kind(group, &resource.kind) {
                slim_object(value, group, &resource.kind);
            } else {
                keep_identity(value);
            }
        }
    }
    document.source_map = document.source_map.projected(&document.value);
    let document = Arc::new(document);
    identities
        .into_iter()
        .map(|(pointer, resource)| Object {
            source: ObjectSource {
                path: Arc::clone(&path),
                document: Arc::clone(&document),
                pointer,
            },
            resource,
        })
        .collect()
}

/// Drops the fields no cross-resource control reads from one object of kind `kind` in API
/// group `group`.
pub fn slim_object(value: &mut Value, group: &str, kind: &str) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    remove_fields(object, UNREAD_OBJECT_FIELDS);
    slim_metadata(object);
    let Some((spec_pointer, _)) = pod_template_pointers(group, kind) else {
        return;
    };
    let Some(spec) = value
        .pointer_mut(spec_pointer)
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    remove_fields(spec, UNREAD_POD_SPEC_FIELDS);
    for list in CONTAINER_LISTS {
        let containers = spec.get_mut(list).and_then(Value::as_array_mut);
        for container in containers.into_iter().flatten() {
            if let Some(container) = container.as_object_mut() {
                remove_fields(container, UNREAD_CONTAINER_FIELDS);
            }
        }
    }
}

/// Cuts an object down to `apiVersion`, `kind` and the identifying parts of `metadata`.
fn keep_identity(value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    object.retain(|key, _| IDENTITY_FIELDS.contains(&key.as_str()));
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.retain(|key, _| IDENTITY_METADATA_FIELDS.contains(&key.as_str()));
    }
    slim_metadata(object);
    let slimmed = std::mem::take(object);
    *object = slimmed.into_iter().collect();
}

fn slim_metadata(object: &mut Map<String, Value>) {
    let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    remove_fields(metadata, UNREAD_METADATA_FIELDS);
    if let Some(annotations) = metadata
        .get_mut("annotations")
        .and_then(Value::as_object_mut)
    {
        remove_fields(annotations, UNREAD_ANNOTATIONS);
    }
}

/// Removes `fields` from `map`, keeping the other members' order, and releases the slack so
/// the kept map is no larger than one built without them.
fn remove_fields(map: &mut Map<String, Value>, fields: &[&str]) {
    if !map.keys().any(|key| fields.contains(&key.as_str())) {
        return;
    }
    let old = std::mem::take(map);
    let kept = old.len() - old.keys().filter(|k| fields.contains(&k.as_str())).count();
    let mut slimmed = Map::with_capacity(kept);
    for (key, value) in old {
        if !fields.contains(&key.as_str()) {
            slimmed.insert(key, value);
        }
    }
    *map = slimmed;
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn drops_unread_pod_and_container_fields_only() {
        let mut deployment = json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "managedFields": [{"manager": "kubectl"}], "labels": {"a": "b"},
                         "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "team": "x"}},
            "spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                "serviceAccountName": "web",
                "affinity": {"nodeAffinity": {}},
                "securityContext": {"runAsNonRoot": true},
                "containers": [{"name": "c", "image": "nginx", "resources": {}, "livenessProbe": {},
                                "env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
                                "ports": [{"containerPort": 80, "name": "http"}]}],
                "volumes": [{"name": "v", "configMap": {"name": "cm"}}]
            }}},
            "status": {"replicas": 2}
        });
        slim_object(&mut deployment, "apps", "Deployment");
        assert_eq!(
            deployment,
            json!({
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "web", "labels": {"a": "b"}, "annotations": {"team": "x"}},
                "spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                    "serviceAccountName": "web",
                    "containers": [{"name": "c", "image": "nginx",
                                    "env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
                                    "ports": [{"containerPort": 80, "name": "http"}]}],
                    "volumes": [{"name": "v", "configMap": {"name": "cm"}}]
                }}}
            })
        );
    }

    #[test]
    fn a_custom_resource_named_like_a_workload_keeps_its_spec() {
        let mut custom = json!({
            "apiVersion": "example.com/v1",
            "kind": "Deployment",
            "spec": {"template": {"spec": {"affinity": {}}}}
        });
        let before = custom.clone();
        slim_object(&mut custom, "example.com", "Deployment");
        assert_eq!(custom, before);
    }

    #[test]
    fn keeps_member_order() {
        let mut map = json!({"z": 1, "status": 2, "a": 3});
        slim_object(&mut map, "", "ConfigMap");
        let keys: Vec<&String> = map.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["z", "a"]);
    }
}
