use std::collections::HashMap;

use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{bounded_join, effective_rules};
use super::workload_identity::{
    AccountIndex, WorkloadAccount, describe_workload, mounted_accounts, takeover_grant,
};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// Workloads that mount the token of a ServiceAccount to which a scanned binding and role
    /// give a cluster-takeover permission: create pods or pod controllers, `pods/exec` or
    /// `pods/attach`, read Secrets, `escalate`/`bind` roles, write (Cluster)RoleBindings,
    /// `impersonate`, `nodes/proxy`, create `serviceaccounts/token`, change admission webhook
    /// configurations, or approve certificate signing requests. Reported once per workload
    /// at `serviceAccountName`, naming the first such permission of each binding.
    ///
    /// Account resolution, token mounting and subject matching follow the other workload RBAC
    /// controls (see `workload-service-account-permissions`). Rules limited by
    /// `resourceNames` are not counted, and roles that are not in the set are unknown.
    ///
    /// ## Why it matters
    /// Each of these permissions can be turned into every other: reading Secrets yields other
    /// accounts' tokens, creating pods lets an attacker mount any Secret or the host, binding
    /// or impersonating grants any role. A workload carrying them turns one compromised
    /// container into a compromised cluster.
    ///
    /// ## How to fix
    /// Move the privileged duty to a dedicated controller with a narrow role, scope the role
    /// with `resourceNames`, or stop mounting the token.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     resourceNames: ["app-settings"]
    ///     verbs: ["get"]
    /// ```
    pub static WORKLOAD_TAKEOVER = Control {
        id: "RBAC-024",
        slug: "workload-cluster-takeover-permissions",
        title: "Workload service account can take over the cluster",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0267"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove the takeover permission from the workload's roles or stop mounting its service account token.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    let accounts = AccountIndex::new(set);
    // Many workloads share an account; judge each account once.
    let mut judged: HashMap<(String, String), (Vec<String>, Vec<String>)> = HashMap::new();
    for (index, workload, account) in mounted_accounts(set) {
        let key = (account.namespace.to_string(), account.name.to_string());
        let (grants, evidence) = judged
            .entry(key)
            .or_insert_with(|| takeover_grants(set, &accounts, &account));
        if grants.is_empty() {
            continue;
        }
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                account.pointer.clone(),
                format!(
                    "{} mounts the token of {}, which can {}",
                    describe_workload(workload),
                    account.describe(),
                    bounded_join(grants, "; ", "grants")
                ),
            )
            .with_evidence(bounded_join(evidence, "; ", "rules")),
        });
    }
}

/// What `account` can do that amounts to taking over the cluster, and the rules that say so.
fn takeover_grants(
    set: &ObjectSet,
    accounts: &AccountIndex<'_>,
    account: &WorkloadAccount<'_>,
) -> (Vec<String>, Vec<String>) {
    let mut grants: Vec<String> = Vec::new();
    let mut evidence: Vec<String> = Vec::new();
    for binding in accounts.bindings(account) {
        let Some(role) = binding.role else {
            continue;
        };
        let found = effective_rules(set, role)
            .into_iter()
            .find_map(|rule| takeover_grant(&rule).map(|g| (rule, g)));
        if let Some((rule, (what, verbs, resources))) = found {
            grants.push(format!(
                "{what} ({} {} through {})",
                verbs.join("/"),
                resources.join(", "),
                binding.describe()
            ));
            evidence.push(format!("{}: {}", rule.describe(), rule.rule));
        }
    }
    (grants, evidence)
}
