use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::with_pod;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Pod specs that set the deprecated `serviceAccount` field (an alias of
    /// `serviceAccountName` kept for compatibility since Kubernetes 1.0).
    ///
    /// ## Why it matters
    /// Tools, policies and reviewers look at `serviceAccountName`. When only the old field is
    /// set, or the two disagree, the identity a pod really runs with is easy to misread, and
    /// policy engines that only check `serviceAccountName` can be bypassed.
    ///
    /// ## How to fix
    /// Rename `serviceAccount` to `serviceAccountName`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   serviceAccountName: app
    /// ```
    pub static DEPRECATED_SERVICE_ACCOUNT_FIELD = Control {
        id: "POD-115",
        slug: "deprecated-service-account-field",
        title: "Deprecated serviceAccount field used",
        severity: Severity::Low,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0294"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["deprecated-service-account-field"],
            polaris: &[],
        },
        remediation: "Use spec.serviceAccountName instead of the deprecated spec.serviceAccount.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        let Some(old) = pod
            .get("/serviceAccount")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        else {
            return;
        };
        let message = match pod.get("/serviceAccountName").and_then(Value::as_str) {
            Some(name) if name != old => format!(
                "The pod sets the deprecated serviceAccount to \"{old}\", which disagrees with serviceAccountName \"{name}\""
            ),
            Some(_) => {
                format!("The pod sets the deprecated serviceAccount field (\"{old}\") as well")
            }
            None => format!(
                "The pod names its service account \"{old}\" with the deprecated serviceAccount field"
            ),
        };
        out.push(
            Violation::new(pod.pointer_to("/serviceAccount"), message)
                .with_evidence(format!("serviceAccount: {old}")),
        );
    });
}
