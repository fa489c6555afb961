use palisade_core::Severity;
use palisade_k8s::Object;

use super::capabilities_baseline::BASELINE_ALLOWED;
use super::support::{describe, string_items, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Restricted profile, policy v1.22 and later: every container must drop `ALL`
    /// capabilities (`securityContext.capabilities.drop` contains `ALL`) and may add back only
    /// `NET_BIND_SERVICE`. Added capabilities outside the baseline's default set are reported
    /// by `dangerous-capabilities`. From v1.25, pods with `spec.os.name: windows` are exempt.
    ///
    /// Kubescape's C-0219 and C-0220 check the same rule on PodSecurityPolicy objects (removed in
    /// Kubernetes v1.25); this control checks the pods such a policy would have admitted.
    ///
    /// ## Why it matters
    /// The runtime's default capability set still includes `CHOWN`, `DAC_OVERRIDE`, `FOWNER`,
    /// `SETUID`, `SETGID`, `NET_RAW` (on some runtimes) and more; most applications need none
    /// of them, and each widens what an attacker can do inside the container.
    ///
    /// ## How to fix
    /// Add `drop: ["ALL"]` to every container's `capabilities`, and add back only
    /// `NET_BIND_SERVICE` if the process binds a port below 1024.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    /// ```
    pub static CAPABILITIES_RESTRICTED = Control {
        id: "POD-020",
        slug: "capabilities-not-dropped",
        title: "Capabilities not dropped",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("capabilities_restricted"),
            kubescape: &["C-0046", "C-0219", "C-0220"],
            cis: &["5.2.9"],
            checkov: &["CKV_K8S_28", "CKV_K8S_37"],
            trivy: &["KSV-0003"],
            kube_linter: &["drop-net-raw-capability"],
            polaris: &[],
        },
        remediation: "Set securityContext.capabilities.drop to [\"ALL\"] and add back only NET_BIND_SERVICE if needed.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    const CAPS: &str = "/securityContext/capabilities";
    if !ctx.pss_version.at_least(22) {
        return;
    }
    with_pod(object, |pod| {
        if ctx.pss_version.at_least(25) && pod.is_windows() {
            return;
        }
        for container in pod.containers() {
            let drop = container.get(&format!("{CAPS}/drop"));
            if !string_items(drop).any(|(_, name)| name == Some("ALL")) {
                out.push(Violation::new(
                    container.pointer_to(&format!("{CAPS}/drop")),
                    format!("{} does not drop ALL capabilities", describe(&container)),
                ));
            }
            for (index, name) in string_items(container.get(&format!("{CAPS}/add"))) {
                let Some(name) = name else { continue };
                if name != "NET_BIND_SERVICE" && BASELINE_ALLOWED.contains(&name) {
                    out.push(
                        Violation::new(
                            container.pointer_to(&format!("{CAPS}/add/{index}")),
                            format!(
                                "{} adds capability {name}; only NET_BIND_SERVICE may be added",
                                describe(&container)
                            ),
                        )
                        .with_evidence(format!("capabilities.add: {name}")),
                    );
                }
            }
        }
    });
}
