use std::collections::HashMap;

use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{bounded_join, effective_rules, role_ref};
use super::workload_identity::{
    AccountIndex, WorkloadAccount, describe_workload, is_full_wildcard, mounted_accounts,
};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// Workloads that mount the token of a ServiceAccount bound to `cluster-admin` (recognised
    /// by name even when the ClusterRole is not scanned) or to a scanned Role/ClusterRole with
    /// a rule allowing every verb on every resource of every API group (`*`/`*`/`*`, directly
    /// or through aggregation). Reported at `serviceAccountName`.
    ///
    /// A RoleBinding to `cluster-admin` gives full rights in its namespace only; it is
    /// reported too, with its scope in the message. Account resolution, token mounting and
    /// subject matching follow the other workload RBAC controls.
    ///
    /// ## Why it matters
    /// Code execution in such a pod is administrative access to the cluster (or namespace):
    /// every Secret, every workload, RBAC itself.
    ///
    /// ## How to fix
    /// Replace the binding with a role listing the resources and verbs the workload uses; keep
    /// administrative rights out of workloads entirely.
    ///
    /// ## Example
    /// ```yaml
    /// kind: RoleBinding
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: deployer
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: deployer
    ///     namespace: ci
    /// ```
    pub static WORKLOAD_ADMIN = Control {
        id: "RBAC-025",
        slug: "workload-admin-permissions",
        title: "Workload service account has administrative rights",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0272"],
            cis: &["5.1.1"],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Bind the workload's service account to a least-privilege role instead of cluster-admin or */*/*.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    let accounts = AccountIndex::new(set);
    // Many workloads share an account; judge each account once.
    let mut judged: HashMap<(String, String), Vec<String>> = HashMap::new();
    for (index, workload, account) in mounted_accounts(set) {
        let key = (account.namespace.to_string(), account.name.to_string());
        let admin = judged
            .entry(key)
            .or_insert_with(|| admin_bindings(set, &accounts, &account));
        if admin.is_empty() {
            continue;
        }
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                account.pointer.clone(),
                format!(
                    "{} mounts the token of {}, which has full administrative rights through {}",
                    describe_workload(workload),
                    account.describe(),
                    bounded_join(admin, ", ", "bindings")
                ),
            )
            .with_evidence(account.evidence()),
        });
    }
}

/// The bindings through which `account` has full administrative rights.
fn admin_bindings(
    set: &ObjectSet,
    accounts: &AccountIndex<'_>,
    account: &WorkloadAccount<'_>,
) -> Vec<String> {
    let mut admin = Vec::new();
    for binding in accounts.bindings(account) {
        let by_name = role_ref(binding.binding)
            .is_some_and(|(kind, name)| kind == "ClusterRole" && name == "cluster-admin");
        let by_rules = || {
            binding.role.is_some_and(|role| {
                effective_rules(set, role)
                    .iter()
                    .any(|rule| is_full_wildcard(rule.rule))
            })
        };
        if by_name || by_rules() {
            admin.push(binding.describe());
        }
    }
    admin
}
