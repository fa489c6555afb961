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

use palisade_core::ResourceRef;
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
    let mut changed = null_unkept_items(&mut document.value, &identities);
    for (pointer, resource) in &identities {
        if let Some(value) = document.value.pointer_mut(pointer) {
            let group = resource
                .api_version
                .rsplit_once('/')
                .map_or("", |(group, _)| group);
            changed |= if is_graph_kind(group, &resource.kind) {
                slim_object(value, group, &resource.kind)
            } else {
                keep_identity(value)
            };
        }
    }
    // An untouched document's spans are already exactly what it needs.
    if changed {
        document.source_map = document.source_map.projected(&document.value);
    }
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

/// Replaces the items of a `List` document that are not among `identities` with `null`;
/// true when it replaced any.
fn null_unkept_items(document: &mut Value, identities: &[(String, Arc<ResourceRef>)]) -> bool {
    let Some(items) = document.get_mut("items").and_then(Value::as_array_mut) else {
        return false;
    };
    let mut keep = vec![false; items.len()];
    let mut is_list = false;
    for (pointer, _) in identities {
        if let Some(index) = pointer
            .strip_prefix("/items/")
            .and_then(|i| i.parse::<usize>().ok())
        {
            is_list = true;
            if let Some(slot) = keep.get_mut(index) {
                *slot = true;
            }
        }
    }
    let mut changed = false;
    for (item, keep) in items.iter_mut().zip(keep) {
        if is_list && !keep && !item.is_null() {
            *item = Value::Null;
            changed = true;
        }
    }
    changed
}

/// Drops the fields no cross-resource control reads from one object of kind `kind` in API
/// group `group`; true when it dropped any.
pub fn slim_object(value: &mut Value, group: &str, kind: &str) -> bool {
    let Some(object) = value.as_object_mut() else {
        return false;
    };
    let mut changed = retain_members(object, |key| !UNREAD_OBJECT_FIELDS.contains(&key));
    changed |= slim_metadata(object);
    let Some((spec_pointer, _)) = pod_template_pointers(group, kind) else {
        return changed;
    };
    let Some(spec) = value
        .pointer_mut(spec_pointer)
        .and_then(Value::as_object_mut)
    else {
        return changed;
    };
    changed |= retain_members(spec, |key| !UNREAD_POD_SPEC_FIELDS.contains(&key));
    for list in CONTAINER_LISTS {
        let containers = spec.get_mut(list).and_then(Value::as_array_mut);
        for container in containers.into_iter().flatten() {
            if let Some(container) = container.as_object_mut() {
                changed |= retain_members(container, |key| !UNREAD_CONTAINER_FIELDS.contains(&key));
            }
        }
    }
    changed
}

/// Cuts an object down to `apiVersion`, `kind` and the identifying parts of `metadata`; true
/// when it dropped anything.
fn keep_identity(value: &mut Value) -> bool {
    let Some(object) = value.as_object_mut() else {
        return false;
    };
    let mut changed = retain_members(object, |key| IDENTITY_FIELDS.contains(&key));
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        changed |= retain_members(metadata, |key| IDENTITY_METADATA_FIELDS.contains(&key));
    }
    changed | slim_metadata(object)
}

fn slim_metadata(object: &mut Map<String, Value>) -> bool {
    let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) else {
        return false;
    };
    let mut changed = retain_members(metadata, |key| !UNREAD_METADATA_FIELDS.contains(&key));
    if let Some(annotations) = metadata
        .get_mut("annotations")
        .and_then(Value::as_object_mut)
    {
        changed |= retain_members(annotations, |key| !UNREAD_ANNOTATIONS.contains(&key));
    }
    changed
}

/// Keeps the members of `map` whose key `keep` accepts, in their order, and releases the
/// slack so the map is no larger than one built without the others; true when it dropped any.
fn retain_members(map: &mut Map<String, Value>, keep: impl Fn(&str) -> bool) -> bool {
    let kept = map.keys().filter(|key| keep(key)).count();
    if kept == map.len() {
        return false;
    }
    let old = std::mem::take(map);
    let mut slimmed = Map::with_capacity(kept);
    for (key, value) in old {
        if keep(&key) {
            slimmed.insert(key, value);
        }
    }
    *map = slimmed;
    true
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn list_items_keep_their_pointers_and_locations() {
        let text = "\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: shop}
    spec: {selector: {app: web}}
  - just: data
  - apiVersion: example.com/v1
    kind: Widget
    metadata: {name: w, namespace: shop}
    spec: {size: 3}
";
        let stream = palisade_yaml::parse_str(text, &palisade_yaml::Limits::default());
        let document = Arc::new(stream.documents.into_iter().next().unwrap());
        let path: Arc<str> = Arc::from("list.yaml");
        let full = crate::extract_objects(&path, &document).objects;
        let before: Vec<_> = full.iter().map(|o| o.locate("/metadata/name")).collect();
        let kept = retain_for_graph(crate::extract_objects(&path, &document).objects);
        drop(full);
        assert_eq!(kept.len(), 2);
        let after: Vec<_> = kept.iter().map(|o| o.locate("/metadata/name")).collect();
        assert_eq!(after, before);
        let value = &kept[0].source.document.value;
        assert_eq!(value["items"][1], Value::Null, "not an object");
        assert_eq!(
            value["items"][0]["spec"],
            json!({"selector": {"app": "web"}})
        );
        assert_eq!(
            value["items"][2],
            json!({"apiVersion": "example.com/v1", "kind": "Widget",
                   "metadata": {"name": "w", "namespace": "shop"}}),
            "custom resources keep their identity only"
        );
    }

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
