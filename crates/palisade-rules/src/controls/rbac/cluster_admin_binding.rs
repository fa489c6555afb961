use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{
    bindings, bound_role, describe_role, effective_rules, items, role_ref, scope, subjects,
};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings that grant the `cluster-admin` ClusterRole, or a
    /// scanned Role/ClusterRole with a rule allowing every verb on every resource of every API
    /// group. Each subject of such a binding is reported, at the subject.
    ///
    /// `cluster-admin` is recognised by name even when the ClusterRole itself is not scanned.
    /// Kubernetes' own bootstrap bindings (`kubernetes.io/bootstrapping: rbac-defaults`) are
    /// skipped.
    ///
    /// ## Why it matters
    /// Full administrative rights let a subject read every Secret, run any pod on any node and
    /// rewrite RBAC itself. A compromised admin identity is a compromised cluster (CIS 5.1.1).
    ///
    /// ## How to fix
    /// Bind a role that grants only what the subject uses; keep `cluster-admin` for
    /// break-glass identities outside day-to-day automation.
    ///
    /// ## Example
    /// ```yaml
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// ```
    pub static CLUSTER_ADMIN_BINDING = Control {
        id: "RBAC-001",
        slug: "rbac-cluster-admin-binding",
        title: "Subject bound to cluster-admin",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0185", "C-0035"],
            cis: &["5.1.1"],
            checkov: &[],
            trivy: &["KSV-0111"],
            kube_linter: &["cluster-admin-role-binding"],
            polaris: &[
                "clusterrolebindingClusterAdmin",
                "rolebindingClusterAdminClusterRole",
                "rolebindingClusterAdminRole",
            ],
        },
        remediation: "Bind a least-privilege role instead of cluster-admin or an equivalent all-wildcard role.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, binding) in bindings(set) {
        let Some((kind, name)) = role_ref(binding) else {
            continue;
        };
        let grant = if kind == "ClusterRole" && name == "cluster-admin" {
            Some("the cluster-admin ClusterRole".to_string())
        } else {
            bound_role(set, binding).and_then(|role| {
                effective_rules(set, role)
                    .into_iter()
                    .find(|r| is_full_wildcard(r.rule))
                    .map(|r| {
                        format!(
                            "{}, whose rule {} allows everything",
                            describe_role(role),
                            r.index
                        )
                    })
            })
        };
        let Some(grant) = grant else {
            continue;
        };
        for subject in subjects(binding) {
            out.push(SetViolation {
                object: index,
                violation: Violation::new(
                    subject.pointer(),
                    format!(
                        "{} has full administrative rights {} through {grant}",
                        subject.describe(),
                        scope(binding)
                    ),
                )
                .with_evidence(format!("roleRef: {kind} {name}")),
            });
        }
    }
}

/// `*` verbs on `*` resources in `*` API groups.
fn is_full_wildcard(rule: &serde_json::Value) -> bool {
    ["verbs", "resources", "apiGroups"]
        .iter()
        .all(|field| items(rule, field).contains(&"*"))
}
