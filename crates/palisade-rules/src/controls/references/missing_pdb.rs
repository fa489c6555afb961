use palisade_core::Severity;
use palisade_k8s::{ObjectSet, pod_labels, selector_matches};
use serde_json::Value;

use super::support::describe;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// Deployments and StatefulSets with more than one replica (`spec.replicas` > 1) that no
    /// PodDisruptionBudget of their namespace selects (its `spec.selector` matches the pod
    /// template labels). Single-replica workloads are not reported: a budget cannot keep one
    /// pod available through a node drain anyway.
    ///
    /// ## Why it matters
    /// Replicas exist to keep a service up, but node drains during upgrades and autoscaler
    /// scale-downs may evict all of them at once unless a budget limits voluntary disruptions.
    ///
    /// ## How to fix
    /// Add a PodDisruptionBudget selecting the pods, with `maxUnavailable: 1` or a
    /// `minAvailable` below the replica count.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: shop
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels:
    ///       app: shop
    /// ```
    pub static MISSING_PDB = Control {
        id: "REF-009",
        slug: "missing-pod-disruption-budget",
        title: "Replicated workload without a PodDisruptionBudget",
        severity: Severity::Low,
        category: "References",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &["missingPodDisruptionBudget"],
        },
        remediation: "Add a PodDisruptionBudget that selects the workload's pods.",
        targets: Targets::Kinds(&["Deployment", "StatefulSet"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    let budgets: Vec<_> = set
        .of_kind("PodDisruptionBudget")
        .filter(|(_, b)| b.group() == "policy")
        .map(|(_, b)| b)
        .collect();
    for (index, workload, _) in set.workloads() {
        if !matches!(workload.kind(), "Deployment" | "StatefulSet") {
            continue;
        }
        let replicas = workload
            .value()
            .pointer("/spec/replicas")
            .and_then(Value::as_i64);
        let Some(replicas) = replicas.filter(|r| *r > 1) else {
            continue;
        };
        let covered = budgets.iter().any(|budget| {
            budget.resource.namespace == workload.resource.namespace
                && selector_matches(
                    budget.value().pointer("/spec/selector"),
                    pod_labels(workload),
                )
        });
        if covered {
            continue;
        }
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                "/spec/replicas",
                format!(
                    "{} runs {replicas} replicas but no PodDisruptionBudget selects its pods; a drain may evict them all at once",
                    describe(workload)
                ),
            )
            .with_evidence(format!("replicas: {replicas}")),
        });
    }
}
