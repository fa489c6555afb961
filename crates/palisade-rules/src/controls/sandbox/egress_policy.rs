use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{KINDS, describe, is_sandbox_template};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Agent Sandbox `SandboxTemplate` objects whose sandboxes can open connections anywhere:
    /// - `spec.networkPolicyManagement: Unmanaged`: the controller creates no NetworkPolicy
    ///   (another system may, but nothing in the template shows it);
    /// - no `spec.networkPolicy`: the controller's built-in default applies, which allows
    ///   egress to the whole public internet (only private ranges and the metadata server are
    ///   blocked);
    /// - an egress rule without `to` (every destination) or with an `ipBlock` of `0.0.0.0/0`
    ///   or `::/0`.
    ///
    /// A `networkPolicy` with no egress rules (`egress: []` or omitted) is the controller's
    /// default deny and passes, as do rules naming specific CIDRs, namespaces or pods.
    ///
    /// ## Why it matters
    /// Code running in a sandbox must not be able to exfiltrate data, download second-stage
    /// tools or reach command-and-control servers; scoped egress is what keeps a prompt
    /// injection contained.
    ///
    /// ## How to fix
    /// Keep the policy managed and list the destinations the sandbox needs (package mirrors,
    /// the model gateway) as egress rules; leave `egress` empty to deny all.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   networkPolicy:
    ///     egress:
    ///       - to:
    ///           - ipBlock:
    ///               cidr: 203.0.113.10/32
    ///         ports:
    ///           - port: 443
    /// ```
    pub static EGRESS_POLICY = Control {
        id: "SBX-002",
        slug: "sandbox-egress-not-restricted",
        title: "Agent sandbox egress not restricted",
        severity: Severity::High,
        category: "Agent sandbox",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0301"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Keep networkPolicyManagement Managed and set spec.networkPolicy.egress to the destinations the sandbox needs (empty to deny all).",
        targets: Targets::Kinds(KINDS),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !is_sandbox_template(object) {
        return;
    }
    let spec = object.value().get("spec");
    let management = spec
        .and_then(|s| s.get("networkPolicyManagement"))
        .and_then(Value::as_str);
    if management == Some("Unmanaged") {
        out.push(
            Violation::new(
                "/spec/networkPolicyManagement",
                format!(
                    "{} leaves network policy unmanaged, so nothing in the template restricts sandbox egress",
                    describe(object)
                ),
            )
            .with_evidence("networkPolicyManagement: Unmanaged"),
        );
        return;
    }
    let Some(policy) = spec
        .and_then(|s| s.get("networkPolicy"))
        .filter(|p| !p.is_null())
    else {
        out.push(Violation::new(
            "/spec/networkPolicy",
            format!(
                "{} sets no networkPolicy, so the controller's default lets sandboxes reach the whole public internet",
                describe(object)
            ),
        ));
        return;
    };
    let rules = policy.get("egress").and_then(Value::as_array);
    for (index, rule) in rules.into_iter().flatten().enumerate() {
        let pointer = format!("/spec/networkPolicy/egress/{index}");
        let peers = rule.get("to").and_then(Value::as_array);
        let Some(peers) = peers.filter(|p| !p.is_empty()) else {
            out.push(
                Violation::new(
                    pointer,
                    format!(
                        "{} egress rule {index} has no `to`, so it allows every destination",
                        describe(object)
                    ),
                )
                .with_evidence(format!("egress[{index}]: {rule}")),
            );
            continue;
        };
        for (peer_index, peer) in peers.iter().enumerate() {
            let cidr = peer.pointer("/ipBlock/cidr").and_then(Value::as_str);
            if let Some(cidr @ ("0.0.0.0/0" | "::/0")) = cidr {
                out.push(
                    Violation::new(
                        format!("{pointer}/to/{peer_index}/ipBlock/cidr"),
                        format!(
                            "{} egress rule {index} allows {cidr}, every address",
                            describe(object)
                        ),
                    )
                    .with_evidence(format!("cidr: {cidr}")),
                );
            }
        }
    }
}
