use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, items, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// The standard SSH port and its usual unprivileged stand-in.
const SSH_PORTS: &[i64] = &[22, 2222];

control! {
    /// ## What it checks
    /// Container ports (`ports[*].containerPort`) 22 or 2222, the ports SSH servers listen
    /// on, with TCP protocol (the default).
    ///
    /// ## Why it matters
    /// An SSH server in a container is a second, unaudited way in: it bypasses
    /// `kubectl exec` authorisation and audit logging, usually comes with long-lived keys or
    /// passwords baked into the image, and is a favourite target of credential-stuffing
    /// botnets when the port ends up exposed.
    ///
    /// ## How to fix
    /// Remove the SSH server and use `kubectl exec` or `kubectl debug`, which go through RBAC
    /// and the audit log. If the workload is an SSH service by design (a Git server, a
    /// bastion), add an exception with the reason.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    ///   - name: http
    ///     containerPort: 8080
    /// ```
    pub static SSH_PORT = Control {
        id: "POD-117",
        slug: "ssh-port",
        title: "Container exposes an SSH port",
        severity: Severity::Low,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0042"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["ssh-port"],
            polaris: &[],
        },
        remediation: "Remove the SSH server from the container and use kubectl exec or kubectl debug.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            for (index, port) in items(container.get("/ports")) {
                let Some(number) = port.get("containerPort").and_then(Value::as_i64) else {
                    continue;
                };
                let protocol = port
                    .get("protocol")
                    .and_then(Value::as_str)
                    .unwrap_or("TCP");
                if !SSH_PORTS.contains(&number) || !protocol.eq_ignore_ascii_case("TCP") {
                    continue;
                }
                out.push(
                    Violation::new(
                        container.pointer_to(&format!("/ports/{index}/containerPort")),
                        format!("{} exposes SSH port {number}", describe(&container)),
                    )
                    .with_evidence(format!("containerPort: {number}")),
                );
            }
        }
    });
}
