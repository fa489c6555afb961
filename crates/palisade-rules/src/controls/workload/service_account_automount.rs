use palisade_core::Severity;
use palisade_k8s::Object;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/automountServiceAccountToken";

control! {
    /// ## What it checks
    /// ServiceAccount objects that do not set `automountServiceAccountToken: false`
    /// (top-level field of the ServiceAccount, not under `spec`).
    ///
    /// ## Why it matters
    /// A ServiceAccount's setting is the default for every pod that uses it. Left unset, each
    /// pod receives a token for the account whether or not it needs one, so a single
    /// compromised container gets API access with the account's permissions. Turning it off
    /// on the account makes "no token" the default and "token" an explicit opt-in on the
    /// pods that need it.
    ///
    /// ## How to fix
    /// Set `automountServiceAccountToken: false` on the ServiceAccount, and `true` on the pod
    /// spec of the workloads that call the API.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: app
    /// automountServiceAccountToken: false
    /// ```
    pub static SERVICE_ACCOUNT_AUTOMOUNT = Control {
        id: "POD-112",
        slug: "service-account-automount",
        title: "ServiceAccount mounts its token by default",
        severity: Severity::Low,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0034", "C-0190"],
            cis: &["5.1.6"],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Set automountServiceAccountToken: false on the ServiceAccount and opt in per pod where needed.",
        targets: Targets::Kinds(&["ServiceAccount"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() != "ServiceAccount" || !object.group().is_empty() {
        return;
    }
    let name = object.resource.name.as_deref().unwrap_or("<unnamed>");
    match object.value().pointer(FIELD).filter(|v| !v.is_null()) {
        Some(v) if v.as_bool() == Some(false) => {}
        Some(v) => out.push(
            Violation::new(
                FIELD,
                format!("ServiceAccount \"{name}\" sets automountServiceAccountToken to {v}"),
            )
            .with_evidence(format!("automountServiceAccountToken: {v}")),
        ),
        None => out.push(Violation::new(
            FIELD,
            format!("ServiceAccount \"{name}\" does not set automountServiceAccountToken to false"),
        )),
    }
}
