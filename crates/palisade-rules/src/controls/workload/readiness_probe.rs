use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::missing_probe;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers, and sidecar init containers (`restartPolicy: Always`), without a
    /// `readinessProbe`. Jobs, CronJobs and Pods with `restartPolicy: Never` or `OnFailure`
    /// run to completion and are skipped.
    ///
    /// ## Why it matters
    /// Without a readiness probe a pod receives Service traffic as soon as its containers
    /// start, before the application listens or has warmed up, and keeps receiving it while
    /// it is overloaded or shutting down. Rolling updates then drop requests, and a
    /// Deployment's rollout cannot notice that new pods never become usable.
    ///
    /// ## How to fix
    /// Add a `readinessProbe` that succeeds only when the container can serve requests.
    ///
    /// ## Example
    /// ```yaml
    /// readinessProbe:
    ///   httpGet:
    ///     path: /ready
    ///     port: 8080
    ///   periodSeconds: 5
    /// ```
    pub static READINESS_PROBE = Control {
        id: "WL-006",
        slug: "readiness-probe-missing",
        title: "Readiness probe not configured",
        severity: Severity::Low,
        category: "Reliability",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0018"],
            cis: &[],
            checkov: &["CKV_K8S_9"],
            trivy: &[],
            kube_linter: &["no-readiness-probe"],
            polaris: &["readinessProbeMissing"],
        },
        remediation: "Add a readinessProbe to every long-running container.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    missing_probe(object, "readinessProbe", out);
}
