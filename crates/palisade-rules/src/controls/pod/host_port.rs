use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, evidence, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Container ports with a non-zero `hostPort`.
    ///
    /// ## Why it matters
    /// A host port binds the node's own network interface, bypassing Services and often
    /// NetworkPolicies, exposes the workload to anything that can reach the node, and limits
    /// scheduling to one such pod per node.
    ///
    /// ## How to fix
    /// Remove `hostPort` and expose the container through a Service (ClusterIP, or a
    /// LoadBalancer/Ingress when it must be reachable from outside).
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    ///   - containerPort: 8080
    /// ```
    pub static HOST_PORT = Control {
        id: "POD-008",
        slug: "host-port",
        title: "Container binds a host port",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("hostPorts"),
            kubescape: &["C-0044"],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0024"],
            kube_linter: &["host-port"],
            polaris: &["hostPortSet"],
        },
        remediation: "Remove hostPort and expose the port through a Service.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            let ports = container.get("/ports").and_then(Value::as_array);
            for (index, port) in ports.into_iter().flatten().enumerate() {
                let Some(host_port) = port.get("hostPort").filter(|v| !v.is_null()) else {
                    continue;
                };
                if host_port.as_i64() == Some(0) {
                    continue;
                }
                out.push(
                    Violation::new(
                        container.pointer_to(&format!("/ports/{index}/hostPort")),
                        format!("{} binds host port {host_port}", describe(&container)),
                    )
                    .with_evidence(evidence("hostPort", host_port)),
                );
            }
        }
    });
}
