use palisade_core::Severity;
use palisade_k8s::ObjectSet;
use serde_json::Value;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

const SCALED: &[&str] = &["Deployment", "StatefulSet", "ReplicaSet"];

control! {
    /// ## What it checks
    /// Deployments, StatefulSets and ReplicaSets that set `spec.replicas` while a
    /// HorizontalPodAutoscaler (`autoscaling` group) in the scanned set targets them
    /// (`scaleTargetRef` kind and name, same namespace).
    ///
    /// ## Why it matters
    /// The autoscaler owns the replica count. Every `kubectl apply` or GitOps sync of a
    /// manifest that also sets `replicas` resets it to the written number, so a service
    /// scaled out under load drops back at the next deploy, and the autoscaler and the
    /// pipeline fight over the field.
    ///
    /// ## How to fix
    /// Remove `replicas` from the manifest and let the HPA's `minReplicas` set the floor.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// spec:
    ///   # no replicas: the HorizontalPodAutoscaler decides
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ```
    pub static HPA_REPLICAS = Control {
        id: "WL-021",
        slug: "replicas-set-under-autoscaler",
        title: "Replica count set on an autoscaled workload",
        severity: Severity::Low,
        category: "Reliability",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove spec.replicas from workloads a HorizontalPodAutoscaler manages.",
        targets: Targets::Kinds(SCALED),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, workload) in set.objects().iter().enumerate() {
        if workload.group() != "apps" || !SCALED.contains(&workload.kind()) {
            continue;
        }
        let Some(replicas) = workload
            .value()
            .pointer("/spec/replicas")
            .filter(|v| !v.is_null())
        else {
            continue;
        };
        let name = workload.resource.name.as_deref().unwrap_or("<unnamed>");
        let autoscaler = set.of_kind("HorizontalPodAutoscaler").find(|(_, hpa)| {
            let target = hpa.value().pointer("/spec/scaleTargetRef");
            let field = |f: &str| target.and_then(|t| t.get(f)).and_then(Value::as_str);
            hpa.group() == "autoscaling"
                && hpa.resource.namespace == workload.resource.namespace
                && field("kind") == Some(workload.kind())
                && field("name") == Some(name)
        });
        let Some((_, hpa)) = autoscaler else {
            continue;
        };
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                "/spec/replicas",
                format!(
                    "{} \"{name}\" sets replicas while HorizontalPodAutoscaler \"{}\" scales it; every apply resets the count",
                    workload.kind(),
                    hpa.resource.name.as_deref().unwrap_or("<unnamed>")
                ),
            )
            .with_evidence(format!("replicas: {replicas}")),
        });
    }
}
