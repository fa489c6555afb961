use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{describe_role_ref, report_subjects, scope};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings whose subject is a ServiceAccount named `default`,
    /// whatever the role.
    ///
    /// ## Why it matters
    /// Every pod that names no ServiceAccount runs as its namespace's `default` one. Rights
    /// bound to it are silently given to all those pods, including ones added later by other
    /// teams, instead of to the one workload that needed them (CIS 5.1.5).
    ///
    /// ## How to fix
    /// Create a dedicated ServiceAccount for the workload, bind the role to it and set
    /// `serviceAccountName` in the pod spec.
    ///
    /// ## Example
    /// ```yaml
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: billing-worker
    ///     namespace: billing
    /// ```
    pub static DEFAULT_SERVICE_ACCOUNT_BINDING = Control {
        id: "RBAC-018",
        slug: "rbac-default-service-account-binding",
        title: "Role bound to a default ServiceAccount",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0189", "C-0225", "C-0239"],
            cis: &["5.1.5"],
            checkov: &["CKV_K8S_42"],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Bind the role to a dedicated ServiceAccount and use it as the workload's serviceAccountName.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_subjects(
        set,
        |s| s.kind == "ServiceAccount" && s.name == "default",
        |s, binding| {
            format!(
                "{} is bound to {} {}; every pod without its own ServiceAccount gets these rights",
                s.describe(),
                describe_role_ref(binding),
                scope(binding)
            )
        },
        out,
    );
}
