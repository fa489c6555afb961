use palisade_core::Severity;
use palisade_k8s::{ContainerView, Object};
use serde_json::Value;

use super::support::{describe, items, str_field, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const PROBES: &[&str] = &["livenessProbe", "readinessProbe", "startupProbe"];
const HANDLERS: &[&str] = &["httpGet", "tcpSocket", "grpc"];

control! {
    /// ## What it checks
    /// Liveness, readiness and startup probes (`httpGet`, `tcpSocket` or `grpc`) whose port
    /// the container does not declare:
    /// - a named port (`port: http`) that no entry of the container's `ports` carries, which
    ///   the kubelet cannot resolve, so the probe always fails;
    /// - a numeric port that matches none of the container's `containerPort`s, when the
    ///   container declares ports at all (a container that declares none is not judged:
    ///   declaring ports is optional).
    ///
    /// ## Why it matters
    /// A probe aimed at the wrong port fails forever: a liveness probe restarts the
    /// container in a loop, a readiness probe keeps it out of its Service, a startup probe
    /// never lets it start. Often the port was renamed or changed in one place only.
    ///
    /// ## How to fix
    /// Point the probe at a port the container declares, preferably by name.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    ///   - name: http
    ///     containerPort: 8080
    /// livenessProbe:
    ///   httpGet:
    ///     path: /healthz
    ///     port: http
    /// ```
    pub static PROBE_PORT = Control {
        id: "WL-018",
        slug: "probe-port-not-exposed",
        title: "Probe targets a port the container does not declare",
        severity: Severity::Low,
        category: "Reliability",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["liveness-port", "readiness-port", "startup-port"],
            polaris: &[],
        },
        remediation: "Point the probe at a port the container declares, preferably by name.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            for probe in PROBES {
                for handler in HANDLERS {
                    let field = format!("/{probe}/{handler}/port");
                    let Some(port) = container.get(&field) else {
                        continue;
                    };
                    if let Some(problem) = undeclared(&container, port) {
                        out.push(
                            Violation::new(
                                container.pointer_to(&field),
                                format!("{}'s {probe} {problem}", describe(&container)),
                            )
                            .with_evidence(format!("port: {port}")),
                        );
                    }
                }
            }
        }
    });
}

/// Why `port` does not resolve to a declared port of the container, if it does not.
fn undeclared(container: &ContainerView<'_>, port: &Value) -> Option<String> {
    let declared: Vec<&Value> = items(container.get("/ports")).map(|(_, p)| p).collect();
    match port {
        Value::String(name) => {
            if let Ok(number) = name.parse::<i64>() {
                return undeclared(container, &Value::from(number));
            }
            let found = declared
                .iter()
                .any(|p| str_field(p, "name") == Some(name.as_str()));
            (!found)
                .then(|| format!("uses port name \"{name}\", which the container does not define"))
        }
        Value::Number(number) => {
            let number = number.as_i64()?;
            let found = declared
                .iter()
                .any(|p| p.get("containerPort").and_then(Value::as_i64) == Some(number));
            (!declared.is_empty() && !found)
                .then(|| format!("targets port {number}, which is not among the container's ports"))
        }
        _ => None,
    }
}
