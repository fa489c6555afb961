//! What the network controls share: NetworkPolicy semantics and which workloads count.
//!
//! Conventions:
//! - A NetworkPolicy applies to pods of its own namespace whose labels its `podSelector`
//!   matches (an empty selector matches every pod there).
//! - `policyTypes`, when present, says which directions a policy isolates. Without it, a
//!   policy isolates Ingress, and Egress too when it has at least one egress rule, as the API
//!   server defaults it.
//! - Pods owned by a controller (`ownerReferences` with `controller: true`) are skipped: the
//!   controller is reported instead, once. Pods on the host network are skipped by coverage
//!   checks, since NetworkPolicies do not apply to them.

use std::collections::HashMap;

use palisade_k8s::{Object, ObjectSet, PodView, pod_labels, selector_matches};
use serde_json::Value;

/// A traffic direction a NetworkPolicy can isolate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    /// The `policyTypes` value and the rules field of this direction.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        }
    }

    pub fn rules_field(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// The peer list field inside a rule.
    pub fn peers_field(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }
}

/// True for a `networking.k8s.io` NetworkPolicy.
pub(crate) fn is_network_policy(object: &Object) -> bool {
    object.kind() == "NetworkPolicy" && object.group() == "networking.k8s.io"
}

/// NetworkPolicies of the set.
pub(crate) fn network_policies(set: &ObjectSet) -> impl Iterator<Item = (usize, &Object)> {
    set.of_kind("NetworkPolicy")
        .filter(|(_, o)| is_network_policy(o))
}

/// The rules of one direction of a policy (empty when absent).
pub(crate) fn rules(policy: &Object, direction: Direction) -> &[Value] {
    policy
        .value()
        .pointer(&format!("/spec/{}", direction.rules_field()))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Whether a policy isolates traffic in `direction`, with the API server's defaulting.
pub(crate) fn isolates(policy: &Object, direction: Direction) -> bool {
    match policy
        .value()
        .pointer("/spec/policyTypes")
        .and_then(Value::as_array)
    {
        Some(types) => types.iter().any(|t| t.as_str() == Some(direction.name())),
        None => match direction {
            Direction::Ingress => true,
            Direction::Egress => !rules(policy, Direction::Egress).is_empty(),
        },
    }
}

/// The policy's `podSelector`; a missing one is treated as the empty selector.
pub(crate) fn pod_selector(policy: &Object) -> Option<&Value> {
    match policy.value().pointer("/spec/podSelector") {
        Some(Value::Null) | None => None,
        Some(selector) => Some(selector),
    }
}

/// Whether `policy` selects the pods of `workload` (same namespace, matching labels).
pub(crate) fn selects(policy: &Object, workload: &Object) -> bool {
    if policy.resource.namespace != workload.resource.namespace {
        return false;
    }
    match pod_selector(policy) {
        Some(selector) => selector_matches(Some(selector), pod_labels(workload)),
        None => true,
    }
}

/// True for objects a controller owns (their owner is reported instead).
pub(crate) fn is_controlled(object: &Object) -> bool {
    object
        .value()
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|owner| owner.get("controller").and_then(Value::as_bool) == Some(true))
}

/// True when the pods run on the node's network, where NetworkPolicies do not apply.
pub(crate) fn uses_host_network(pod: &PodView<'_>) -> bool {
    pod.get("/hostNetwork").and_then(Value::as_bool) == Some(true)
}

/// `Deployment "web"`.
pub(crate) fn describe(object: &Object) -> String {
    format!(
        "{} \"{}\"",
        object.kind(),
        object.resource.name.as_deref().unwrap_or("<unnamed>")
    )
}

/// Workloads not isolated in `direction` by any policy: reported at their pod labels.
pub(crate) fn report_unisolated(
    set: &ObjectSet,
    direction: Direction,
    consequence: &str,
    out: &mut Vec<crate::SetViolation>,
) {
    // Policies only select pods of their own namespace.
    let mut policies: HashMap<Option<&str>, Vec<&Object>> = HashMap::new();
    for (_, policy) in network_policies(set).filter(|(_, p)| isolates(p, direction)) {
        policies
            .entry(policy.resource.namespace.as_deref())
            .or_default()
            .push(policy);
    }
    for (index, workload, pod) in set.workloads() {
        if is_controlled(workload) || uses_host_network(&pod) {
            continue;
        }
        let namespace = workload.resource.namespace.as_deref();
        if policies
            .get(&namespace)
            .is_some_and(|ps| ps.iter().any(|p| selects(p, workload)))
        {
            continue;
        }
        out.push(crate::SetViolation {
            object: index,
            violation: crate::Violation::new(
                format!("{}/labels", pod.metadata_pointer),
                format!(
                    "{} is not selected by any NetworkPolicy for {}; {consequence}",
                    describe(workload),
                    direction.name()
                ),
            ),
        });
    }
}

/// True for an Ingress (`networking.k8s.io`, or the old `extensions` group).
pub(crate) fn is_ingress(object: &Object) -> bool {
    object.kind() == "Ingress" && matches!(object.group(), "networking.k8s.io" | "extensions")
}
