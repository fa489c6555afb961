use palisade_core::Severity;
use palisade_k8s::{ObjectSet, PodView};

use super::support::{Reference, report_missing, text};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Workloads whose `serviceAccountName` (or the deprecated `serviceAccount`) names a
    /// ServiceAccount that is not in the scan. `default` is never reported: Kubernetes creates
    /// it in every namespace. Only checked when the scan holds at least one ServiceAccount in
    /// the workload's namespace; otherwise the namespace's ServiceAccounts were not scanned and
    /// every reference would look missing.
    ///
    /// ## Why it matters
    /// Pods of a workload whose ServiceAccount does not exist are rejected at creation: the
    /// Deployment rolls out nothing, often noticed only in production. A typo may also
    /// silently point at a different, more privileged account created later.
    ///
    /// ## How to fix
    /// Create the ServiceAccount with the workload (same chart or kustomization), or correct
    /// the name.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: billing-worker
    ///   namespace: billing
    /// ```
    pub static MISSING_SERVICE_ACCOUNT = Control {
        id: "REF-001",
        slug: "missing-service-account",
        title: "Workload refers to a missing ServiceAccount",
        severity: Severity::Low,
        category: "References",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0307"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["non-existent-service-account"],
            polaris: &[],
        },
        remediation: "Create the ServiceAccount alongside the workload or fix serviceAccountName.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_missing(set, "ServiceAccount", service_account, out);
}

/// `serviceAccountName`, else the deprecated `serviceAccount`; `default` always exists.
fn service_account<'a>(pod: &PodView<'a>) -> Vec<Reference<'a>> {
    ["serviceAccountName", "serviceAccount"]
        .into_iter()
        .find_map(|field| {
            text(pod.spec, &format!("/{field}")).map(|name| Reference {
                pointer: pod.pointer_to(&format!("/{field}")),
                name,
                via: field.to_string(),
            })
        })
        .filter(|r| r.name != "default")
        .into_iter()
        .collect()
}
