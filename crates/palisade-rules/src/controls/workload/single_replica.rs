use palisade_core::Severity;
use palisade_k8s::Object;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/spec/replicas";
const KINDS: &[&str] = &["Deployment", "StatefulSet"];

control! {
    /// ## What it checks
    /// Deployments and StatefulSets with fewer replicas than the `min-replicas` parameter
    /// (default 2). An unset `spec.replicas` means 1. `replicas: 0` is a deliberate
    /// scale-down and passes. When a HorizontalPodAutoscaler manages the replica count, add
    /// an exception or let the HPA's `minReplicas` carry the requirement.
    ///
    /// ## Why it matters
    /// With one replica every node drain, eviction, crash or rollout is downtime, and a
    /// PodDisruptionBudget cannot protect it without blocking node maintenance altogether.
    ///
    /// ## How to fix
    /// Run at least two replicas, spread across nodes with anti-affinity or topology spread
    /// constraints.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   replicas: 3
    /// ```
    pub static SINGLE_REPLICA = Control {
        id: "WL-012",
        slug: "single-replica",
        title: "Workload runs a single replica",
        severity: Severity::Low,
        category: "Reliability",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["minimum-three-replicas"],
            polaris: &["deploymentMissingReplicas"],
        },
        remediation: "Set spec.replicas to 2 or more (or let an HPA with minReplicas >= 2 manage it).",
        targets: Targets::Kinds(KINDS),
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !KINDS.contains(&object.kind()) {
        return;
    }
    let minimum = u64::from(ctx.params.min_replicas);
    let kind = object.kind();
    let name = object.resource.name.as_deref().unwrap_or("<unnamed>");
    match object.value().pointer(FIELD).filter(|v| !v.is_null()) {
        None if minimum > 1 => out.push(Violation::new(
            FIELD,
            format!("{kind} \"{name}\" sets no replicas, so it runs one (minimum {minimum})"),
        )),
        None => {}
        Some(value) => {
            let Some(count) = value.as_u64() else { return };
            if count > 0 && count < minimum {
                out.push(
                    Violation::new(
                        FIELD,
                        format!("{kind} \"{name}\" runs {count} replica(s) (minimum {minimum})"),
                    )
                    .with_evidence(format!("replicas: {count}")),
                );
            }
        }
    }
}
