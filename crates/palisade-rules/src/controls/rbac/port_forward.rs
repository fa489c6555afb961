use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `create` on `pods/portforward` (or `get`, which older API
    /// servers accepted for WebSocket upgrades).
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// Port forwarding opens a tunnel from the client straight into a pod's network namespace,
    /// past Services, Ingresses and NetworkPolicies, to ports never meant to be reachable (admin
    /// consoles, databases, debug endpoints).
    ///
    /// ## How to fix
    /// Grant port forwarding only to operators who debug, in their own namespaces.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods"]
    ///     verbs: ["get", "list"]
    /// ```
    pub static PORT_FORWARD = Control {
        id: "RBAC-011",
        slug: "rbac-port-forward",
        title: "Subject can port-forward to pods",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0063"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove pods/portforward from the role.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `create` (or `get`, accepted for WebSocket upgrades before Kubernetes 1.30) on pods/portforward.
const PERMISSION: Permission = Permission {
    verbs: &["create", "get"],
    resources: &[("", "pods/portforward")],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
