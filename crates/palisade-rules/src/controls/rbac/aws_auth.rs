use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{
    Permission, bindings, bound_role, effective_rules, grants, items, scope, subjects,
};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

/// The ConfigMap that maps AWS IAM identities to Kubernetes users and groups on EKS.
const AWS_AUTH: &str = "aws-auth";

control! {
    /// ## What it checks
    /// Bindings whose role (in the scanned set) has a rule naming the `aws-auth` ConfigMap in
    /// `resourceNames` with `update`, `patch` or `delete`. Each subject is reported at the
    /// subject. Rules that may change every ConfigMap are reported by
    /// `rbac-update-configmaps` and not repeated here.
    ///
    /// ## Why it matters
    /// On EKS, `kube-system/aws-auth` decides which AWS IAM roles and users become which
    /// Kubernetes users and groups. Whoever can edit it can map an IAM identity they control
    /// to `system:masters` and become cluster administrator.
    ///
    /// ## How to fix
    /// Manage `aws-auth` (or, better, EKS access entries) from infrastructure code; do not
    /// grant write access to it in the cluster.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     resourceNames: ["aws-auth"]
    ///     verbs: ["get"]
    /// ```
    pub static AWS_AUTH_WRITE = Control {
        id: "RBAC-028",
        slug: "rbac-aws-auth-write",
        title: "Subject can modify the EKS aws-auth ConfigMap",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0115"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove write access to the aws-auth ConfigMap; manage IAM mappings outside the cluster.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

const PERMISSION: Permission = Permission {
    verbs: &["update", "patch", "delete"],
    resources: &[("", "configmaps")],
    sensitive_names: &[AWS_AUTH],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, binding) in bindings(set) {
        let Some(role) = bound_role(set, binding) else {
            continue;
        };
        let granted = effective_rules(set, role).into_iter().find_map(|rule| {
            let named = items(rule.rule, "resourceNames").contains(&AWS_AUTH);
            let grant = grants(rule.rule, &PERMISSION).filter(|_| named);
            grant.map(|(verbs, _)| (rule, verbs))
        });
        let Some((rule, verbs)) = granted else {
            continue;
        };
        for subject in subjects(binding) {
            out.push(SetViolation {
                object: index,
                violation: Violation::new(
                    subject.pointer(),
                    format!(
                        "{} can {} the aws-auth ConfigMap {} through {}",
                        subject.describe(),
                        verbs.join("/"),
                        scope(binding),
                        rule.describe()
                    ),
                )
                .with_evidence(rule.evidence()),
            });
        }
    }
}
