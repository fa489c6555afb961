//! The built-in transformers: namespace, name prefix/suffix, labels, annotations, replicas,
//! images, and the update of references to renamed objects.

use serde_json::{Map, Value};

use super::build::Resource;
use super::load::Image;

const CLUSTER_SCOPED: [&str; 17] = [
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "Node",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "APIService",
    "CSIDriver",
    "IngressClass",
    "RuntimeClass",
    "PodSecurityPolicy",
];

fn meta(value: &mut Value) -> Option<&mut Map<String, Value>> {
    let object = value.as_object_mut()?;
    object
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

pub(super) fn namespace(resources: &mut [Resource], namespace: &str) {
    for resource in resources.iter_mut() {
        let kind = resource.kind().to_string();
        if !CLUSTER_SCOPED.contains(&kind.as_str())
            && let Some(meta) = meta(&mut resource.value)
        {
            meta.insert("namespace".into(), Value::String(namespace.to_string()));
        }
        // Service-account subjects of bindings follow the namespace they were in by default.
        if kind == "RoleBinding" || kind == "ClusterRoleBinding" {
            let subjects = resource
                .value
                .get_mut("subjects")
                .and_then(Value::as_array_mut);
            for subject in subjects.into_iter().flatten() {
                let is_sa = subject.get("kind").and_then(Value::as_str) == Some("ServiceAccount");
                let ns = subject.get("namespace").and_then(Value::as_str);
                if is_sa
                    && matches!(ns, None | Some("default"))
                    && let Some(subject) = subject.as_object_mut()
                {
                    subject.insert("namespace".into(), Value::String(namespace.to_string()));
                }
            }
        }
    }
}

pub(super) fn prefix_suffix(resources: &mut [Resource], prefix: &str, suffix: &str) {
    if prefix.is_empty() && suffix.is_empty() {
        return;
    }
    for resource in resources.iter_mut() {
        if matches!(resource.kind(), "Namespace" | "CustomResourceDefinition") {
            continue;
        }
        let name = format!("{prefix}{}{suffix}", resource.name());
        resource.set_name(name);
    }
}

/// Paths (as key lists) of label maps a selector-aware label transformer writes, by kind.
fn selector_paths(kind: &str) -> &'static [&'static [&'static str]] {
    match kind {
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" => {
            &[&["spec", "selector", "matchLabels"]]
        }
        "Service" | "ReplicationController" => &[&["spec", "selector"]],
        "PodDisruptionBudget" => &[&["spec", "selector", "matchLabels"]],
        "NetworkPolicy" => &[&["spec", "podSelector", "matchLabels"]],
        _ => &[],
    }
}

fn template_paths(kind: &str) -> &'static [&'static [&'static str]] {
    match kind {
        "Deployment"
        | "ReplicaSet"
        | "DaemonSet"
        | "StatefulSet"
        | "Job"
        | "ReplicationController" => &[&["spec", "template", "metadata"]],
        "CronJob" => &[
            &["spec", "jobTemplate", "metadata"],
            &["spec", "jobTemplate", "spec", "template", "metadata"],
        ],
        _ => &[],
    }
}

/// The map at `path`, created when `create` (selectors are only added to when present, except
/// for the workload kinds Kustomize always gives one).
fn map_at<'v>(
    value: &'v mut Value,
    path: &[&str],
    create: bool,
) -> Option<&'v mut Map<String, Value>> {
    let mut current = value;
    for key in path {
        let object = current.as_object_mut()?;
        if !object.contains_key(*key) {
            if !create {
                return None;
            }
            object.insert((*key).to_string(), Value::Object(Map::new()));
        }
        current = object.get_mut(*key)?;
        if current.is_null() && create {
            *current = Value::Object(Map::new());
        }
    }
    current.as_object_mut()
}

fn add_all(map: &mut Map<String, Value>, pairs: &Map<String, Value>) {
    for (k, v) in pairs {
        map.insert(k.clone(), v.clone());
    }
}

pub(super) fn labels(
    resources: &mut [Resource],
    pairs: &Map<String, Value>,
    selectors: bool,
    templates: bool,
) {
    for resource in resources.iter_mut() {
        let kind = resource.kind().to_string();
        if let Some(meta) = meta(&mut resource.value) {
            let labels = meta
                .entry("labels")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(labels) = labels.as_object_mut() {
                add_all(labels, pairs);
            }
        }
        if templates {
            for path in template_paths(&kind) {
                let mut full: Vec<&str> = path.to_vec();
                full.push("labels");
                if let Some(map) = map_at(&mut resource.value, &full, true) {
                    add_all(map, pairs);
                }
            }
        }
        if selectors {
            for path in selector_paths(&kind) {
                let create = !matches!(kind.as_str(), "NetworkPolicy" | "PodDisruptionBudget");
                if let Some(map) = map_at(&mut resource.value, path, create) {
                    add_all(map, pairs);
                }
            }
            // StatefulSet volume claim templates carry the labels too.
            if kind == "StatefulSet" {
                let claims = resource
                    .value
                    .pointer_mut("/spec/volumeClaimTemplates")
                    .and_then(Value::as_array_mut);
                for claim in claims.into_iter().flatten() {
                    if let Some(map) = map_at(claim, &["metadata", "labels"], true) {
                        add_all(map, pairs);
                    }
                }
            }
        }
    }
}

