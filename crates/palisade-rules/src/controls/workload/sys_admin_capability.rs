use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{capability, describe, string_items, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers whose `securityContext.capabilities.add` contains `SYS_ADMIN` (with or
    /// without the `CAP_` prefix, any case) or `ALL`, which includes it. Kubescape counts this
    /// as part of its privileged-container control (C-0057).
    ///
    /// ## Why it matters
    /// `CAP_SYS_ADMIN` is the catch-all capability: it allows `mount`, namespace manipulation,
    /// BPF, and dozens of other administrative operations. Most container breakouts published
    /// in recent years need it, which makes it nearly as dangerous as `privileged: true`.
    ///
    /// ## How to fix
    /// Remove `SYS_ADMIN` (or `ALL`) from `capabilities.add`. If the workload mounts
    /// filesystems, use a CSI driver or a volume type instead; if it needs a device, use a
    /// device plugin.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    /// ```
    pub static SYS_ADMIN_CAPABILITY = Control {
        id: "POD-105",
        slug: "sys-admin-capability",
        title: "Container adds CAP_SYS_ADMIN",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &["CKV_K8S_39"],
            trivy: &["KSV-0005"],
            kube_linter: &["privilege-escalation-container"],
            polaris: &["dangerousCapabilities"],
        },
        remediation: "Remove SYS_ADMIN (and ALL) from securityContext.capabilities.add.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            for (index, name) in string_items(container.get("/securityContext/capabilities/add")) {
                let Some(name) = name else { continue };
                let message = match capability(name).as_str() {
                    "SYS_ADMIN" => format!("{} adds SYS_ADMIN", describe(&container)),
                    "ALL" => format!(
                        "{} adds ALL capabilities, including SYS_ADMIN",
                        describe(&container)
                    ),
                    _ => continue,
                };
                out.push(
                    Violation::new(
                        container.pointer_to(&format!("/securityContext/capabilities/add/{index}")),
                        message,
                    )
                    .with_evidence(format!("capabilities.add: {name}")),
                );
            }
        }
    });
}
