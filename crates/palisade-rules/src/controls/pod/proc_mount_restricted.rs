use palisade_core::Severity;
use palisade_k8s::Object;

use super::proc_mount::{FIELD, is_default};
use super::support::{describe, evidence, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Restricted profile, policy version v1.35 and later: containers of pods in a user
    /// namespace (`spec.hostUsers: false`) with a `procMount` other than `Default`. The
    /// baseline profile allows this since v1.35; restricted does not. (Pods without a user
    /// namespace are reported by `unmasked-proc-mount`.)
    ///
    /// ## Why it matters
    /// User namespaces limit what an unmasked `/proc` exposes, but the restricted profile keeps
    /// the defence in depth: the masked paths stay masked.
    ///
    /// ## How to fix
    /// Remove `procMount` or set it to `Default`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostUsers: false
    ///   containers:
    ///     - name: app
    ///       securityContext:
    ///         procMount: Default
    /// ```
    pub static PROC_MOUNT_RESTRICTED = Control {
        id: "POD-021",
        slug: "proc-mount-restricted",
        title: "Unmasked /proc mount in a user-namespaced pod",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("procMount_restricted"),
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove securityContext.procMount or set it to Default.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        if !(ctx.pss_version.at_least(35) && pod.uses_user_namespace()) {
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
