use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{bindings, role_ref, scope, subjects};
use super::workload_identity::{describe_workload, workload_account};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

/// The name the Kubernetes dashboard's ServiceAccount and roles carry in its manifests.
const DASHBOARD: &str = "kubernetes-dashboard";

/// Name prefixes of the dashboard's own workloads, which run as its ServiceAccount.
const DASHBOARD_WORKLOADS: &[&str] = &["kubernetes-dashboard", "dashboard-metrics-scraper"];

control! {
    /// ## What it checks
    /// Two ways of borrowing the Kubernetes dashboard's privileges:
    /// - a RoleBinding or ClusterRoleBinding whose `roleRef` is the `kubernetes-dashboard`
    ///   Role or ClusterRole, reported at each subject other than the dashboard's own
    ///   `kubernetes-dashboard` ServiceAccount;
    /// - a workload running as a ServiceAccount named `kubernetes-dashboard` whose name does
    ///   not start with `kubernetes-dashboard` or `dashboard-metrics-scraper` (the dashboard's
    ///   own components), reported at `serviceAccountName`.
    ///
    /// Names are those of the upstream manifests and Helm chart; a dashboard installed under
    /// other names is not recognised. Deploying the dashboard at all (checkov CKV_K8S_33) is a
    /// different question and not checked here.
    ///
    /// ## Why it matters
    /// The dashboard's account can read and change much of the cluster on behalf of whoever
    /// uses the UI. Binding other users to its roles, or running other code as its account,
    /// spreads those rights beyond the component that needs them ("Access Kubernetes
    /// dashboard" in the MITRE ATT&CK matrix for Kubernetes).
    ///
    /// ## How to fix
    /// Bind users to purpose-made roles instead of the dashboard's, and give every workload
    /// its own ServiceAccount.
    ///
    /// ## Example
    /// ```yaml
    /// kind: RoleBinding
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: kubernetes-dashboard
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: kubernetes-dashboard
    ///     namespace: kubernetes-dashboard
    /// ```
    pub static DASHBOARD_ACCESS = Control {
        id: "RBAC-021",
        slug: "rbac-dashboard-access",
        title: "Kubernetes dashboard privileges used by others",
        severity: Severity::Low,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0014"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Bind users and workloads to their own least-privilege roles, not to the dashboard's role or ServiceAccount.",
        targets: Targets::Kinds(&[
            "RoleBinding",
            "ClusterRoleBinding",
            "Pod",
            "Deployment",
            "ReplicaSet",
            "DaemonSet",
            "StatefulSet",
            "Job",
            "CronJob",
            "ReplicationController",
        ]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, binding) in bindings(set) {
        let Some((kind, name)) = role_ref(binding) else {
            continue;
        };
        if name != DASHBOARD || !matches!(kind, "Role" | "ClusterRole") {
            continue;
        }
        for subject in subjects(binding) {
            if subject.kind == "ServiceAccount" && subject.name == DASHBOARD {
                continue;
            }
            out.push(SetViolation {
                object: index,
                violation: Violation::new(
                    subject.pointer(),
                    format!(
                        "{} is bound to the dashboard's {kind} \"{name}\" {}",
                        subject.describe(),
                        scope(binding)
                    ),
                )
                .with_evidence(format!("roleRef: {kind} {name}")),
            });
        }
    }
    for (index, workload, pod) in set.workloads() {
        let account = workload_account(workload, &pod);
        let own_name = workload.resource.name.as_deref().unwrap_or("");
        if account.name != DASHBOARD || DASHBOARD_WORKLOADS.iter().any(|p| own_name.starts_with(p))
        {
            continue;
        }
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                account.pointer.clone(),
                format!(
                    "{} runs as the dashboard's {} but is not a dashboard component",
                    describe_workload(workload),
                    account.describe()
                ),
            )
            .with_evidence(account.evidence()),
        });
    }
}
