use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::is_ingress;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Ingresses with no `spec.tls` entries.
    ///
    /// ## Why it matters
    /// Without TLS the Ingress serves plain HTTP: credentials, session cookies and data cross
    /// the network readable and modifiable by anyone on the path.
    ///
    /// ## How to fix
    /// Add a `tls` entry with the hosts and a Secret holding the certificate (cert-manager can
    /// issue and renew it).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   tls:
    ///     - hosts: ["shop.example.com"]
    ///       secretName: shop-tls
    /// ```
    pub static INGRESS_WITHOUT_TLS = Control {
        id: "NET-009",
        slug: "ingress-without-tls",
        title: "Ingress without TLS",
        severity: Severity::Medium,
        category: "Network",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0263"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &["tlsSettingsMissing"],
        },
        remediation: "Add spec.tls with the Ingress's hosts and a certificate Secret.",
        targets: Targets::Kinds(&["Ingress"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !is_ingress(object) {
        return;
    }
    let tls = object
        .value()
        .pointer("/spec/tls")
        .and_then(Value::as_array);
    if tls.is_none_or(Vec::is_empty) {
        out.push(Violation::new(
            "/spec/tls",
            "The Ingress configures no TLS and serves plain HTTP",
        ));
    }
}
