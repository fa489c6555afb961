use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{capability, describe, string_items, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const DROP: &str = "/securityContext/capabilities/drop";
const ADD: &str = "/securityContext/capabilities/add";

control! {
    /// ## What it checks
    /// Containers that keep `NET_RAW`: their `securityContext.capabilities.drop` contains
    /// neither `NET_RAW` nor `ALL`, or their `capabilities.add` puts `NET_RAW` (or `ALL`) back.
    /// Windows pods (`spec.os.name: windows`) are skipped; Linux capabilities do not apply.
    ///
    /// ## Why it matters
    /// Container runtimes grant `NET_RAW` by default. It lets a process craft raw packets:
    /// ARP and DNS spoofing of its neighbours on the node, and the ingredient of several
    /// kernel exploits. Almost no application needs it (`ping` works without it on modern
    /// kernels through `net.ipv4.ping_group_range`).
    ///
    /// ## How to fix
    /// Drop `ALL` capabilities (or at least `NET_RAW`) and do not add it back.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    /// ```
    pub static NET_RAW_NOT_DROPPED = Control {
        id: "POD-106",
        slug: "net-raw-not-dropped",
        title: "Container does not drop NET_RAW",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &["5.2.8"],
            checkov: &["CKV_K8S_28"],
            trivy: &[],
            kube_linter: &["drop-net-raw-capability"],
            polaris: &["insecureCapabilities"],
        },
        remediation: "Add ALL (or NET_RAW) to securityContext.capabilities.drop and do not add NET_RAW back.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn removes_net_raw(name: &str) -> bool {
    matches!(capability(name).as_str(), "NET_RAW" | "ALL")
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        if pod.is_windows() {
            return;
        }
        for container in pod.containers() {
            let added_back = string_items(container.get(ADD))
                .find(|(_, name)| name.is_some_and(removes_net_raw));
            if let Some((index, Some(name))) = added_back {
                out.push(
                    Violation::new(
                        container.pointer_to(&format!("{ADD}/{index}")),
                        if capability(name) == "ALL" {
                            format!(
                                "{} adds {name}, which includes NET_RAW",
                                describe(&container)
                            )
                        } else {
                            format!("{} adds {name} back", describe(&container))
                        },
                    )
                    .with_evidence(format!("capabilities.add: {name}")),
                );
                continue;
            }
            let drop = container.get(DROP);
            if string_items(drop).any(|(_, name)| name.is_some_and(removes_net_raw)) {
                continue;
            }
            let mut violation = Violation::new(
                container.pointer_to(DROP),
                format!(
                    "{} does not drop NET_RAW (drop neither NET_RAW nor ALL)",
                    describe(&container)
                ),
            );
            if let Some(list) = drop {
                violation =
                    violation.with_evidence(format!("capabilities.drop: {}", compact(list)));
            }
            out.push(violation);
        }
    });
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
