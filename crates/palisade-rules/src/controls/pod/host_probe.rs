use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{describe, evidence, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// Handlers that can make the kubelet connect to an arbitrary host.
const HANDLERS: &[&str] = &[
    "/livenessProbe",
    "/readinessProbe",
    "/startupProbe",
    "/lifecycle/postStart",
    "/lifecycle/preStop",
];

control! {
    /// ## What it checks
    /// From policy version v1.34: probes (`livenessProbe`, `readinessProbe`, `startupProbe`)
    /// and lifecycle hooks (`postStart`, `preStop`) whose `httpGet.host` or `tcpSocket.host`
    /// is set to anything but the empty string.
    ///
    /// ## Why it matters
    /// The kubelet, not the container, performs these requests, from the node's network. A
    /// custom `host` turns the kubelet into a proxy that reaches addresses the pod itself
    /// could not (node-local services, cloud metadata endpoints, other networks).
    ///
    /// ## How to fix
    /// Remove `host` so the probe targets the pod's own IP; use an `exec` probe when another
    /// address really must be checked.
    ///
    /// ## Example
    /// ```yaml
    /// livenessProbe:
    ///   httpGet:
    ///     path: /healthz
    ///     port: 8080
    /// ```
    pub static HOST_PROBE = Control {
        id: "POD-014",
        slug: "probe-custom-host",
        title: "Probe or lifecycle hook targets a custom host",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("hostProbesAndHostLifecycle"),
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove the host field from the probe or lifecycle handler.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !ctx.pss_version.at_least(34) {
        return;
    }
    with_pod(object, |pod| {
        for container in pod.containers() {
            for handler in HANDLERS {
                for action in ["httpGet", "tcpSocket"] {
                    let field = format!("{handler}/{action}/host");
                    let Some(host) = container.get(&field) else {
                        continue;
                    };
                    if host.as_str() == Some("") {
                        continue;
                    }
                    out.push(
                        Violation::new(
                            container.pointer_to(&field),
                            format!(
                                "{} {} targets host {host}",
                                describe(&container),
                                &handler[1..]
                            ),
                        )
                        .with_evidence(evidence("host", host)),
                    );
                }
            }
        }
    });
}
