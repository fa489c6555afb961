use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{ENFORCE, describe, is_namespace, label};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Namespaces without the `pod-security.kubernetes.io/enforce` label.
    ///
    /// ## Why it matters
    /// Pod Security Admission enforces nothing in a namespace without the label (unless the
    /// cluster sets a default in its admission configuration): any pod, privileged ones
    /// included, is admitted. The label is the built-in, always-available policy control
    /// mechanism (CIS 5.2.1).
    ///
    /// ## How to fix
    /// Label the namespace with the strictest level its workloads pass, `restricted` where
    /// possible, `baseline` otherwise. Add `warn` and `audit` labels at a stricter level to
    /// prepare the next step.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: restricted
    /// ```
    pub static MISSING_ENFORCE_LABEL = Control {
        id: "NS-001",
        slug: "namespace-without-pod-security-enforce",
        title: "Namespace does not enforce a Pod Security Standard",
        severity: Severity::Medium,
        category: "Pod security admission",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0192"],
            cis: &["5.2.1"],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Add the label pod-security.kubernetes.io/enforce: restricted (or baseline) to the namespace.",
        targets: Targets::Kinds(&["Namespace"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if is_namespace(object) && label(object, ENFORCE).is_none() {
        out.push(Violation::new(
            "/metadata/labels",
            format!(
                "{} has no {ENFORCE} label; Pod Security Admission admits any pod",
                describe(object)
            ),
        ));
    }
}
