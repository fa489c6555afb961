use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::missing_resource;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers and init containers without `resources.limits.memory`. Ephemeral
    /// containers are skipped: the API does not let them set resources.
    ///
    /// ## Why it matters
    /// Without a memory limit a container can use all of the node's memory: a leak or a
    /// deliberate allocation bomb starves every other pod on the node and triggers kernel
    /// OOM kills of unrelated workloads, which makes memory exhaustion a cheap
    /// denial-of-service. A limit turns it into the offending container's own restart.
    ///
    /// ## How to fix
    /// Set `resources.limits.memory` a little above the highest memory use you measure;
    /// setting the request equal to it gives the pod the `Guaranteed` QoS class.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     memory: 256Mi
    ///   limits:
    ///     memory: 256Mi
    /// ```
    pub static MEMORY_LIMIT = Control {
        id: "WL-001",
        slug: "memory-limit-missing",
        title: "Memory limit not set",
        severity: Severity::Medium,
        category: "Resource management",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0271", "C-0004", "C-0009"],
            cis: &[],
            checkov: &["CKV_K8S_13"],
            trivy: &["KSV-0018"],
            kube_linter: &["unset-memory-requirements"],
            polaris: &["memoryLimitsMissing"],
        },
        remediation: "Set resources.limits.memory on every container.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    missing_resource(object, "limits", "memory", out);
}
