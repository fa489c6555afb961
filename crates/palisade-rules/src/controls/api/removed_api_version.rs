use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// An API version the API server no longer serves for some kinds.
struct RemovedApi {
    api_version: &'static str,
    kinds: &'static [&'static str],
    /// Kubernetes minor release that stopped serving it.
    removed_in: &'static str,
    /// What to use instead (`None`: the API is gone without replacement).
    replacement: Option<&'static str>,
}

/// Kubernetes' API removals for built-in kinds (deprecated API migration guide). Every one of
/// them happened in or before v1.32, so no supported release serves them.
const REMOVED: &[RemovedApi] = &[
    RemovedApi {
        api_version: "extensions/v1beta1",
        kinds: &["Deployment", "DaemonSet", "ReplicaSet"],
        removed_in: "1.16",
        replacement: Some("apps/v1"),
    },
    RemovedApi {
        api_version: "extensions/v1beta1",
        kinds: &["NetworkPolicy"],
        removed_in: "1.16",
        replacement: Some("networking.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "extensions/v1beta1",
        kinds: &["PodSecurityPolicy"],
        removed_in: "1.16",
        replacement: None,
    },
    RemovedApi {
        api_version: "apps/v1beta1",
        kinds: &["Deployment", "StatefulSet", "ControllerRevision"],
        removed_in: "1.16",
        replacement: Some("apps/v1"),
    },
    RemovedApi {
        api_version: "apps/v1beta2",
        kinds: &[
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "ControllerRevision",
        ],
        removed_in: "1.16",
        replacement: Some("apps/v1"),
    },
    RemovedApi {
        api_version: "extensions/v1beta1",
        kinds: &["Ingress"],
        removed_in: "1.22",
        replacement: Some("networking.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "networking.k8s.io/v1beta1",
        kinds: &["Ingress", "IngressClass"],
        removed_in: "1.22",
        replacement: Some("networking.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "rbac.authorization.k8s.io/v1beta1",
        kinds: &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
        removed_in: "1.22",
        replacement: Some("rbac.authorization.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "admissionregistration.k8s.io/v1beta1",
        kinds: &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
        ],
        removed_in: "1.22",
        replacement: Some("admissionregistration.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "apiextensions.k8s.io/v1beta1",
        kinds: &["CustomResourceDefinition"],
        removed_in: "1.22",
        replacement: Some("apiextensions.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "apiregistration.k8s.io/v1beta1",
        kinds: &["APIService"],
        removed_in: "1.22",
        replacement: Some("apiregistration.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "certificates.k8s.io/v1beta1",
        kinds: &["CertificateSigningRequest"],
        removed_in: "1.22",
        replacement: Some("certificates.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "coordination.k8s.io/v1beta1",
        kinds: &["Lease"],
        removed_in: "1.22",
        replacement: Some("coordination.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "scheduling.k8s.io/v1beta1",
        kinds: &["PriorityClass"],
        removed_in: "1.22",
        replacement: Some("scheduling.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "storage.k8s.io/v1beta1",
        kinds: &["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
        removed_in: "1.22",
        replacement: Some("storage.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "batch/v1beta1",
        kinds: &["CronJob"],
        removed_in: "1.25",
        replacement: Some("batch/v1"),
    },
    RemovedApi {
        api_version: "discovery.k8s.io/v1beta1",
        kinds: &["EndpointSlice"],
        removed_in: "1.25",
        replacement: Some("discovery.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "events.k8s.io/v1beta1",
        kinds: &["Event"],
        removed_in: "1.25",
        replacement: Some("events.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "autoscaling/v2beta1",
        kinds: &["HorizontalPodAutoscaler"],
        removed_in: "1.25",
        replacement: Some("autoscaling/v2"),
    },
    RemovedApi {
        api_version: "policy/v1beta1",
        kinds: &["PodDisruptionBudget"],
        removed_in: "1.25",
        replacement: Some("policy/v1"),
    },
    RemovedApi {
        api_version: "policy/v1beta1",
        kinds: &["PodSecurityPolicy"],
        removed_in: "1.25",
        replacement: None,
    },
    RemovedApi {
        api_version: "node.k8s.io/v1beta1",
        kinds: &["RuntimeClass"],
        removed_in: "1.25",
        replacement: Some("node.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "autoscaling/v2beta2",
        kinds: &["HorizontalPodAutoscaler"],
        removed_in: "1.26",
        replacement: Some("autoscaling/v2"),
    },
    RemovedApi {
        api_version: "flowcontrol.apiserver.k8s.io/v1beta1",
        kinds: &["FlowSchema", "PriorityLevelConfiguration"],
        removed_in: "1.26",
        replacement: Some("flowcontrol.apiserver.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "storage.k8s.io/v1beta1",
        kinds: &["CSIStorageCapacity"],
        removed_in: "1.27",
        replacement: Some("storage.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "flowcontrol.apiserver.k8s.io/v1beta2",
        kinds: &["FlowSchema", "PriorityLevelConfiguration"],
        removed_in: "1.29",
        replacement: Some("flowcontrol.apiserver.k8s.io/v1"),
    },
    RemovedApi {
        api_version: "flowcontrol.apiserver.k8s.io/v1beta3",
        kinds: &["FlowSchema", "PriorityLevelConfiguration"],
        removed_in: "1.32",
        replacement: Some("flowcontrol.apiserver.k8s.io/v1"),
    },
];

control! {
    /// ## What it checks
    /// Objects whose `apiVersion` no Kubernetes release still serves for their `kind`:
    /// `extensions/v1beta1` workloads and Ingresses, `apps/v1beta1`/`v1beta2`,
    /// `rbac.authorization.k8s.io/v1beta1`, `batch/v1beta1` CronJobs, `policy/v1beta1`
    /// PodDisruptionBudgets, `autoscaling/v2beta1`/`v2beta2`, PodSecurityPolicy in any
    /// version, and the other removals of the Kubernetes deprecated API migration guide up to
    /// v1.32 (the `flowcontrol` v1beta3 APIs). The message names the release that removed it
    /// and the replacement.
    ///
    /// Only built-in kinds are judged; custom resources have their own versioning.
    ///
    /// ## Why it matters
    /// The API server rejects these objects, so the manifest cannot be applied to any
    /// supported cluster. Worse, tooling that skips failures may leave the cluster without
    /// the object: a PodSecurityPolicy or NetworkPolicy that silently never exists is
    /// security that was never there.
    ///
    /// ## How to fix
    /// Move the object to the replacement API version (fields changed in some, e.g. Ingress
    /// backends); replace PodSecurityPolicy with Pod Security Admission labels on namespaces.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// ```
    pub static REMOVED_API_VERSION = Control {
        id: "API-001",
        slug: "removed-api-version",
        title: "Object uses an API version Kubernetes removed",
        severity: Severity::Medium,
        category: "API versions",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0107"],
            kube_linter: &["no-extensions-v1beta"],
            polaris: &[],
        },
        remediation: "Move the object to the API version that replaced the removed one.",
        targets: Targets::Kinds(&[
            "Deployment",
            "DaemonSet",
            "ReplicaSet",
            "StatefulSet",
            "ControllerRevision",
            "NetworkPolicy",
            "PodSecurityPolicy",
            "Ingress",
            "IngressClass",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
            "CustomResourceDefinition",
            "APIService",
            "CertificateSigningRequest",
            "Lease",
            "PriorityClass",
            "CSIDriver",
            "CSINode",
            "StorageClass",
            "VolumeAttachment",
            "CronJob",
            "EndpointSlice",
            "Event",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "RuntimeClass",
            "FlowSchema",
            "PriorityLevelConfiguration",
            "CSIStorageCapacity",
        ]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    let Some(api_version) = object.value().get("apiVersion").and_then(Value::as_str) else {
        return;
    };
    let kind = object.kind();
    let Some(removed) = REMOVED
        .iter()
        .find(|r| r.api_version == api_version && r.kinds.contains(&kind))
    else {
        return;
    };
    let instead = removed.replacement.map_or_else(
        || "it has no replacement".to_string(),
        |r| format!("use {r}"),
    );
    out.push(
        Violation::new(
            "/apiVersion",
            format!(
                "{kind} {api_version} was removed in Kubernetes {}; {instead}",
                removed.removed_in
            ),
        )
        .with_evidence(format!("apiVersion: {api_version}")),
    );
}

#[cfg(test)]
mod tests {
    use super::REMOVED;

    #[test]
    fn each_kind_appears_once_per_api_version() {
        for (i, a) in REMOVED.iter().enumerate() {
            for b in &REMOVED[i + 1..] {
                if a.api_version == b.api_version {
                    assert!(
                        a.kinds.iter().all(|k| !b.kinds.contains(k)),
                        "{} listed twice",
                        a.api_version
                    );
                }
            }
        }
    }
}
