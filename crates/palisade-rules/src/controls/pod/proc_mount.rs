use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, evidence, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

pub(crate) const FIELD: &str = "/securityContext/procMount";

/// True when a `procMount` value keeps the default masking of `/proc`.
pub(crate) fn is_default(value: &Value) -> bool {
    value.as_str() == Some("Default")
}

control! {
    /// ## What it checks
    /// Containers with a `securityContext.procMount` other than `Default`. From policy version
    /// v1.35, pods that run in a user namespace (`spec.hostUsers: false`) may use any value;
    /// the restricted profile still forbids it (see `proc-mount-restricted`).
    ///
    /// ## Why it matters
    /// The default `/proc` mount masks and makes read-only paths such as `/proc/sys`,
    /// `/proc/sysrq-trigger` and `/proc/kcore`. `Unmasked` exposes them, which lets a process
    /// change kernel settings or read kernel memory.
    ///
    /// ## How to fix
    /// Remove `procMount` or set it to `Default`.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   procMount: Default
    /// ```
    pub static PROC_MOUNT = Control {
        id: "POD-011",
        slug: "unmasked-proc-mount",
        title: "Unmasked /proc mount",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("procMount"),
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0027"],
            kube_linter: &["unsafe-proc-mount"],
            polaris: &[],
        },
        remediation: "Remove securityContext.procMount or set it to Default.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        if ctx.pss_version.at_least(35) && pod.uses_user_namespace() {
            return;
        }
        for container in pod.containers() {
            if let Some(value) = container.get(FIELD).filter(|v| !is_default(v)) {
                out.push(
                    Violation::new(
                        container.pointer_to(FIELD),
                        format!("{} mounts /proc as {value}", describe(&container)),
                    )
                    .with_evidence(evidence("procMount", value)),
                );
            }
        }
    });
}
