use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/spec/strategy/type";

control! {
    /// ## What it checks
    /// Deployments whose `spec.strategy.type` is set to anything other than
    /// `RollingUpdate`, in practice `Recreate`. An unset strategy defaults to
    /// `RollingUpdate` and passes.
    ///
    /// ## Why it matters
    /// `Recreate` stops every old pod before starting the new ones: each rollout is an
    /// outage, and a new version that fails to start leaves nothing running at all.
    ///
    /// ## How to fix
    /// Use `RollingUpdate` (the default). Keep `Recreate` only when two versions must never
    /// run side by side, such as a single writer on a `ReadWriteOnce` volume, and record an
    /// exception.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   strategy:
    ///     type: RollingUpdate
    ///     rollingUpdate:
    ///       maxUnavailable: 0
    ///       maxSurge: 1
    /// ```
    pub static RECREATE_STRATEGY = Control {
        id: "WL-011",
        slug: "recreate-strategy",
        title: "Deployment does not use a rolling update",
        severity: Severity::Low,
        category: "Reliability",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0305"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["no-rolling-update-strategy"],
            polaris: &[],
        },
        remediation: "Set spec.strategy.type to RollingUpdate (or remove it).",
        targets: Targets::Kinds(&["Deployment"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() != "Deployment" {
        return;
    }
    let Some(strategy) = object.value().pointer(FIELD).and_then(Value::as_str) else {
        return;
    };
    if strategy != "RollingUpdate" {
        let name = object.resource.name.as_deref().unwrap_or("<unnamed>");
        out.push(
            Violation::new(
                FIELD,
                format!("Deployment \"{name}\" uses the {strategy} strategy: every rollout stops all pods first"),
            )
            .with_evidence(format!("strategy.type: {strategy}")),
        );
    }
}