pub(super) fn annotations(resources: &mut [Resource], pairs: &Map<String, Value>) {
    for resource in resources.iter_mut() {
        let kind = resource.kind().to_string();
        if let Some(map) = map_at(&mut resource.value, &["metadata", "annotations"], true) {
            add_all(map, pairs);
        }
        for path in template_paths(&kind) {
            let mut full: Vec<&str> = path.to_vec();
            full.push("annotations");
            if let Some(map) = map_at(&mut resource.value, &full, true) {
                add_all(map, pairs);
            }
        }
    }
}

pub(super) fn replicas(resources: &mut [Resource], name: &str, count: &Value) {
    for resource in resources.iter_mut() {
        let scalable = matches!(
            resource.kind(),
            "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
        );
        if scalable
            && resource.answers_to(name)
            && let Some(spec) = map_at(&mut resource.value, &["spec"], true)
        {
            spec.insert("replicas".into(), count.clone());
        }
    }
}

/// The pod spec of a workload, as a JSON pointer.
pub(super) fn pod_spec_pointer(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Pod" => "/spec",
        "Deployment"
        | "ReplicaSet"
        | "DaemonSet"
        | "StatefulSet"
        | "Job"
        | "ReplicationController"
        | "PodTemplate" => {
            if kind == "PodTemplate" {
                "/template/spec"
            } else {
                "/spec/template/spec"
            }
        }
        "CronJob" => "/spec/jobTemplate/spec/template/spec",
        _ => return None,
    })
}

/// Splits `repo/name:tag@digest` into name, tag and digest.
fn split_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[slash..].rfind(':') {
        Some(colon) => (
            &rest[..slash + colon],
            Some(&rest[slash + colon + 1..]),
            digest,
        ),
        None => (rest, None, digest),
    }
}

pub(super) fn image(resources: &mut [Resource], image: &Image) {
    for resource in resources.iter_mut() {
        let Some(pointer) = pod_spec_pointer(resource.kind()) else {
            continue;
        };
        let Some(spec) = resource.value.pointer_mut(pointer) else {
            continue;
        };
        for list in ["containers", "initContainers", "ephemeralContainers"] {
            let containers = spec.get_mut(list).and_then(Value::as_array_mut);
            for container in containers.into_iter().flatten() {
                let Some(current) = container.get("image").and_then(Value::as_str) else {
                    continue;
                };
                let (name, tag, digest) = split_image(current);
                if name != image.name {
                    continue;
                }
                let new_name = image.new_name.as_deref().unwrap_or(name);
                let updated = if let Some(digest) = &image.digest {
                    format!("{new_name}@{digest}")
                } else if let Some(tag) = &image.new_tag {
                    format!("{new_name}:{tag}")
                } else {
                    let mut text = new_name.to_string();
                    if let Some(tag) = tag {
                        text.push(':');
                        text.push_str(tag);
                    }
                    if let Some(digest) = digest {
                        text.push('@');
                        text.push_str(digest);
                    }
                    text
                };
                container["image"] = Value::String(updated);
            }
        }
    }
}

/// Where pod specs name other objects: (kind referred to, pointer below the pod spec, key).
const POD_REFERENCES: [(&str, &str); 2] = [
    ("ServiceAccount", "serviceAccountName"),
    ("ServiceAccount", "serviceAccount"),
];

