use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::missing_resource;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers and init containers without `resources.requests.cpu`. Ephemeral
    /// containers are skipped: the API does not let them set resources.
    ///
    /// ## Why it matters
    /// The scheduler places pods by their requests. Without a CPU request the pod counts as
    /// needing nothing, lands on already busy nodes, gets the smallest share of CPU under
    /// contention, and gives the HorizontalPodAutoscaler no baseline to compute utilisation
    /// from.
    ///
    /// ## How to fix
    /// Set `resources.requests.cpu` to the CPU the container typically uses.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     cpu: 250m
    /// ```
    pub static CPU_REQUEST = Control {
        id: "WL-003",
        slug: "cpu-request-missing",
        title: "CPU request not set",
        severity: Severity::Low,
        category: "Resource management",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0268", "C-0050"],
            cis: &[],
            checkov: &["CKV_K8S_10"],
            trivy: &["KSV-0015"],
            kube_linter: &["unset-cpu-requirements"],
            polaris: &["cpuRequestsMissing"],
        },
        remediation: "Set resources.requests.cpu on every container.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    missing_resource(object, "requests", "cpu", out);
}
