use palisade_core::Severity;
use palisade_k8s::Object;

use super::seccomp_baseline::PROFILE;
use super::support::{describe, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Restricted profile, policy v1.19 and later: a seccomp profile must be set, either at pod
    /// level (`spec.securityContext.seccompProfile`) or on every container. Profiles set to
    /// `Unconfined` are reported by `seccomp-unconfined`. From v1.25, pods with
    /// `spec.os.name: windows` are exempt.
    ///
    /// ## Why it matters
    /// Kubernetes runs containers without seccomp unless told otherwise (the kubelet's
    /// `SeccompDefault` is off by default), leaving every system call available to an
    /// attacker.
    ///
    /// ## How to fix
    /// Set `seccompProfile.type: RuntimeDefault` in the pod's `securityContext`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    /// ```
    pub static SECCOMP_RESTRICTED = Control {
        id: "POD-019",
        slug: "seccomp-profile-missing",
        title: "No seccomp profile set",
        severity: Severity::Low,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("seccompProfile_restricted"),
            kubescape: &["C-0210"],
            cis: &["5.7.2"],
            checkov: &["CKV_K8S_31"],
            trivy: &["KSV-0030"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Set spec.securityContext.seccompProfile.type to RuntimeDefault.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !ctx.pss_version.at_least(19) {
        return;
    }
    with_pod(object, |pod| {
        if (ctx.pss_version.at_least(25) && pod.is_windows()) || pod.get(PROFILE).is_some() {
            return;
        }
        for container in pod.containers() {
            if container.get(PROFILE).is_none() {
                out.push(Violation::new(
                    container.pointer_to(&format!("{PROFILE}/type")),
                    format!(
                        "{} has no seccomp profile (neither does the pod)",
                        describe(&container)
                    ),
                ));
            }
        }
    });
}
