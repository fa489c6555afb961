use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `create` on `serviceaccounts/token`.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// The TokenRequest API issues a token for any ServiceAccount in scope, so the subject can act
    /// as every ServiceAccount of the namespace (or the cluster), including the most privileged
    /// ones, for as long as the token lives (CIS 5.1.13).
    ///
    /// ## How to fix
    /// Limit the rule with `resourceNames` to the ServiceAccounts the subject needs tokens for, or
    /// remove it.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts/token"]
    ///     resourceNames: ["ci-runner"]
    ///     verbs: ["create"]
    /// ```
    pub static CREATE_TOKEN = Control {
        id: "RBAC-015",
        slug: "rbac-create-token",
        title: "Subject can create ServiceAccount tokens",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0282"],
            cis: &["5.1.13"],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove create on serviceaccounts/token, or limit it with resourceNames to the ServiceAccounts the subject must mint tokens for.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `create` on serviceaccounts/token.
const PERMISSION: Permission = Permission {
    verbs: &["create"],
    resources: &[("", "serviceaccounts/token")],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
