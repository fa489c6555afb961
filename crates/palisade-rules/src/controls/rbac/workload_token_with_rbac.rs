use std::collections::HashMap;

use palisade_core::Severity;
use palisade_k8s::{ObjectSet, PodView};

use super::support::bounded_join;
use super::workload_identity::{AccountBinding, AccountIndex, describe_workload, mounted_accounts};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

const FIELD: &str = "/automountServiceAccountToken";

control! {
    /// ## What it checks
    /// Workloads that get their ServiceAccount's token mounted (the pod spec does not set
    /// `automountServiceAccountToken: false`, nor does the scanned ServiceAccount when the pod
    /// leaves it unset) while at least one RoleBinding or ClusterRoleBinding in the scanned set
    /// names that account, whatever the role (even one that is not in the set). Reported at
    /// the pod's `automountServiceAccountToken` field.
    ///
    /// This is the RBAC-aware subset of `service-account-token-automount` (POD-111): a token
    /// without bindings grants only discovery, one with bindings grants whatever they give.
    /// `workload-service-account-permissions` (RBAC-022) lists those permissions.
    ///
    /// ## Why it matters
    /// A mounted token with RBAC permissions is a ready-made credential for anyone who gets
    /// code execution in the pod; if the application never calls the API, it is pure risk.
    ///
    /// ## How to fix
    /// Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount),
    /// or, when the workload calls the API, keep the token and make sure the bound roles are
    /// minimal (then add an exception for this control).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   template:
    ///     spec:
    ///       serviceAccountName: reporter
    ///       automountServiceAccountToken: false
    /// ```
    pub static WORKLOAD_TOKEN_WITH_RBAC = Control {
        id: "RBAC-023",
        slug: "workload-token-with-rbac",
        title: "Service account token with role bindings mounted",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0261"],
            cis: &["5.1.6"],
            checkov: &["CKV_K8S_38"],
            trivy: &["KSV-0036"],
            kube_linter: &[],
            polaris: &["automountServiceAccountToken"],
        },
        remediation: "Set automountServiceAccountToken: false unless the workload calls the Kubernetes API.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    let accounts = AccountIndex::new(set);
    // Many workloads share an account; describe each account's bindings once.
    let mut described_by_account: HashMap<(String, String), Vec<String>> = HashMap::new();
    for (index, workload, account) in mounted_accounts(set) {
        let key = (account.namespace.to_string(), account.name.to_string());
        let described = described_by_account.entry(key).or_insert_with(|| {
            accounts
                .bindings(&account)
                .iter()
                .map(AccountBinding::describe)
                .collect()
        });
        if described.is_empty() {
            continue;
        }
        let Some(pod) = PodView::of(workload) else {
            continue;
        };
        let written = pod
            .get(FIELD)
            .map_or_else(|| "unset".to_string(), ToString::to_string);
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                pod.pointer_to(FIELD),
                format!(
                    "{} mounts the token of {}, which {} {}",
                    describe_workload(workload),
                    account.describe(),
                    if described.len() == 1 {
                        "is bound by"
                    } else {
                        "is bound by each of"
                    },
                    bounded_join(described, ", ", "bindings")
                ),
            )
            .with_evidence(format!("automountServiceAccountToken: {written}")),
        });
    }
}
