use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{describe_role_ref, report_subjects, scope};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings with the subject `system:anonymous` (the user of
    /// unauthenticated requests) or `system:unauthenticated` (their group), whatever the role.
    /// Kubernetes' bootstrap bindings are skipped.
    ///
    /// ## Why it matters
    /// Everything bound to these identities is granted to anyone who can reach the API server,
    /// without credentials. Misconfigured anonymous bindings are a common cause of cluster
    /// takeovers from the internet.
    ///
    /// ## How to fix
    /// Delete the subject from the binding; bind the permissions to authenticated users or
    /// groups that need them.
    ///
    /// ## Example
    /// ```yaml
    /// subjects:
    ///   - kind: Group
    ///     name: platform-readers
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    pub static ANONYMOUS_BINDING = Control {
        id: "RBAC-017",
        slug: "rbac-anonymous-binding",
        title: "Binding grants permissions to anonymous users",
        severity: Severity::Critical,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0262"],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0122"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove system:anonymous and system:unauthenticated from the binding's subjects.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_subjects(
        set,
        |s| {
            matches!(
                (s.kind, s.name),
                ("User", "system:anonymous") | ("Group", "system:unauthenticated")
            )
        },
        |s, binding| {
            format!(
                "{} (anyone without credentials) is bound to {} {}",
                s.describe(),
                describe_role_ref(binding),
                scope(binding)
            )
        },
        out,
    );
}
