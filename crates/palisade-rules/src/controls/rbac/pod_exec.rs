use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `create` on `pods/exec` or `pods/attach`. `get` counts too:
    /// before Kubernetes 1.30 the API server authorised WebSocket exec and attach requests with
    /// `get`.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// Exec runs arbitrary commands in any container the subject can reach, with that container's
    /// ServiceAccount token, mounted Secrets and network position. It is how attackers move
    /// from one identity to the next.
    ///
    /// ## How to fix
    /// Grant exec only to people who debug, in the namespaces they own, not to automation.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/log"]
    ///     verbs: ["get", "list"]
    /// ```
    pub static POD_EXEC = Control {
        id: "RBAC-004",
        slug: "rbac-pod-exec-attach",
        title: "Subject can exec or attach into pods",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0002"],
            cis: &[],
            checkov: &["CKV2_K8S_2"],
            trivy: &["KSV-0053", "KSV-0054"],
            kube_linter: &[],
            polaris: &["clusterrolePodExecAttach", "rolePodExecAttach", "clusterrolebindingPodExecAttach", "rolebindingClusterRolePodExecAttach", "rolebindingRolePodExecAttach"],
        },
        remediation: "Remove pods/exec and pods/attach from the role; debug through logs or ephemeral containers granted to operators only.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `create` (or `get`, which older API servers accepted for WebSocket upgrades) on pods/exec or pods/attach.
const PERMISSION: Permission = Permission {
    verbs: &["create", "get"],
    resources: &[("", "pods/exec"), ("", "pods/attach")],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
