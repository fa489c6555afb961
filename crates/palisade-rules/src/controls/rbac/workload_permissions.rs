use std::collections::HashMap;

use palisade_core::Severity;
use palisade_k8s::ObjectSet;
use serde_json::Value;

use super::support::{bounded_join, describe_role, effective_rules, items};
use super::workload_identity::{
    AccountIndex, WorkloadAccount, describe_workload, mounted_accounts,
};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// Workloads whose pods get their ServiceAccount's token mounted while a binding in the
    /// scanned set gives that account permissions from a scanned Role or ClusterRole. The
    /// finding, at `serviceAccountName` (or the pod spec for the implicit `default` account),
    /// lists what the token can do: each rule as verbs on resources, with the role and the
    /// binding that grant it. It answers "what does an attacker who gets into this container
    /// get from the Kubernetes API?".
    ///
    /// The account, mounting and binding rules are those of the other workload RBAC controls:
    /// `serviceAccountName`/`serviceAccount`/`default`; mounted unless the pod or the scanned
    /// ServiceAccount says `automountServiceAccountToken: false`; named by a `ServiceAccount`
    /// subject or the `system:serviceaccounts[:<namespace>]` groups. Bindings whose role is
    /// not in the set are left to `workload-token-with-rbac` (their rules are unknown).
    ///
    /// ## Why it matters
    /// The token at `/var/run/secrets/kubernetes.io/serviceaccount` is the first thing an
    /// intruder reads ("Access container service account" in the MITRE ATT&CK matrix for
    /// Kubernetes). Every permission it carries is available to anyone who can run code in
    /// the pod.
    ///
    /// ## How to fix
    /// Give each workload its own ServiceAccount with only the permissions it uses, and set
    /// `automountServiceAccountToken: false` on workloads that never call the API.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// spec:
    ///   template:
    ///     spec:
    ///       serviceAccountName: web
    ///       automountServiceAccountToken: false
    /// ```
    pub static WORKLOAD_PERMISSIONS = Control {
        id: "RBAC-022",
        slug: "workload-service-account-permissions",
        title: "Workload mounts a service account token with RBAC permissions",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0053"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Use a dedicated least-privilege ServiceAccount, or stop mounting its token where the API is not used.",
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
        let (granted, via) = judged
            .entry(key)
            .or_insert_with(|| account_grants(set, &accounts, &account));
        if granted.is_empty() {
            continue;
        }
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                account.pointer.clone(),
                format!(
                    "{} mounts the token of {}, which can: {}",
                    describe_workload(workload),
                    account.describe(),
                    bounded_join(granted, "; ", "rules")
                ),
            )
            .with_evidence(format!(
                "{} via {}",
                account.evidence(),
                bounded_join(via, ", ", "bindings")
            )),
        });
    }
}

/// Every rule `account` is granted, and the bindings that grant them.
fn account_grants(
    set: &ObjectSet,
    accounts: &AccountIndex<'_>,
    account: &WorkloadAccount<'_>,
) -> (Vec<String>, Vec<String>) {
    let mut granted: Vec<String> = Vec::new();
    let mut via: Vec<String> = Vec::new();
    for binding in accounts.bindings(account) {
        let Some(role) = binding.role else {
            continue;
        };
        let rules = effective_rules(set, role);
        if rules.is_empty() {
            continue;
        }
        via.push(binding.describe());
        for rule in rules {
            granted.push(format!(
                "{} ({}, {})",
                summarize(rule.rule),
                describe_role(rule.role),
                super::support::scope(binding.binding)
            ));
        }
    }
    (granted, via)
}

/// A rule in one phrase: `get/list on pods, configmaps`, `* on *.*`, with `resourceNames`.
fn summarize(rule: &Value) -> String {
    let verbs = items(rule, "verbs");
    let groups = items(rule, "apiGroups");
    let resources = items(rule, "resources");
    let qualified: Vec<String> = resources
        .iter()
        .flat_map(|resource| {
            let groups = if groups.is_empty() {
                vec![""]
            } else {
                groups.clone()
            };
            groups.into_iter().map(move |group| {
                if group.is_empty() {
                    (*resource).to_string()
                } else {
                    format!("{resource}.{group}")
                }
            })
        })
        .collect();
    let urls = items(rule, "nonResourceURLs");
    let target = if qualified.is_empty() && !urls.is_empty() {
        format!("URLs {}", urls.join(", "))
    } else {
        qualified.join(", ")
    };
    let names = items(rule, "resourceNames");
    let names = if names.is_empty() {
        String::new()
    } else {
        format!(" named {}", names.join(", "))
    };
    format!("{} on {target}{names}", verbs.join("/"))
}
