use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Direction, report_unisolated};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Workloads whose pods no NetworkPolicy of their namespace selects for Egress. A policy
    /// counts when its `podSelector` matches the pod template's labels and it isolates Egress:
    /// `policyTypes` contains `Egress`, or `policyTypes` is absent and the policy has at least
    /// one egress rule. The finding points at the pod labels. Pods owned by a controller and
    /// pods on the host network are skipped.
    ///
    /// ## Why it matters
    /// Without egress isolation a compromised pod can reach the cloud metadata service, other
    /// namespaces' services and the internet, to steal credentials, move laterally or send
    /// data out.
    ///
    /// ## How to fix
    /// Add a policy with `policyTypes: [Egress]` that allows DNS and the destinations the
    /// workload needs.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web
    ///   policyTypes: ["Egress"]
    ///   egress:
    ///     - to:
    ///         - namespaceSelector: {}
    ///           podSelector:
    ///             matchLabels:
    ///               k8s-app: kube-dns
    ///       ports:
    ///         - port: 53
    ///           protocol: UDP
    /// ```
    pub static MISSING_EGRESS_POLICY = Control {
        id: "NET-002",
        slug: "missing-egress-network-policy",
        title: "Workload not isolated by an egress NetworkPolicy",
        severity: Severity::Low,
        category: "Network",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0030", "C-0260"],
            cis: &[],
            checkov: &["CKV2_K8S_6"],
            trivy: &["KSV-0038"],
            kube_linter: &["non-isolated-pod"],
            polaris: &["missingNetworkPolicy"],
        },
        remediation: "Add a NetworkPolicy with policyTypes Egress selecting these pods, allowing only the destinations they need.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_unisolated(
        set,
        Direction::Egress,
        "it can connect to any destination",
        out,
    );
}
