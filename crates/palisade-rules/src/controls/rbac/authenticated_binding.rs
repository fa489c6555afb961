use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{describe_role_ref, report_subjects, scope};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings with the subject group `system:authenticated`,
    /// whatever the role. Kubernetes' bootstrap bindings (discovery, basic user) are skipped.
    ///
    /// ## Why it matters
    /// `system:authenticated` is every identity the API server accepts: every ServiceAccount of
    /// every namespace and, on some managed platforms, any account of the cloud provider, not
    /// only your organisation's. A role bound to it is granted to all of them.
    ///
    /// ## How to fix
    /// Bind the role to the groups or ServiceAccounts that need it.
    ///
    /// ## Example
    /// ```yaml
    /// subjects:
    ///   - kind: Group
    ///     name: dev-team
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    pub static AUTHENTICATED_BINDING = Control {
        id: "RBAC-020",
        slug: "rbac-authenticated-binding",
        title: "Binding grants permissions to every authenticated identity",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0265"],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-01011"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Replace the system:authenticated subject with the specific groups or ServiceAccounts that need the role.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_subjects(
        set,
        |s| s.kind == "Group" && s.name == "system:authenticated",
        |s, binding| {
            format!(
                "{} (every authenticated identity) is bound to {} {}",
                s.describe(),
                describe_role_ref(binding),
                scope(binding)
            )
        },
        out,
    );
}
