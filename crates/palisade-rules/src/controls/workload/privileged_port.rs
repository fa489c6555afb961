use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, items, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// Ports below this need `NET_BIND_SERVICE` (or root) to bind.
const FIRST_UNPRIVILEGED: i64 = 1024;

control! {
    /// ## What it checks
    /// Container ports (`ports[*].containerPort`) from 1 to 1023. Declaring such a port means
    /// the process binds it, which takes root or the `NET_BIND_SERVICE` capability (unless
    /// the node lowers `net.ipv4.ip_unprivileged_port_start`).
    ///
    /// ## Why it matters
    /// A workload that needs a privileged port usually runs as root or keeps a capability
    /// only for this, and hardening it (non-root, `drop: ["ALL"]`) breaks it. Listening on a
    /// high port and letting the Service map port 80 or 443 to it removes the need.
    ///
    /// ## How to fix
    /// Configure the application to listen on a port above 1023 and set the Service's
    /// `targetPort` to it.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    ///   - name: http
    ///     containerPort: 8080
    /// ```
    pub static PRIVILEGED_PORT = Control {
        id: "WL-017",
        slug: "privileged-container-port",
        title: "Container listens on a privileged port",
        severity: Severity::Low,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0117"],
            kube_linter: &["privileged-ports"],
            polaris: &[],
        },
        remediation: "Listen on a port above 1023 and map the Service port to it.",
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
                if !(1..FIRST_UNPRIVILEGED).contains(&number) {
                    continue;
                }
                out.push(
                    Violation::new(
                        container.pointer_to(&format!("/ports/{index}/containerPort")),
                        format!(
                            "{} listens on privileged port {number}",
                            describe(&container)
                        ),
                    )
                    .with_evidence(format!("containerPort: {number}")),
                );
            }
        }
    });
}
