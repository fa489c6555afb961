use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Services of `type: LoadBalancer` that accept every source address: no
    /// `loadBalancerSourceRanges`, or a range of `0.0.0.0/0` or `::/0`.
    ///
    /// ## Why it matters
    /// A LoadBalancer Service usually gets a public address. Without source ranges, anything on
    /// the internet can reach the pods behind it, including ports meant for internal clients.
    ///
    /// ## How to fix
    /// Limit `loadBalancerSourceRanges` to the networks of the clients, use an internal load
    /// balancer (your provider's annotation), or put the service behind an Ingress.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: LoadBalancer
    ///   loadBalancerSourceRanges:
    ///     - 203.0.113.0/24
    /// ```
    pub static LOAD_BALANCER_SERVICE = Control {
        id: "NET-006",
        slug: "service-load-balancer-open",
        title: "LoadBalancer Service open to every address",
        severity: Severity::Low,
        category: "Network",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["exposed-services"],
            polaris: &[],
        },
        remediation: "Set loadBalancerSourceRanges to the client networks, or make the load balancer internal.",
        targets: Targets::Kinds(&["Service"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() != "Service" || !object.group().is_empty() {
        return;
    }
    let spec = object.value().get("spec");
    if spec.and_then(|s| s.get("type")).and_then(Value::as_str) != Some("LoadBalancer") {
        return;
    }
    let ranges: Vec<&str> = spec
        .and_then(|s| s.get("loadBalancerSourceRanges"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if let Some(open) = ranges
        .iter()
        .position(|r| matches!(*r, "0.0.0.0/0" | "::/0"))
    {
        out.push(
            Violation::new(
                format!("/spec/loadBalancerSourceRanges/{open}"),
                format!(
                    "The LoadBalancer Service accepts traffic from {}",
                    ranges[open]
                ),
            )
            .with_evidence(format!("loadBalancerSourceRanges: {}", ranges[open])),
        );
    } else if ranges.is_empty() {
        out.push(
            Violation::new(
                "/spec/type",
                "The LoadBalancer Service sets no loadBalancerSourceRanges and accepts traffic from every address",
            )
            .with_evidence("type: LoadBalancer"),
        );
    }
}
