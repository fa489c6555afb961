use palisade_core::Severity;
use palisade_k8s::{Object, ObjectSet, PodView};
use serde_json::Value;

use super::support::{describe, is_controlled};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// Services that select workloads of the scan and forward a port to container port 22 or
    /// 2222, the usual SSH ports. The target port is `targetPort` (a named target port is
    /// resolved against the selected pods' container ports), or `port` when `targetPort` is
    /// absent. The finding is on the Service port.
    ///
    /// ## Why it matters
    /// An SSH server in a container is a second way in that bypasses Kubernetes'
    /// authentication, audit log and RBAC, and its credentials are rarely rotated. Containers
    /// are managed through the API (`kubectl exec`), not by logging in.
    ///
    /// ## How to fix
    /// Remove the SSH server from the image and the port from the Service; use `kubectl exec`
    /// or ephemeral debug containers.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    ///   - name: http
    ///     port: 80
    ///     targetPort: 8080
    /// ```
    pub static SSH_SERVICE = Control {
        id: "NET-008",
        slug: "service-exposes-ssh",
        title: "Service exposes SSH of its pods",
        severity: Severity::Low,
        category: "Network",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0042"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["ssh-port"],
            polaris: &[],
        },
        remediation: "Remove the SSH port from the Service and the SSH server from the container.",
        targets: Targets::Kinds(&["Service"]),
        check: Check::Set(check),
    };
}

const SSH_PORTS: [i64; 2] = [22, 2222];

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, service) in set.of_kind("Service") {
        if !service.group().is_empty() {
            continue;
        }
        let selector = service.value().pointer("/spec/selector");
        let has_selector = selector
            .and_then(Value::as_object)
            .is_some_and(|s| !s.is_empty());
        if !has_selector {
            continue;
        }
        let selected: Vec<(&Object, PodView<'_>)> = set
            .workloads_selected(service.resource.namespace.as_deref(), selector)
            .filter(|(_, w, _)| !is_controlled(w))
            .map(|(_, w, pod)| (w, pod))
            .collect();
        let ports = service
            .value()
            .pointer("/spec/ports")
            .and_then(Value::as_array);
        for (port_index, port) in ports.into_iter().flatten().enumerate() {
            for (workload, pod) in &selected {
                let Some(target) = target_port(port, pod) else {
                    continue;
                };
                if !SSH_PORTS.contains(&target) {
                    continue;
                }
                let field = if port.get("targetPort").is_some() {
                    "targetPort"
                } else {
                    "port"
                };
                out.push(SetViolation {
                    object: index,
                    violation: Violation::new(
                        format!("/spec/ports/{port_index}/{field}"),
                        format!(
                            "The Service forwards to port {target} (SSH) of {}",
                            describe(workload)
                        ),
                    )
                    .with_evidence(format!("{field}: {}", plain(port.get(field)))),
                });
                break;
            }
        }
    }
}

/// The container port a Service port reaches in `pod`: `targetPort` as a number, a named
/// `targetPort` resolved against the containers' ports, or `port` when `targetPort` is absent.
fn target_port(port: &Value, pod: &PodView<'_>) -> Option<i64> {
    match port.get("targetPort") {
        None | Some(Value::Null) => port.get("port").and_then(Value::as_i64),
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(name)) => name.parse().ok().or_else(|| {
            pod.containers().find_map(|c| {
                c.get("/ports")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
                    .and_then(|p| p.get("containerPort"))
                    .and_then(Value::as_i64)
            })
        }),
        Some(_) => None,
    }
}

/// A scalar as written: strings without quotes.
fn plain(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}
