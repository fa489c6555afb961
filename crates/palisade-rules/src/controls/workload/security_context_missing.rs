use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/securityContext";

control! {
    /// ## What it checks
    /// Containers (including init and ephemeral containers) that run with no security context
    /// at all: the pod spec has no `securityContext` (or an empty one) and neither has the
    /// container. Reported at the container's missing `securityContext`.
    ///
    /// This is a precise subset of Kubescape's C-0211, which bundles sixteen separate rules
    /// (privileged, read-only root, run as non-root, capabilities, seccomp, SELinux, sysctls,
    /// …); each of those has its own control here. This one only asks whether anyone
    /// thought about the security context, like checkov's CKV_K8S_29/CKV_K8S_30 and Trivy's
    /// KSV-0118. A context that only sets harmless fields counts as set.
    ///
    /// ## Why it matters
    /// Without a security context every setting is the runtime's default: the image's user
    /// (often root), a writable root filesystem, default capabilities, privilege escalation
    /// allowed. An absent context is the surest sign the workload was never hardened.
    ///
    /// ## How to fix
    /// Set a pod-level `securityContext` (non-root user, seccomp profile) and a container
    /// `securityContext` (no privilege escalation, read-only root, dropped capabilities).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/app:1.4.2
    ///       securityContext:
    ///         allowPrivilegeEscalation: false
    ///         readOnlyRootFilesystem: true
    ///         capabilities:
    ///           drop: ["ALL"]
    /// ```
    pub static SECURITY_CONTEXT_MISSING = Control {
        id: "POD-119",
        slug: "security-context-missing",
        title: "No security context on pod or container",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0211"],
            cis: &["5.7.3"],
            checkov: &["CKV_K8S_29", "CKV_K8S_30"],
            trivy: &["KSV-0118"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Set a securityContext on the pod and its containers (non-root, no privilege escalation, read-only root, drop ALL).",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        if is_set(pod.get(FIELD)) {
            return;
        }
        for container in pod.containers() {
            if is_set(container.get(FIELD)) {
                continue;
            }
            let written = container
                .get(FIELD)
                .map(|v| format!("securityContext: {v}"));
            let mut violation = Violation::new(
                container.pointer_to(FIELD),
                format!(
                    "{} has no securityContext, and neither has its pod",
                    describe(&container)
                ),
            );
            if let Some(written) = written {
                violation = violation.with_evidence(written);
            }
            out.push(violation);
        }
    });
}

/// A security context with at least one field.
fn is_set(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_object)
        .is_some_and(|fields| fields.values().any(|v| !v.is_null()))
}
