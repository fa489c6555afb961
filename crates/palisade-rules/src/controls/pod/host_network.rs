use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::flag_host_namespace;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Pods (and pod templates) with `spec.hostNetwork: true`.
    ///
    /// Kubescape's C-0216 checks the same rule on PodSecurityPolicy objects (removed in
    /// Kubernetes v1.25); this control checks the pods such a policy would have admitted.
    ///
    /// ## Why it matters
    /// A pod on the host network bypasses NetworkPolicies, can bind any port of the node, reach services listening on localhost (kubelet, cloud metadata, etcd on control-plane nodes) and sniff node traffic.
    ///
    /// ## How to fix
    /// Remove `hostNetwork: true` (the default is `false`). Expose the workload through a Service instead.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: false
    /// ```
    pub static HOST_NETWORK = Control {
        id: "POD-004",
        slug: "host-network",
        title: "Host network namespace shared",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("hostNamespaces"),
            kubescape: &["C-0041", "C-0216"],
            cis: &["5.2.5"],
            checkov: &["CKV_K8S_19"],
            trivy: &["KSV-0009"],
            kube_linter: &["host-network"],
            polaris: &["hostNetworkSet"],
        },
        remediation: "Remove spec.hostNetwork or set it to false.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    flag_host_namespace(object, "hostNetwork", "network", out);
}
