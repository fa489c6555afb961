use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Direction, report_unisolated};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Workloads whose pods no NetworkPolicy of their namespace selects for Ingress. A policy
    /// counts when its `podSelector` matches the pod template's labels and it isolates Ingress:
    /// `policyTypes` contains `Ingress`, or `policyTypes` is absent (policies isolate Ingress by
    /// default). The finding points at the pod labels. Pods owned by a controller and pods on
    /// the host network are skipped.
    ///
    /// ## Why it matters
    /// Until a policy selects a pod, Kubernetes accepts traffic to it from every pod of every
    /// namespace. One compromised pod can then reach every database, admin port and internal
    /// API in the cluster.
    ///
    /// ## How to fix
    /// Add a NetworkPolicy that selects the pods and allows only the clients they serve, or a
    /// namespace-wide default-deny policy plus explicit allows.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: frontend
    /// ```
    pub static MISSING_INGRESS_POLICY = Control {
        id: "NET-001",
        slug: "missing-ingress-network-policy",
        title: "Workload not isolated by an ingress NetworkPolicy",
        severity: Severity::Medium,
        category: "Network",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0260", "C-0030"],
            cis: &[],
            checkov: &["CKV2_K8S_6"],
            trivy: &["KSV-0038"],
            kube_linter: &["non-isolated-pod"],
            polaris: &["missingNetworkPolicy"],
        },
        remediation: "Add a NetworkPolicy selecting these pods that allows ingress only from their clients.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_unisolated(
        set,
        Direction::Ingress,
        "every pod in the cluster can connect to it",
        out,
    );
}
