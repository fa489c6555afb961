use palisade_core::Severity;
use palisade_k8s::{Object, ObjectSet};
use serde_json::Value;

use super::support::{describe, exists, kind_in_namespace, namespace_phrase, text};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// Ingress backends (`spec.defaultBackend` and `spec.rules[].http.paths[].backend`) naming
    /// a Service that is not in the scan, in the `service.name` form and in the old
    /// `serviceName` form. `resource` backends are not checked. Only checked when the scan holds
    /// at least one Service in the Ingress's namespace.
    ///
    /// ## Why it matters
    /// Requests routed to a missing Service fail with 503 errors; the route looks configured
    /// in review but serves nothing, and a Service created later under that name (by anyone
    /// who can create Services there) receives the traffic.
    ///
    /// ## How to fix
    /// Point the backend at the Service the application runs behind, or remove the path.
    ///
    /// ## Example
    /// ```yaml
    /// backend:
    ///   service:
    ///     name: shop
    ///     port:
    ///       number: 80
    /// ```
    pub static DANGLING_INGRESS_BACKEND = Control {
        id: "REF-005",
        slug: "ingress-backend-missing-service",
        title: "Ingress backend refers to a missing Service",
        severity: Severity::Low,
        category: "References",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0298"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["dangling-ingress"],
            polaris: &[],
        },
        remediation: "Point the backend at an existing Service or remove it.",
        targets: Targets::Kinds(&["Ingress"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, ingress) in set.of_kind("Ingress") {
        if !matches!(ingress.group(), "networking.k8s.io" | "extensions") {
            continue;
        }
        let namespace = ingress.resource.namespace.as_deref();
        if !kind_in_namespace(set, "Service", namespace) {
            continue;
        }
        for (pointer, name) in backends(ingress) {
            if exists(set, "Service", namespace, name) {
                continue;
            }
            out.push(SetViolation {
                object: index,
                violation: Violation::new(
                    pointer,
                    format!(
                        "{} routes to Service \"{name}\", which is not among the scanned objects of {}",
                        describe(ingress),
                        namespace_phrase(namespace)
                    ),
                )
                .with_evidence(format!("Service: {name}")),
            });
        }
    }
}

/// Every backend's Service name with the pointer of the name field.
fn backends(ingress: &Object) -> Vec<(String, &str)> {
    let spec = ingress.value().get("spec");
    let mut candidates: Vec<(String, &Value)> = Vec::new();
    for field in ["defaultBackend", "backend"] {
        if let Some(backend) = spec.and_then(|s| s.get(field)) {
            candidates.push((format!("/spec/{field}"), backend));
        }
    }
    let rules = spec.and_then(|s| s.get("rules")).and_then(Value::as_array);
    for (rule_index, rule) in rules.into_iter().flatten().enumerate() {
        let paths = rule.pointer("/http/paths").and_then(Value::as_array);
        for (path_index, path) in paths.into_iter().flatten().enumerate() {
            if let Some(backend) = path.get("backend") {
                candidates.push((
                    format!("/spec/rules/{rule_index}/http/paths/{path_index}/backend"),
                    backend,
                ));
            }
        }
    }
    candidates
        .into_iter()
        .filter_map(|(pointer, backend)| {
            ["/service/name", "/serviceName"]
                .into_iter()
                .find_map(|field| {
                    text(backend, field).map(|name| (format!("{pointer}{field}"), name))
                })
        })
        .collect()
}
