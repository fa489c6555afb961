use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::with_pod;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/automountServiceAccountToken";

control! {
    /// ## What it checks
    /// Pod specs (of Pods and of every workload's pod template) that do not set
    /// `automountServiceAccountToken: false`. The ServiceAccount's own setting is checked
    /// separately by `service-account-automount` (POD-112); setting it on the pod makes the
    /// intent explicit and wins over the ServiceAccount's.
    ///
    /// ## Why it matters
    /// By default every pod gets a token for its ServiceAccount mounted at
    /// `/var/run/secrets/kubernetes.io/serviceaccount`. Most applications never call the
    /// Kubernetes API, yet anyone who compromises them inherits the token and whatever RBAC
    /// grants it.
    ///
    /// ## How to fix
    /// Set `automountServiceAccountToken: false` in the pod spec. Workloads that do call the
    /// API can keep `true`, with a dedicated ServiceAccount and minimal RBAC, and an
    /// exception for this control.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   automountServiceAccountToken: false
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/app:1.4.2
    /// ```
    pub static SERVICE_ACCOUNT_TOKEN_AUTOMOUNT = Control {
        id: "POD-111",
        slug: "service-account-token-automount",
        title: "Service account token mounted automatically",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0034", "C-0190"],
            cis: &["5.1.6"],
            checkov: &["CKV_K8S_38"],
            trivy: &["KSV-0036"],
            kube_linter: &[],
            polaris: &["automountServiceAccountToken"],
        },
        remediation: "Set automountServiceAccountToken: false in the pod spec unless the workload calls the Kubernetes API.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| match pod.get(FIELD) {
        Some(v) if v.as_bool() == Some(false) => {}
        Some(v) => out.push(
            Violation::new(
                pod.pointer_to(FIELD),
                format!("The pod sets automountServiceAccountToken to {v}"),
            )
            .with_evidence(format!("automountServiceAccountToken: {v}")),
        ),
        None => out.push(Violation::new(
            pod.pointer_to(FIELD),
            "The pod does not set automountServiceAccountToken to false",
        )),
    });
}
