use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::flag_host_namespace;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Pods (and pod templates) with `spec.hostPID: true`.
    ///
    /// Kubescape's C-0214 checks the same rule on PodSecurityPolicy objects (removed in
    /// Kubernetes v1.25); this control checks the pods such a policy would have admitted.
    ///
    /// ## Why it matters
    /// Sharing the host's process namespace lets the container see every process on the node, read their environment and memory through /proc, and signal them; combined with root it is a direct path to the node.
    ///
    /// ## How to fix
    /// Remove `hostPID: true` (the default is `false`). Debug node processes from a dedicated, short-lived debug pod instead.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostPID: false
    /// ```
    pub static HOST_PID = Control {
        id: "POD-002",
        slug: "host-pid",
        title: "Host PID namespace shared",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("hostNamespaces"),
            kubescape: &["C-0038", "C-0275", "C-0214"],
            cis: &["5.2.3"],
            checkov: &["CKV_K8S_17"],
            trivy: &["KSV-0010"],
            kube_linter: &["host-pid"],
            polaris: &["hostPIDSet"],
        },
        remediation: "Remove spec.hostPID or set it to false.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    flag_host_namespace(object, "hostPID", "process (PID)", out);
}
