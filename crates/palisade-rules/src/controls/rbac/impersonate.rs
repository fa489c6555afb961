use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject the `impersonate` verb on `users`, `groups`,
    /// `serviceaccounts`, `uids` or `userextras`.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// Impersonation makes requests as another identity, for instance the group `system:masters`,
    /// which bypasses authorisation altogether. It turns any account holding it into an
    /// administrator (CIS 5.1.8).
    ///
    /// ## How to fix
    /// Remove the verb, or limit it with `resourceNames` to the identities a proxy legitimately
    /// acts for.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["users"]
    ///     resourceNames: ["readonly-bot"]
    ///     verbs: ["impersonate"]
    /// ```
    pub static IMPERSONATE = Control {
        id: "RBAC-007",
        slug: "rbac-impersonate",
        title: "Subject can impersonate other identities",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0065", "C-0191"],
            cis: &["5.1.8"],
            checkov: &["CKV2_K8S_3"],
            trivy: &["KSV-0043"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove impersonate from the role, or limit it with resourceNames to the identities that may be impersonated.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `impersonate` on users, groups, ServiceAccounts, UIDs or user extras.
const PERMISSION: Permission = Permission {
    verbs: &["impersonate"],
    resources: &[
        ("", "users"),
        ("", "groups"),
        ("", "serviceaccounts"),
        ("authentication.k8s.io", "uids"),
        ("authentication.k8s.io", "userextras"),
    ],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
