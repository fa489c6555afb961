use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::missing_resource;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers and init containers without `resources.requests.memory`. Ephemeral
    /// containers are skipped: the API does not let them set resources.
    ///
    /// ## Why it matters
    /// Without a memory request the scheduler assumes the pod needs no memory and may pack
    /// it onto a node that cannot hold it; under memory pressure the kubelet evicts pods
    /// that use more than they requested first, so this pod is among the first to go.
    ///
    /// ## How to fix
    /// Set `resources.requests.memory` to the memory the container typically uses.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     memory: 256Mi
    /// ```
    pub static MEMORY_REQUEST = Control {
        id: "WL-004",
        slug: "memory-request-missing",
        title: "Memory request not set",
        severity: Severity::Low,
        category: "Resource management",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0269", "C-0004"],
            cis: &[],
            checkov: &["CKV_K8S_12"],
            trivy: &["KSV-0016"],
            kube_linter: &[],
            polaris: &["memoryRequestsMissing"],
        },
        remediation: "Set resources.requests.memory on every container.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    missing_resource(object, "requests", "memory", out);
}
