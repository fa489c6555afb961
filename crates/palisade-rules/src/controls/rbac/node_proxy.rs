use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `get`, `create` or `connect` on `nodes/proxy`.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// `nodes/proxy` forwards requests to the kubelet API of any node, which runs commands in every
    /// container on that node (`/exec`, `/run`) and bypasses the API server's audit log and
    /// admission control (CIS 5.1.10).
    ///
    /// ## How to fix
    /// Remove the resource. Metrics collectors need `nodes/metrics` and `nodes/stats`, not the
    /// proxy.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes/metrics", "nodes/stats"]
    ///     verbs: ["get"]
    /// ```
    pub static NODE_PROXY = Control {
        id: "RBAC-008",
        slug: "rbac-node-proxy",
        title: "Subject can use the nodes/proxy subresource",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0279"],
            cis: &["5.1.10"],
            checkov: &["CKV2_K8S_2"],
            trivy: &["KSV-0047"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove nodes/proxy from the role; monitoring agents can read metrics through nodes/metrics instead.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `get`, `create` or `connect` on nodes/proxy (the kubelet maps GET and POST to them).
const PERMISSION: Permission = Permission {
    verbs: &["get", "create", "connect"],
    resources: &[("", "nodes/proxy")],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
