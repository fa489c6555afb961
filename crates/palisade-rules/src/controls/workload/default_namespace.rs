use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/metadata/namespace";

control! {
    /// ## What it checks
    /// Pods and workload controllers whose `metadata.namespace` is `default` or is not set
    /// (such manifests land in whatever namespace the applying context uses, which is
    /// `default` unless configured otherwise).
    ///
    /// ## Why it matters
    /// The `default` namespace is where everything ends up that nobody placed on purpose. It
    /// usually has no Pod Security Admission labels, no NetworkPolicies, no ResourceQuota
    /// and broad RoleBindings, so workloads there share a flat trust boundary and escape the
    /// per-team controls you set on real namespaces.
    ///
    /// ## How to fix
    /// Create a namespace per application or team, with its own policies, and set
    /// `metadata.namespace` explicitly (or through Kustomize's `namespace:`).
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// ```
    pub static DEFAULT_NAMESPACE = Control {
        id: "WL-007",
        slug: "workload-in-default-namespace",
        title: "Workload in the default namespace",
        severity: Severity::Low,
        category: "Workload hygiene",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0061", "C-0212"],
            cis: &["5.7.4"],
            checkov: &["CKV_K8S_21"],
            trivy: &["KSV-0110"],
            kube_linter: &["use-namespace"],
            polaris: &[],
        },
        remediation: "Set metadata.namespace to a dedicated namespace.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !Targets::Workloads.applies_to(object) {
        return;
    }
    let kind = object.kind();
    let name = object.resource.name.as_deref().unwrap_or("<unnamed>");
    match object.value().pointer(FIELD).and_then(Value::as_str) {
        Some("default") => out.push(
            Violation::new(FIELD, format!("{kind} \"{name}\" is in the default namespace"))
                .with_evidence("namespace: default"),
        ),
        Some(ns) if !ns.is_empty() => {}
        _ => out.push(Violation::new(
            FIELD,
            format!("{kind} \"{name}\" sets no namespace, so it is applied to the current (usually default) namespace"),
        )),
    }
}
