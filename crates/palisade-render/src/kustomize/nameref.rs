//! Name references: once names have changed (prefix, suffix, generator hashes), every field
//! that names another object of the build is pointed at the new name, as Kustomize's built-in
//! nameReference rules do for the built-in kinds.

use serde_json::Value;

use super::fields::visit;
use super::resource::{Resource, effective_ns, is_cluster_scoped};

/// A resource others may refer to, as it is after every rename.
struct Referral {
    index: usize,
    kind: String,
    namespace: String,
    name: String,
    ids: Vec<(String, String)>,
}

const POD_CONFIGMAP: &[&str] = &[
    "volumes/configMap/name",
    "volumes/projected/sources/configMap/name",
    "containers/env/valueFrom/configMapKeyRef/name",
    "initContainers/env/valueFrom/configMapKeyRef/name",
    "ephemeralContainers/env/valueFrom/configMapKeyRef/name",
    "containers/envFrom/configMapRef/name",
    "initContainers/envFrom/configMapRef/name",
    "ephemeralContainers/envFrom/configMapRef/name",
];

const POD_SECRET: &[&str] = &[
    "volumes/secret/secretName",
    "volumes/projected/sources/secret/name",
    "containers/env/valueFrom/secretKeyRef/name",
    "initContainers/env/valueFrom/secretKeyRef/name",
    "ephemeralContainers/env/valueFrom/secretKeyRef/name",
    "containers/envFrom/secretRef/name",
    "initContainers/envFrom/secretRef/name",
    "ephemeralContainers/envFrom/secretRef/name",
    "imagePullSecrets/name",
];

/// Where the pod spec of a kind lives.
fn pod_spec_path(kind: &str) -> Option<&'static str> {
    match kind {
        "Pod" => Some("spec"),
        "Deployment"
        | "ReplicaSet"
        | "DaemonSet"
        | "StatefulSet"
        | "Job"
        | "ReplicationController" => Some("spec/template/spec"),
        "CronJob" => Some("spec/jobTemplate/spec/template/spec"),
        _ => None,
    }
}

/// The (referral kind, path) pairs of the fields of `kind` that name other objects.
fn rules(kind: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(pod) = pod_spec_path(kind) {
        out.extend(
            POD_CONFIGMAP
                .iter()
                .map(|p| ("ConfigMap", format!("{pod}/{p}"))),
        );
        out.extend(POD_SECRET.iter().map(|p| ("Secret", format!("{pod}/{p}"))));
        out.push(("ServiceAccount", format!("{pod}/serviceAccountName")));
        out.push(("ServiceAccount", format!("{pod}/serviceAccount")));
        out.push((
            "PersistentVolumeClaim",
            format!("{pod}/volumes/persistentVolumeClaim/claimName"),
        ));
        out.push(("PriorityClass", format!("{pod}/priorityClassName")));
    }
    match kind {
        "Ingress" => {
            out.push(("Secret", "spec/tls/secretName".into()));
            out.push((
                "Service",
                "spec/rules/http/paths/backend/service/name".into(),
            ));
            out.push(("Service", "spec/defaultBackend/service/name".into()));
            out.push((
                "Service",
                "spec/rules/http/paths/backend/serviceName".into(),
            ));
            out.push(("Service", "spec/backend/serviceName".into()));
        }
        "ServiceAccount" => {
            out.push(("Secret", "imagePullSecrets/name".into()));
        }
        "StatefulSet" => {
            out.push(("Service", "spec/serviceName".into()));
            out.push((
                "StorageClass",
                "spec/volumeClaimTemplates/spec/storageClassName".into(),
            ));
        }
        "PersistentVolumeClaim" => {
            out.push(("PersistentVolume", "spec/volumeName".into()));
            out.push(("StorageClass", "spec/storageClassName".into()));
        }
        "PersistentVolume" => out.push(("StorageClass", "spec/storageClassName".into())),
        _ => {}
    }
    out
}

/// Points every reference at the current name of what it refers to.
pub(crate) fn fix_references(resources: &mut [Resource]) {
    let referrals: Vec<Referral> = resources
        .iter()
        .enumerate()
        .map(|(index, r)| Referral {
            index,
            kind: r.kind().to_owned(),
            namespace: r.namespace().to_owned(),
            name: r.name().to_owned(),
            ids: r
                .all_ids()
                .map(|(ns, n)| (ns.to_owned(), n.to_owned()))
                .collect(),
        })
        .collect();
    for (index, r) in resources.iter_mut().enumerate() {
        let kind = r.kind().to_owned();
        let ns = r.namespace().to_owned();
        for (target_kind, path) in rules(&kind) {
            visit(&mut r.value, &path, false, &mut |v| {
                if let Value::String(name) = v
                    && let Some(found) = find(&referrals, target_kind, name, &ns, index)
                {
                    *name = found.name.clone();
                }
            });
        }
        match kind.as_str() {
            "RoleBinding" | "ClusterRoleBinding" => {
                fix_binding(&mut r.value, &referrals, &ns, index);
            }
            "HorizontalPodAutoscaler" => {
                let target = r.value["spec"]["scaleTargetRef"]["kind"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned();
                if let Some(Value::String(name)) = r.value.pointer_mut("/spec/scaleTargetRef/name")
                    && let Some(found) = find(&referrals, &target, name, &ns, index)
                {
                    *name = found.name.clone();
                }
            }
            _ => {}
        }
    }
}

fn fix_binding(value: &mut Value, referrals: &[Referral], ns: &str, index: usize) {
    let role_kind = value["roleRef"]["kind"].as_str().unwrap_or("").to_owned();
    if let Some(Value::String(name)) = value.pointer_mut("/roleRef/name")
        && let Some(found) = find(referrals, &role_kind, name, ns, index)
    {
        *name = found.name.clone();
    }
    let Some(Value::Array(subjects)) = value.get_mut("subjects") else {
        return;
    };
    // Kustomize matches subjects of every kind (User and Group too) against service accounts.
    for subject in subjects {
        let name = subject["name"].as_str().unwrap_or("").to_owned();
        let subject_ns = subject["namespace"].as_str().unwrap_or(ns).to_owned();
        let found = referrals.iter().find(|c| {
            c.index != index
                && c.kind == "ServiceAccount"
                && c.ids
                    .iter()
                    .any(|(cns, cn)| *cn == name && effective_ns(cns) == effective_ns(&subject_ns))
        });
        if let (Some(found), Value::Object(map)) = (found, subject) {
            map.insert("name".into(), Value::String(found.name.clone()));
            if !found.namespace.is_empty() {
                map.insert("namespace".into(), Value::String(found.namespace.clone()));
            }
        }
    }
}

/// The object of `kind` that `name`, written in a referrer of namespace `ns`, refers to.
fn find<'a>(
    referrals: &'a [Referral],
    kind: &str,
    name: &str,
    ns: &str,
    referrer: usize,
) -> Option<&'a Referral> {
    let mut candidates = referrals
        .iter()
        .filter(|c| c.index != referrer && c.kind == kind && c.ids.iter().any(|(_, n)| n == name));
    if is_cluster_scoped(kind) {
        return candidates.next();
    }
    candidates.find(|c| {
        effective_ns(&c.namespace) == effective_ns(ns)
            || c.ids
                .iter()
                .any(|(cns, n)| n == name && effective_ns(cns) == effective_ns(ns))
    })
}
