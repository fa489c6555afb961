use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject the `escalate` or `bind` verb on `roles` or `clusterroles`.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// RBAC normally forbids granting permissions you do not hold. `escalate` lets a subject write
    /// roles with more permissions than its own; `bind` lets it bind roles it does not hold,
    /// `cluster-admin` included. Either is a direct path to full control (CIS 5.1.8).
    ///
    /// ## How to fix
    /// Remove the verbs, or restrict `bind` with `resourceNames` to the roles a controller is meant
    /// to hand out.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     resourceNames: ["tenant-viewer"]
    ///     verbs: ["bind"]
    /// ```
    pub static ESCALATE_BIND = Control {
        id: "RBAC-006",
        slug: "rbac-escalate-bind",
        title: "Subject can escalate or bind roles",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0191"],
            cis: &["5.1.8"],
            checkov: &["CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_1"],
            trivy: &["KSV-0050", "KSV-0051", "KSV-0052", "KSV-0055"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove the escalate and bind verbs; if a controller must bind roles, limit it with resourceNames to the roles it hands out.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `escalate` or `bind` on Roles or ClusterRoles.
const PERMISSION: Permission = Permission {
    verbs: &["escalate", "bind"],
    resources: &[
        ("rbac.authorization.k8s.io", "roles"),
        ("rbac.authorization.k8s.io", "clusterroles"),
    ],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
