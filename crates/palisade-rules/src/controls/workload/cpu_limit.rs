use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::missing_resource;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers and init containers without `resources.limits.cpu`. Ephemeral containers
    /// are skipped: the API does not let them set resources.
    ///
    /// ## Why it matters
    /// Without a CPU limit a container can use every idle core of the node. That is often
    /// fine for latency, but a runaway or hijacked process (a crypto miner is the classic
    /// case) then slows everything else on the node, and namespaces with a ResourceQuota on
    /// `limits.cpu` reject such pods outright.
    ///
    /// ## How to fix
    /// Set `resources.limits.cpu`. If you deliberately run without CPU limits to avoid
    /// throttling, set CPU requests everywhere and skip this control.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     cpu: 250m
    ///   limits:
    ///     cpu: "1"
    /// ```
    pub static CPU_LIMIT = Control {
        id: "WL-002",
        slug: "cpu-limit-missing",
        title: "CPU limit not set",
        severity: Severity::Low,
        category: "Resource management",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0270", "C-0050", "C-0009"],
            cis: &[],
            checkov: &["CKV_K8S_11"],
            trivy: &["KSV-0011"],
            kube_linter: &[],
            polaris: &["cpuLimitsMissing"],
        },
        remediation: "Set resources.limits.cpu on every container.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    missing_resource(object, "limits", "cpu", out);
}
