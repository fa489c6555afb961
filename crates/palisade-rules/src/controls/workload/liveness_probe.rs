use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::missing_probe;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers, and sidecar init containers (`restartPolicy: Always`), without a
    /// `livenessProbe`. Jobs, CronJobs and Pods with `restartPolicy: Never` or `OnFailure`
    /// run to completion and are skipped.
    ///
    /// ## Why it matters
    /// A process can hang (a deadlock, an exhausted connection pool) while staying alive. The
    /// kubelet only restarts containers whose main process exits, unless a liveness probe
    /// tells it the container is broken; without one, a hung replica keeps its slot forever.
    ///
    /// ## How to fix
    /// Add a cheap `livenessProbe` that fails only when the process cannot recover by
    /// itself; do not check downstream dependencies in it.
    ///
    /// ## Example
    /// ```yaml
    /// livenessProbe:
    ///   httpGet:
    ///     path: /healthz
    ///     port: 8080
    ///   periodSeconds: 10
    ///   failureThreshold: 3
    /// ```
    pub static LIVENESS_PROBE = Control {
        id: "WL-005",
        slug: "liveness-probe-missing",
        title: "Liveness probe not configured",
        severity: Severity::Low,
        category: "Reliability",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0056"],
            cis: &[],
            checkov: &["CKV_K8S_8"],
            trivy: &[],
            kube_linter: &["no-liveness-probe"],
            polaris: &["livenessProbeMissing"],
        },
        remediation: "Add a livenessProbe to every long-running container.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    missing_probe(object, "livenessProbe", out);
}
