use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, evidence, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/securityContext/allowPrivilegeEscalation";

control! {
    /// ## What it checks
    /// Restricted profile, policy v1.8 and later: every container must set
    /// `securityContext.allowPrivilegeEscalation: false` explicitly (unset fails, because the
    /// default is to allow it). From v1.25, pods with `spec.os.name: windows` are exempt.
    ///
    /// Kubescape's C-0217 checks the same rule on PodSecurityPolicy objects (removed in
    /// Kubernetes v1.25); this control checks the pods such a policy would have admitted.
    ///
    /// ## Why it matters
    /// With escalation allowed, a process can gain more privileges than its parent through
    /// setuid/setgid binaries or file capabilities, turning a foothold as an unprivileged user
    /// into root inside the container.
    ///
    /// ## How to fix
    /// Set `allowPrivilegeEscalation: false` in every container's `securityContext`.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   allowPrivilegeEscalation: false
    /// ```
    pub static ALLOW_PRIVILEGE_ESCALATION = Control {
        id: "POD-016",
        slug: "privilege-escalation-allowed",
        title: "Privilege escalation not disabled",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("allowPrivilegeEscalation"),
            kubescape: &["C-0016", "C-0217"],
            cis: &["5.2.6"],
            checkov: &["CKV_K8S_20"],
            trivy: &["KSV-0001"],
            kube_linter: &["privilege-escalation-container"],
            polaris: &["privilegeEscalationAllowed"],
        },
        remediation: "Set securityContext.allowPrivilegeEscalation to false in every container.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !ctx.pss_version.at_least(8) {
        return;
    }
    with_pod(object, |pod| {
        if ctx.pss_version.at_least(25) && pod.is_windows() {
            return;
        }
        for container in pod.containers() {
            let value = container.get(FIELD);
            if value.and_then(Value::as_bool) == Some(false) {
                continue;
            }
            let message = match value {
                Some(v) => format!(
                    "{} sets allowPrivilegeEscalation to {v}",
                    describe(&container)
                ),
                None => format!(
                    "{} does not set allowPrivilegeEscalation to false",
                    describe(&container)
                ),
            };
            let mut violation = Violation::new(container.pointer_to(FIELD), message);
            if let Some(v) = value {
                violation = violation.with_evidence(evidence("allowPrivilegeEscalation", v));
            }
            out.push(violation);
        }
    });
}
