use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{ENFORCE, describe, is_namespace, label, label_pointer};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Namespaces whose `pod-security.kubernetes.io/enforce` label is `baseline`. Namespaces at
    /// `privileged` (or with no or an invalid level) are reported by NS-002 and NS-001, so each
    /// namespace gets one finding about its level.
    ///
    /// ## Why it matters
    /// `baseline` blocks known privilege escalations but still admits containers running as
    /// root, with privilege escalation allowed, without a seccomp profile and keeping default
    /// capabilities. `restricted` is current hardening practice (CIS 5.2.6, 5.2.7, 5.2.9,
    /// 5.2.10).
    ///
    /// ## How to fix
    /// Add `pod-security.kubernetes.io/warn: restricted` to see which pods would fail, fix
    /// them, then switch `enforce` to `restricted`.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: restricted
    /// ```
    pub static ENFORCE_BELOW_RESTRICTED = Control {
        id: "NS-003",
        slug: "namespace-enforces-baseline",
        title: "Namespace enforces baseline, not restricted",
        severity: Severity::Low,
        category: "Pod security admission",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0197", "C-0198", "C-0200", "C-0201"],
            cis: &["5.2.6", "5.2.7", "5.2.9", "5.2.10"],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Move the namespace to pod-security.kubernetes.io/enforce: restricted once its pods comply.",
        targets: Targets::Kinds(&["Namespace"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if is_namespace(object) && label(object, ENFORCE).as_deref() == Some("baseline") {
        out.push(
            Violation::new(
                label_pointer(ENFORCE),
                format!(
                    "{} enforces baseline; pods may run as root and keep default capabilities",
                    describe(object)
                ),
            )
            .with_evidence(format!("{ENFORCE}: baseline")),
        );
    }
}
