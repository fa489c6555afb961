use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/securityContext/runAsUser";

control! {
    /// ## What it checks
    /// Restricted profile, policy v1.23 and later: `runAsUser: 0` on the pod or on any
    /// container. Unset is allowed (`run-as-non-root` covers it). From v1.35, pods in a user
    /// namespace (`spec.hostUsers: false`) are exempt.
    ///
    /// Kubescape's C-0218 checks the same rule on PodSecurityPolicy objects (removed in
    /// Kubernetes v1.25); this control checks the pods such a policy would have admitted.
    ///
    /// ## Why it matters
    /// UID 0 is root. An explicit `runAsUser: 0` overrides a non-root `USER` in the image and
    /// makes `runAsNonRoot: true` refuse to start the pod, or runs it as root where that check
    /// is missing.
    ///
    /// ## How to fix
    /// Set `runAsUser` to a non-zero UID (for example 10001), or remove it and rely on the
    /// image's non-root `USER`.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   runAsUser: 10001
    /// ```
    pub static RUN_AS_USER = Control {
        id: "POD-018",
        slug: "run-as-root-user",
        title: "Container runs as UID 0",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("runAsUser"),
            kubescape: &["C-0013", "C-0218"],
            cis: &["5.2.7"],
            checkov: &["CKV_K8S_40"],
            trivy: &["KSV-0105"],
            kube_linter: &["run-as-non-root"],
            polaris: &[],
        },
        remediation: "Set securityContext.runAsUser to a non-zero UID.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn is_root(value: &Value) -> bool {
    value.as_i64() == Some(0) || value.as_u64() == Some(0)
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !ctx.pss_version.at_least(23) {
        return;
    }
    with_pod(object, |pod| {
        if ctx.pss_version.at_least(35) && pod.uses_user_namespace() {
            return;
        }
        if pod.get(FIELD).is_some_and(is_root) {
            out.push(
                Violation::new(pod.pointer_to(FIELD), "The pod runs as UID 0 (root)")
                    .with_evidence("runAsUser: 0"),
            );
        }
        for container in pod.containers() {
            if container.get(FIELD).is_some_and(is_root) {
                out.push(
                    Violation::new(
                        container.pointer_to(FIELD),
                        format!("{} runs as UID 0 (root)", describe(&container)),
                    )
                    .with_evidence("runAsUser: 0"),
                );
            }
        }
    });
}
