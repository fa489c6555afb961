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

use std::collections::HashSet;

use palisade_k8s::{Object, ObjectSet, PodView};
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

/// An empty selector (`{}`, or `matchLabels: {}` without expressions) selects every pod.
fn selects_everything(selector: &Value) -> bool {
    let Some(map) = selector.as_object() else {
        return false;
    };
    map.values().all(|v| match v {
        Value::Object(inner) => inner.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Null => true,
        _ => false,
    })
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
    // Which workloads some isolating policy selects, found from the policies' side through
    // the set's label index; a policy without a selector covers its whole namespace.
    let mut whole_namespaces: HashSet<Option<&str>> = HashSet::new();
    let mut covered: HashSet<usize> = HashSet::new();
    for (_, policy) in network_policies(set).filter(|(_, p)| isolates(p, direction)) {
        let namespace = policy.resource.namespace.as_deref();
        match pod_selector(policy) {
            Some(selector) if !selects_everything(selector) => covered.extend(
                set.workloads_selected(namespace, Some(selector))
                    .map(|(index, _, _)| index),
            ),
            _ => {
                whole_namespaces.insert(namespace);
            }
        }
    }
    for (index, workload, pod) in set.workloads() {
        if is_controlled(workload) || uses_host_network(&pod) {
            continue;
        }
        if covered.contains(&index)
            || whole_namespaces.contains(&workload.resource.namespace.as_deref())
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
