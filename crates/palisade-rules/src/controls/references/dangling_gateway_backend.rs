use palisade_core::Severity;
use palisade_k8s::{Object, ObjectSet};
use serde_json::Value;

use super::support::{describe, exists, kind_in_namespace, namespace_phrase, text};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

/// Gateway API route kinds, all of which send traffic to `backendRefs`.
const ROUTE_KINDS: &[&str] = &["HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute"];

const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

control! {
    /// ## What it checks
    /// Gateway API routes (`HTTPRoute`, `GRPCRoute`, `TCPRoute`, `TLSRoute`, `UDPRoute` of
    /// `gateway.networking.k8s.io`) whose `spec.rules[].backendRefs[]`, or the backend of a
    /// rule's `RequestMirror` filter, name a Service that is not in the scan. The Service is
    /// looked up in the backend's `namespace`, or the route's when unset. Backends of other
    /// kinds (`kind`/`group` other than a core Service) are not checked. As with the other
    /// reference controls, a namespace is only checked when the scan holds at least one
    /// Service in it. Cross-namespace backends also need a ReferenceGrant, which is not
    /// checked here.
    ///
    /// ## Why it matters
    /// A route to a missing Service serves errors (HTTP 500 for `HTTPRoute`) while looking
    /// configured in review, and a Service created later under that name, by anyone who can
    /// create Services there, receives the traffic.
    ///
    /// ## How to fix
    /// Point the backend at the Service the application runs behind, or remove the backend.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// spec:
    ///   rules:
    ///     - backendRefs:
    ///         - name: shop
    ///           port: 80
    /// ```
    pub static DANGLING_GATEWAY_BACKEND = Control {
        id: "REF-010",
        slug: "gateway-route-backend-missing-service",
        title: "Gateway API route refers to a missing Service",
        severity: Severity::Low,
        category: "References",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0302"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Point the route's backendRefs at existing Services or remove them.",
        targets: Targets::Kinds(ROUTE_KINDS),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, route) in set.objects().iter().enumerate() {
        if route.group() != GATEWAY_GROUP || !ROUTE_KINDS.contains(&route.kind()) {
            continue;
        }
        let route_namespace = route.resource.namespace.as_deref();
        for (pointer, backend) in service_backends(route) {
            let Some(name) = text(backend, "/name") else {
                continue;
            };
            let namespace = text(backend, "/namespace").or(route_namespace);
            if !kind_in_namespace(set, "Service", namespace)
                || exists(set, "Service", namespace, name)
            {
                continue;
            }
            out.push(SetViolation {
                object: index,
                violation: Violation::new(
                    format!("{pointer}/name"),
                    format!(
                        "{} sends traffic to Service \"{name}\", which is not among the scanned objects of {}",
                        describe(route),
                        namespace_phrase(namespace)
                    ),
                )
                .with_evidence(format!("Service: {name}")),
            });
        }
    }
}

/// Every backend reference of the route that names a core Service, with its pointer.
fn service_backends(route: &Object) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    let rules = route
        .value()
        .pointer("/spec/rules")
        .and_then(Value::as_array);
    for (rule_index, rule) in rules.into_iter().flatten().enumerate() {
        let rule_pointer = format!("/spec/rules/{rule_index}");
        let backends = rule.get("backendRefs").and_then(Value::as_array);
        for (index, backend) in backends.into_iter().flatten().enumerate() {
            found.push((format!("{rule_pointer}/backendRefs/{index}"), backend));
        }
        let filters = rule.get("filters").and_then(Value::as_array);
        for (index, filter) in filters.into_iter().flatten().enumerate() {
            if let Some(mirror) = filter.pointer("/requestMirror/backendRef") {
                found.push((
                    format!("{rule_pointer}/filters/{index}/requestMirror/backendRef"),
                    mirror,
                ));
            }
        }
    }
    found.retain(|(_, backend)| is_service(backend));
    found
}

/// A backend is a Service unless its `kind` or `group` says otherwise.
fn is_service(backend: &Value) -> bool {
    text(backend, "/kind").unwrap_or("Service") == "Service"
        && text(backend, "/group").unwrap_or("").is_empty()
}
