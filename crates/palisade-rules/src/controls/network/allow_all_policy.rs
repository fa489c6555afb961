use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{Direction, is_network_policy, isolates, rules};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// NetworkPolicy rules that allow all traffic of their direction: a rule without port
    /// restrictions whose peers are unrestricted. Peers are unrestricted when `from`/`to` is
    /// missing or empty (`- {}` as the whole rule), when a peer is empty, when an `ipBlock` is
    /// `0.0.0.0/0` or `::/0` without `except`, or when a peer is `namespaceSelector: {}` with no
    /// or an empty `podSelector` (every pod of the cluster). Rules of a direction the policy does
    /// not isolate are ignored, since Kubernetes ignores them too.
    ///
    /// ## Why it matters
    /// Such a rule cancels the isolation the policy seems to provide: it is a default-allow
    /// written as a policy, and reviewers take the namespace for protected.
    ///
    /// ## How to fix
    /// Name the peers (pod and namespace selectors, CIDRs) and the ports that are needed, or
    /// delete the rule to deny that direction.
    ///
    /// ## Example
    /// ```yaml
    /// ingress:
    ///   - from:
    ///       - namespaceSelector:
    ///           matchLabels:
    ///             kubernetes.io/metadata.name: ingress-nginx
    ///     ports:
    ///       - port: 8080
    /// ```
    pub static ALLOW_ALL_POLICY = Control {
        id: "NET-003",
        slug: "network-policy-allows-all",
        title: "NetworkPolicy rule allows all traffic",
        severity: Severity::Medium,
        category: "Network",
        references: ControlRefs::NONE,
        remediation: "Restrict the rule to the peers and ports that are needed.",
        targets: Targets::Kinds(&["NetworkPolicy"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !is_network_policy(object) {
        return;
    }
    for direction in [Direction::Ingress, Direction::Egress] {
        if !isolates(object, direction) {
            continue;
        }
        for (index, rule) in rules(object, direction).iter().enumerate() {
            let has_ports = rule
                .get("ports")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty());
            if has_ports {
                continue;
            }
            let rule_pointer = format!("/spec/{}/{index}", direction.rules_field());
            let (pointer, whom) = match unrestricted_peer(rule, direction) {
                Some(Unrestricted::NoPeers) => (rule_pointer, anywhere(direction)),
                Some(Unrestricted::Peer(peer, whom)) => (
                    format!("{rule_pointer}/{}/{peer}", direction.peers_field()),
                    whom,
                ),
                None => continue,
            };
            let traffic = match direction {
                Direction::Ingress => "ingress from",
                Direction::Egress => "egress to",
            };
            out.push(
                Violation::new(
                    pointer,
                    format!(
                        "{} rule {index} allows {traffic} {whom} on every port",
                        direction.name()
                    ),
                )
                .with_evidence(format!("{}[{index}]: {rule}", direction.rules_field())),
            );
        }
    }
}

/// Every peer of a direction.
fn anywhere(direction: Direction) -> &'static str {
    match direction {
        Direction::Ingress => "any source",
        Direction::Egress => "any destination",
    }
}

enum Unrestricted {
    /// No peers listed: everything.
    NoPeers,
    /// The peer at this index matches everything it describes.
    Peer(usize, &'static str),
}

fn unrestricted_peer(rule: &Value, direction: Direction) -> Option<Unrestricted> {
    let peers = rule.get(direction.peers_field()).and_then(Value::as_array);
    let Some(peers) = peers.filter(|p| !p.is_empty()) else {
        return Some(Unrestricted::NoPeers);
    };
    peers.iter().enumerate().find_map(|(index, peer)| {
        let empty = |field: &str| {
            peer.get(field)
                .and_then(Value::as_object)
                .is_some_and(serde_json::Map::is_empty)
        };
        let fields = peer.as_object().map_or(0, serde_json::Map::len);
        if fields == 0 {
            return Some(Unrestricted::Peer(index, anywhere(direction)));
        }
        let cidr = peer.pointer("/ipBlock/cidr").and_then(Value::as_str);
        let excepts = peer
            .pointer("/ipBlock/except")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty());
        if matches!(cidr, Some("0.0.0.0/0" | "::/0")) && !excepts {
            return Some(Unrestricted::Peer(index, "every IP address"));
        }
        let pod_selector_open = peer.get("podSelector").is_none() || empty("podSelector");
        if empty("namespaceSelector") && pod_selector_open {
            return Some(Unrestricted::Peer(index, "every pod of every namespace"));
        }
        None
    })
}
