use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{items, str_field, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Pod specs with entries in `hostAliases`, each reported separately.
    ///
    /// ## Why it matters
    /// `hostAliases` writes entries into the pod's `/etc/hosts`, overriding DNS for those
    /// names. It is a common way to quietly redirect traffic (to a proxy, a stale address, or
    /// an attacker's endpoint), it bypasses DNS-based policy and monitoring, and addresses
    /// hard-coded in manifests go stale when the target moves.
    ///
    /// ## How to fix
    /// Remove `hostAliases` and publish the name in DNS: a Service, an `ExternalName`
    /// Service, or a CoreDNS rewrite.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: legacy-db
    /// spec:
    ///   type: ExternalName
    ///   externalName: db.internal.example.com
    /// ```
    pub static HOST_ALIASES = Control {
        id: "POD-113",
        slug: "host-aliases",
        title: "Pod overrides /etc/hosts with hostAliases",
        severity: Severity::Low,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0007"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove spec.hostAliases and resolve the names through DNS (a Service or ExternalName Service).",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for (index, alias) in items(pod.get("/hostAliases")) {
            let ip = str_field(alias, "ip").unwrap_or("<no ip>");
            let names: Vec<&str> = alias
                .get("hostnames")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let names = names.join(", ");
            out.push(
                Violation::new(
                    pod.pointer_to(&format!("/hostAliases/{index}")),
                    format!("The pod maps {names} to {ip} in /etc/hosts"),
                )
                .with_evidence(format!("hostAliases: {ip} {names}")),
            );
        }
    });
}
