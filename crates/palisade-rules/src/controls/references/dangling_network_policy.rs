use palisade_core::Severity;
use palisade_k8s::ObjectSet;
use serde_json::Value;

use super::support::{describe, is_controlled, namespace_phrase, workload_in_namespace};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// NetworkPolicies whose `podSelector` selects no workload of the scan in their namespace.
    /// Only checked when the scan holds at least one workload in that namespace; an empty
    /// selector (every pod) always selects something then.
    ///
    /// ## Why it matters
    /// A policy that selects nothing protects nothing, usually because labels changed or the
    /// selector has a typo. The workload it was written for is left open while the policy
    /// suggests otherwise.
    ///
    /// ## How to fix
    /// Match the selector to the pod template labels of the workload it is meant for, or
    /// delete the policy.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app.kubernetes.io/name: shop
    /// ```
    pub static DANGLING_NETWORK_POLICY = Control {
        id: "REF-006",
        slug: "network-policy-selects-nothing",
        title: "NetworkPolicy selects no workload",
        severity: Severity::Low,
        category: "References",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0299"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["dangling-networkpolicy"],
            polaris: &[],
        },
        remediation: "Fix the podSelector to match the intended pods, or delete the policy.",
        targets: Targets::Kinds(&["NetworkPolicy"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, policy) in set.of_kind("NetworkPolicy") {
        if policy.group() != "networking.k8s.io" {
            continue;
        }
        let namespace = policy.resource.namespace.as_deref();
        if !workload_in_namespace(set, namespace) {
            continue;
        }
        let empty = Value::Object(serde_json::Map::new());
        let selector = match policy.value().pointer("/spec/podSelector") {
            None | Some(Value::Null) => &empty,
            Some(selector) => selector,
        };
        let selects_any = set
            .workloads_selected(namespace, Some(selector))
            .any(|(_, workload, _)| !is_controlled(workload));
        if selects_any {
            continue;
        }
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                "/spec/podSelector",
                format!(
                    "{} selects none of the scanned workloads of {}",
                    describe(policy),
                    namespace_phrase(namespace)
                ),
            )
            .with_evidence(format!("podSelector: {selector}")),
        });
    }
}
