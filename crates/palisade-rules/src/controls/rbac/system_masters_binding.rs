use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{describe_role_ref, report_subjects};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings with the subject group `system:masters`. The
    /// bootstrap `cluster-admin` binding that Kubernetes creates for it is skipped.
    ///
    /// ## Why it matters
    /// Members of `system:masters` bypass RBAC entirely: the API server allows their requests
    /// before consulting any role, and removing a binding cannot take the rights back.
    /// Membership comes from client certificates, which cannot be revoked. Referencing the
    /// group in bindings suggests identities are being issued into it (CIS 5.1.7).
    ///
    /// ## How to fix
    /// Issue administrator credentials for a dedicated group bound to a ClusterRole, and keep
    /// `system:masters` for break-glass certificates only.
    ///
    /// ## Example
    /// ```yaml
    /// subjects:
    ///   - kind: Group
    ///     name: cluster-operators
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    pub static SYSTEM_MASTERS_BINDING = Control {
        id: "RBAC-019",
        slug: "rbac-system-masters-binding",
        title: "Binding references the system:masters group",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0246"],
            cis: &["5.1.7"],
            checkov: &[],
            trivy: &["KSV-0123"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Bind a dedicated administrators group instead of system:masters.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_subjects(
        set,
        |s| s.kind == "Group" && s.name == "system:masters",
        |s, binding| {
            format!(
                "{} bypasses all authorisation; binding it to {} suggests credentials are issued into it",
                s.describe(),
                describe_role_ref(binding)
            )
        },
        out,
    );
}
