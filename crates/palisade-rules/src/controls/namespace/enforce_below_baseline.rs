use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{ENFORCE, describe, is_namespace, label, label_pointer};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Namespaces whose `pod-security.kubernetes.io/enforce` label is `privileged`, or a value
    /// that is not a Pod Security Standards level (`privileged`, `baseline`, `restricted`).
    /// Namespaces without the label are NS-001's finding.
    ///
    /// ## Why it matters
    /// `privileged` enforces nothing: pods may run privileged, share the node's PID, IPC and
    /// network namespaces, mount host paths and bind host ports, each of which gives away the
    /// node (CIS 5.2.2–5.2.5, 5.2.8, 5.2.11–5.2.13).
    ///
    /// ## How to fix
    /// Enforce `baseline` at least. Keep `privileged` for namespaces of node-level system
    /// components, and keep those few and tightly controlled.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: baseline
    /// ```
    pub static ENFORCE_BELOW_BASELINE = Control {
        id: "NS-002",
        slug: "namespace-enforces-privileged",
        title: "Namespace enforces no Pod Security restrictions (privileged)",
        severity: Severity::Medium,
        category: "Pod security admission",
        references: ControlRefs {
            pss: None,
            kubescape: &[
                "C-0193", "C-0194", "C-0195", "C-0196", "C-0199", "C-0202", "C-0203", "C-0204",
            ],
            cis: &[
                "5.2.2", "5.2.3", "5.2.4", "5.2.5", "5.2.8", "5.2.11", "5.2.12", "5.2.13",
            ],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Set pod-security.kubernetes.io/enforce to baseline or restricted.",
        targets: Targets::Kinds(&["Namespace"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !is_namespace(object) {
        return;
    }
    let Some(level) = label(object, ENFORCE) else {
        return;
    };
    let message = match level.as_str() {
        "baseline" | "restricted" => return,
        "privileged" => format!(
            "{} enforces the privileged level, which allows privileged pods and host access",
            describe(object)
        ),
        other => format!(
            "{} sets {ENFORCE} to \"{other}\", which is not a Pod Security Standards level",
            describe(object)
        ),
    };
    out.push(
        Violation::new(label_pointer(ENFORCE), message)
            .with_evidence(format!("{ENFORCE}: {level}")),
    );
}
