use palisade_core::Severity;
use palisade_k8s::{Object, ObjectSet, pod_labels, selector_matches};
use serde_json::Value;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// PodDisruptionBudgets (`policy` group) that never allow a voluntary eviction:
    /// - `maxUnavailable` of `0` or `"0%"`;
    /// - `minAvailable` of `"100%"`;
    /// - an integer `minAvailable` at least as large as the `replicas` of a Deployment or
    ///   StatefulSet in the scanned set whose pods the budget selects (same namespace).
    ///
    /// Workloads without `replicas` (an HPA may manage them) are not compared.
    ///
    /// ## Why it matters
    /// Such a budget makes every drain wait forever: node upgrades, autoscaler scale-downs
    /// and maintenance stall until someone deletes the budget by hand, usually in a hurry.
    ///
    /// ## How to fix
    /// Use `maxUnavailable: 1` (or a percentage), or a `minAvailable` below the replica
    /// count.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ```
    pub static PDB_BLOCKS_EVICTION = Control {
        id: "WL-020",
        slug: "pdb-blocks-all-evictions",
        title: "PodDisruptionBudget blocks every eviction",
        severity: Severity::Medium,
        category: "Reliability",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["pdb-max-unavailable", "pdb-min-available"],
            polaris: &[],
        },
        remediation: "Allow at least one disruption: maxUnavailable >= 1 or minAvailable below the replica count.",
        targets: Targets::Kinds(&["PodDisruptionBudget"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, budget) in set.of_kind("PodDisruptionBudget") {
        if budget.group() != "policy" {
            continue;
        }
        let name = budget.resource.name.as_deref().unwrap_or("<unnamed>");
        let spec = budget.value().get("spec");
        let max_unavailable = spec.and_then(|s| s.get("maxUnavailable"));
        let min_available = spec.and_then(|s| s.get("minAvailable"));
        let mut report = |field: &str, value: &Value, why: String| {
            out.push(SetViolation {
                object: index,
                violation: Violation::new(
                    format!("/spec/{field}"),
                    format!("PodDisruptionBudget \"{name}\" {why}, so no pod can ever be evicted"),
                )
                .with_evidence(format!("{field}: {value}")),
            });
        };
        if let Some(value) = max_unavailable.filter(|v| is_zero(v)) {
            report(
                "maxUnavailable",
                value,
                "allows no pod to be unavailable".to_string(),
            );
            continue;
        }
        let Some(value) = min_available else {
            continue;
        };
        if value.as_str().map(str::trim) == Some("100%") {
            report(
                "minAvailable",
                value,
                "requires every pod to stay available".to_string(),
            );
            continue;
        }
        let Some(minimum) = value.as_u64() else {
            continue;
        };
        if let Some((workload, replicas)) =
            smallest_selected(set, budget).filter(|(_, r)| minimum >= *r)
        {
            report(
                "minAvailable",
                value,
                format!(
                    "requires {minimum} available pods while {} \"{}\" runs {replicas}",
                    workload.kind(),
                    workload.resource.name.as_deref().unwrap_or("<unnamed>")
                ),
            );
        }
    }
}

/// `0` or `"0%"`.
fn is_zero(value: &Value) -> bool {
    value.as_u64() == Some(0)
        || value
            .as_str()
            .is_some_and(|s| s.trim() == "0%" || s.trim() == "0")
}

/// The selected Deployment or StatefulSet with the fewest declared replicas.
fn smallest_selected<'a>(set: &'a ObjectSet, budget: &Object) -> Option<(&'a Object, u64)> {
    let selector = budget.value().pointer("/spec/selector");
    set.workloads()
        .filter(|(_, w, _)| {
            w.group() == "apps"
                && matches!(w.kind(), "Deployment" | "StatefulSet")
                && w.resource.namespace == budget.resource.namespace
                && selector_matches(selector, pod_labels(w))
        })
        .filter_map(|(_, w, _)| {
            let replicas = w
                .value()
                .pointer("/spec/replicas")
                .and_then(Value::as_u64)?;
            Some((w, replicas))
        })
        .min_by_key(|(_, replicas)| *replicas)
}
