use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/metadata/ownerReferences";

control! {
    /// ## What it checks
    /// Pods (core `v1` Pod objects) with no `metadata.ownerReferences`, i.e. pods that no
    /// controller manages. Pod templates inside Deployments, Jobs and the like are not Pods
    /// and are not reported.
    ///
    /// ## Why it matters
    /// A bare Pod is not rescheduled when its node fails or is drained, is not replaced when
    /// it is evicted, and cannot be rolled out or rolled back. It also tends to be a one-off
    /// created by hand, which escapes review.
    ///
    /// ## How to fix
    /// Wrap the pod in a controller: a Deployment for services, a StatefulSet for stable
    /// identities, a DaemonSet for node agents, a Job for one-off work.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 2
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example.com/web:1.4.2
    /// ```
    pub static NAKED_POD = Control {
        id: "WL-008",
        slug: "naked-pod",
        title: "Pod not managed by a controller",
        severity: Severity::Low,
        category: "Workload hygiene",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0073"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Run the pod through a Deployment, StatefulSet, DaemonSet or Job instead of a bare Pod.",
        targets: Targets::Kinds(&["Pod"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() != "Pod" || !object.group().is_empty() {
        return;
    }
    let owned = object
        .value()
        .pointer(FIELD)
        .and_then(Value::as_array)
        .is_some_and(|owners| !owners.is_empty());
    if !owned {
        let name = object.resource.name.as_deref().unwrap_or("<unnamed>");
        out.push(Violation::new(
            FIELD,
            format!("Pod \"{name}\" has no owner: no controller recreates it"),
        ));
    }
}
