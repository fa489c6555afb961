use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{describe, exists, kind_in_namespace, namespace_phrase, text};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

/// Kinds an autoscaler can target that the scan keeps.
const SCALABLE: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
];

control! {
    /// ## What it checks
    /// HorizontalPodAutoscalers whose `scaleTargetRef` names a Deployment, StatefulSet,
    /// ReplicaSet or ReplicationController that is not in the scan. Other target kinds
    /// (custom resources) are not checked. Only checked when the scan holds at least one object
    /// of the target kind in the autoscaler's namespace.
    ///
    /// ## Why it matters
    /// An autoscaler without a target scales nothing: the workload it was meant for runs with
    /// its fixed replica count and falls over under load.
    ///
    /// ## How to fix
    /// Correct `scaleTargetRef` (kind, name and apiVersion) or delete the autoscaler.
    ///
    /// ## Example
    /// ```yaml
    /// scaleTargetRef:
    ///   apiVersion: apps/v1
    ///   kind: Deployment
    ///   name: shop
    /// ```
    pub static DANGLING_HPA = Control {
        id: "REF-007",
        slug: "hpa-target-missing",
        title: "HorizontalPodAutoscaler targets a missing workload",
        severity: Severity::Low,
        category: "References",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0300"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["dangling-horizontalpodautoscaler"],
            polaris: &[],
        },
        remediation: "Point scaleTargetRef at an existing workload or delete the autoscaler.",
        targets: Targets::Kinds(&["HorizontalPodAutoscaler"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, hpa) in set.of_kind("HorizontalPodAutoscaler") {
        if hpa.group() != "autoscaling" {
            continue;
        }
        let target = hpa.value().pointer("/spec/scaleTargetRef");
        let Some(target) = target else { continue };
        let (Some(kind), Some(name)) = (text(target, "/kind"), text(target, "/name")) else {
            continue;
        };
        let namespace = hpa.resource.namespace.as_deref();
        if !SCALABLE.contains(&kind)
            || !kind_in_namespace(set, kind, namespace)
            || exists(set, kind, namespace, name)
        {
            continue;
        }
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                "/spec/scaleTargetRef/name",
                format!(
                    "{} targets {kind} \"{name}\", which is not among the scanned objects of {}",
                    describe(hpa),
                    namespace_phrase(namespace)
                ),
            )
            .with_evidence(format!("{kind}: {name}")),
        });
    }
}
