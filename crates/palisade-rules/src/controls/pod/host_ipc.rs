use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::flag_host_namespace;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Pods (and pod templates) with `spec.hostIPC: true`.
    ///
    /// Kubescape's C-0215 checks the same rule on PodSecurityPolicy objects (removed in
    /// Kubernetes v1.25); this control checks the pods such a policy would have admitted.
    ///
    /// ## Why it matters
    /// Sharing the host's IPC namespace exposes shared memory segments and message queues of every process on the node, letting the container read or tamper with other workloads' data.
    ///
    /// ## How to fix
    /// Remove `hostIPC: true` (the default is `false`). Use a shared volume or a network protocol between the pods that need to talk.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostIPC: false
    /// ```
    pub static HOST_IPC = Control {
        id: "POD-003",
        slug: "host-ipc",
        title: "Host IPC namespace shared",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("hostNamespaces"),
            kubescape: &["C-0038", "C-0276", "C-0215"],
            cis: &["5.2.4"],
            checkov: &["CKV_K8S_18"],
            trivy: &["KSV-0008"],
            kube_linter: &["host-ipc"],
            polaris: &["hostIPCSet"],
        },
        remediation: "Remove spec.hostIPC or set it to false.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    flag_host_namespace(object, "hostIPC", "IPC", out);
}
