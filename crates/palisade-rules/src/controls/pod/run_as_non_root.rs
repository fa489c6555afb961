use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/securityContext/runAsNonRoot";

control! {
    /// ## What it checks
    /// Restricted profile: containers must run with `runAsNonRoot: true`, set on the pod's
    /// `securityContext` (inherited by containers that leave it unset) or on every container.
    /// `runAsNonRoot: false` anywhere fails. From policy v1.35, pods in a user namespace
    /// (`spec.hostUsers: false`) are exempt.
    ///
    /// Kubescape's C-0218 checks the same rule on PodSecurityPolicy objects (removed in
    /// Kubernetes v1.25); this control checks the pods such a policy would have admitted.
    ///
    /// ## Why it matters
    /// With `runAsNonRoot: true` the kubelet refuses to start a container whose user is root
    /// (UID 0), so an image that forgot its `USER` line cannot silently run as root. Root in a
    /// container is one kernel bug or misconfiguration away from root on the node.
    ///
    /// ## How to fix
    /// Set `runAsNonRoot: true` in the pod's `securityContext` and build images with a
    /// non-root `USER` (or set `runAsUser` to a non-zero UID).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    /// ```
    pub static RUN_AS_NON_ROOT = Control {
        id: "POD-017",
        slug: "run-as-non-root",
        title: "Container may run as root",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("runAsNonRoot"),
            kubescape: &["C-0013", "C-0218"],
            cis: &["5.2.7"],
            checkov: &["CKV_K8S_23"],
            trivy: &["KSV-0012"],
            kube_linter: &["run-as-non-root"],
            polaris: &["runAsRootAllowed"],
        },
        remediation: "Set securityContext.runAsNonRoot to true on the pod (or on every container).",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        if ctx.pss_version.at_least(35) && pod.uses_user_namespace() {
            return;
        }
        let pod_value = pod.get(FIELD);
        if let Some(v) = pod_value.filter(|v| v.as_bool() != Some(true)) {
            out.push(
                Violation::new(
                    pod.pointer_to(FIELD),
                    format!("The pod sets runAsNonRoot to {v}"),
                )
                .with_evidence(format!("runAsNonRoot: {v}")),
            );
        }
        let pod_requires_non_root = pod_value.and_then(Value::as_bool) == Some(true);
        for container in pod.containers() {
            match container.get(FIELD) {
                Some(v) if v.as_bool() == Some(true) => {}
                Some(v) => out.push(
                    Violation::new(
                        container.pointer_to(FIELD),
                        format!("{} sets runAsNonRoot to {v}", describe(&container)),
                    )
                    .with_evidence(format!("runAsNonRoot: {v}")),
                ),
                None if pod_requires_non_root => {}
                None => out.push(Violation::new(
                    container.pointer_to(FIELD),
                    format!(
                        "{} does not set runAsNonRoot to true (neither does the pod)",
                        describe(&container)
                    ),
                )),
            }
        }
    });
}
