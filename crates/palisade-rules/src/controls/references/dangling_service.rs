use palisade_core::Severity;
use palisade_k8s::ObjectSet;
use serde_json::Value;

use super::support::{describe, is_controlled, namespace_phrase, workload_in_namespace};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// Services with a non-empty `selector` that matches the pod template labels of no workload
    /// of the scan in their namespace. Services without a selector (manually managed endpoints,
    /// `ExternalName`) are skipped. Only checked when the scan holds at least one workload in
    /// the Service's namespace.
    ///
    /// ## Why it matters
    /// A Service that selects no pods has no endpoints: clients get connection errors, and the
    /// cause (a label renamed in one place only) is easy to miss in review.
    ///
    /// ## How to fix
    /// Make the selector match the labels of the pod template it fronts.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   selector:
    ///     app.kubernetes.io/name: shop
    /// ```
    pub static DANGLING_SERVICE = Control {
        id: "REF-008",
        slug: "service-selects-nothing",
        title: "Service selects no workload",
        severity: Severity::Low,
        category: "References",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0293"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["dangling-service"],
            polaris: &[],
        },
        remediation: "Fix the Service selector to match the pod template labels of its workload.",
        targets: Targets::Kinds(&["Service"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, service) in set.of_kind("Service") {
        if !service.group().is_empty() {
            continue;
        }
        let selector = service.value().pointer("/spec/selector");
        let Some(map) = selector
            .and_then(Value::as_object)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        if service
            .value()
            .pointer("/spec/type")
            .and_then(Value::as_str)
            == Some("ExternalName")
        {
            continue;
        }
        let namespace = service.resource.namespace.as_deref();
        if !workload_in_namespace(set, namespace) {
            continue;
        }
        let selects_any = set
            .workloads_selected(namespace, selector)
            .any(|(_, workload, _)| !is_controlled(workload));
        if selects_any {
            continue;
        }
        let wanted: Vec<String> = map
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect();
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                "/spec/selector",
                format!(
                    "{} selects none of the scanned workloads of {}",
                    describe(service),
                    namespace_phrase(namespace)
                ),
            )
            .with_evidence(format!("selector: {}", wanted.join(", "))),
        });
    }
}