/// After renames (prefix, suffix, generator hashes), references in pod specs and bindings
/// follow the object they named.
pub(super) fn update_name_references(resources: &mut [Resource]) {
    // (kind, namespace, every earlier name, current name) of renamed objects.
    let renamed: Vec<(String, Option<String>, Vec<String>, String)> = resources
        .iter()
        .filter(|r| r.names.len() > 1)
        .filter(|r| {
            matches!(
                r.kind(),
                "ConfigMap"
                    | "Secret"
                    | "ServiceAccount"
                    | "PersistentVolumeClaim"
                    | "Role"
                    | "ClusterRole"
                    | "Service"
                    | "Deployment"
                    | "StatefulSet"
                    | "ReplicaSet"
                    | "ReplicationController"
            )
        })
        .map(|r| {
            (
                r.kind().to_string(),
                r.namespace().map(str::to_string),
                r.names[..r.names.len() - 1].to_vec(),
                r.name().to_string(),
            )
        })
        .collect();
    if renamed.is_empty() {
        return;
    }
    for resource in resources.iter_mut() {
        let namespace = resource.namespace().map(str::to_string);
        // Cluster-scoped objects (ClusterRole) are looked up without a namespace.
        let lookup = |kind: &str, name: &str| -> Option<String> {
            let wanted = if kind == "ClusterRole" {
                None
            } else {
                namespace.clone()
            };
            renamed
                .iter()
                .find(|(k, ns, old, _)| k == kind && *ns == wanted && old.iter().any(|o| o == name))
                .map(|(_, _, _, new)| new.clone())
        };
        let rename = |slot: Option<&mut Value>, kind: &str| {
            if let Some(slot) = slot
                && let Some(new) = slot.as_str().and_then(|name| lookup(kind, name))
            {
                *slot = Value::String(new);
            }
        };
        let kind = resource.kind().to_string();
        if kind == "RoleBinding" || kind == "ClusterRoleBinding" {
            let subjects = resource
                .value
                .get_mut("subjects")
                .and_then(Value::as_array_mut);
            for subject in subjects.into_iter().flatten() {
                if subject.get("kind").and_then(Value::as_str) == Some("ServiceAccount") {
                    rename(subject.get_mut("name"), "ServiceAccount");
                }
            }
            if let Some(role_ref) = resource.value.get_mut("roleRef") {
                let role_kind = role_ref
                    .get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                rename(role_ref.get_mut("name"), &role_kind);
            }
            continue;
        }
        match kind.as_str() {
            "StatefulSet" => rename(resource.value.pointer_mut("/spec/serviceName"), "Service"),
            "Ingress" => {
                rename(
                    resource
                        .value
                        .pointer_mut("/spec/defaultBackend/service/name"),
                    "Service",
                );
                let rules = resource
                    .value
                    .pointer_mut("/spec/rules")
                    .and_then(Value::as_array_mut);
                for rule in rules.into_iter().flatten() {
                    let paths = rule
                        .pointer_mut("/http/paths")
                        .and_then(Value::as_array_mut);
                    for path in paths.into_iter().flatten() {
                        rename(path.pointer_mut("/backend/service/name"), "Service");
                    }
                }
                continue;
            }
            "HorizontalPodAutoscaler" => {
                let target_kind = resource
                    .value
                    .pointer("/spec/scaleTargetRef/kind")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                rename(
                    resource.value.pointer_mut("/spec/scaleTargetRef/name"),
                    &target_kind,
                );
                continue;
            }
            _ => {}
        }
        let Some(pointer) = pod_spec_pointer(&kind) else {
            continue;
        };
        let Some(spec) = resource.value.pointer_mut(pointer) else {
            continue;
        };
        for (target, key) in POD_REFERENCES {
            rename(spec.get_mut(key), target);
        }
        for secret in spec
            .get_mut("imagePullSecrets")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            rename(secret.get_mut("name"), "Secret");
        }
        for volume in spec
            .get_mut("volumes")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            rename(volume.pointer_mut("/configMap/name"), "ConfigMap");
            rename(volume.pointer_mut("/secret/secretName"), "Secret");
            rename(
                volume.pointer_mut("/persistentVolumeClaim/claimName"),
                "PersistentVolumeClaim",
            );
            let sources = volume
                .pointer_mut("/projected/sources")
                .and_then(Value::as_array_mut);
            for source in sources.into_iter().flatten() {
                rename(source.pointer_mut("/configMap/name"), "ConfigMap");
                rename(source.pointer_mut("/secret/name"), "Secret");
            }
        }
        for list in ["containers", "initContainers", "ephemeralContainers"] {
            let containers = spec.get_mut(list).and_then(Value::as_array_mut);
            for container in containers.into_iter().flatten() {
                for env in container
                    .get_mut("env")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    rename(
                        env.pointer_mut("/valueFrom/configMapKeyRef/name"),
                        "ConfigMap",
                    );
                    rename(env.pointer_mut("/valueFrom/secretKeyRef/name"), "Secret");
                }
                for from in container
                    .get_mut("envFrom")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    rename(from.pointer_mut("/configMapRef/name"), "ConfigMap");
                    rename(from.pointer_mut("/secretRef/name"), "Secret");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names() {
        assert_eq!(split_image("nginx"), ("nginx", None, None));
        assert_eq!(split_image("nginx:1.25"), ("nginx", Some("1.25"), None));
        assert_eq!(
            split_image("registry:5000/team/app:v1@sha256:ab"),
            ("registry:5000/team/app", Some("v1"), Some("sha256:ab"))
        );
        assert_eq!(
            split_image("registry:5000/app"),
            ("registry:5000/app", None, None)
        );
    }
}
