use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Services with a non-empty `spec.externalIPs`.
    ///
    /// ## Why it matters
    /// kube-proxy routes traffic for the listed addresses to the Service, whatever owns them.
    /// Anyone who can create a Service can so intercept traffic meant for another IP address,
    /// inside or outside the cluster (CVE-2020-8554, unfixable in Kubernetes itself). The
    /// field is rarely needed; clusters should deny it with an admission policy.
    ///
    /// ## How to fix
    /// Remove `externalIPs`; use a LoadBalancer Service or an Ingress to receive outside
    /// traffic.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: LoadBalancer
    ///   ports:
    ///     - port: 443
    /// ```
    pub static EXTERNAL_IPS_SERVICE = Control {
        id: "NET-007",
        slug: "service-external-ips",
        title: "Service sets externalIPs",
        severity: Severity::Medium,
        category: "Network",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0108"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove spec.externalIPs and expose the Service through a LoadBalancer or an Ingress.",
        targets: Targets::Kinds(&["Service"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() != "Service" || !object.group().is_empty() {
        return;
    }
    let ips = object
        .value()
        .pointer("/spec/externalIPs")
        .and_then(Value::as_array);
    for (index, ip) in ips.into_iter().flatten().enumerate() {
        let ip = ip.as_str().unwrap_or_default();
        out.push(
            Violation::new(
                format!("/spec/externalIPs/{index}"),
                format!("The Service captures traffic sent to {ip} on every node"),
            )
            .with_evidence(format!("externalIPs: {ip}")),
        );
    }
}
