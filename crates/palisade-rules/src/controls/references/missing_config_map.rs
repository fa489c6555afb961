use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{pod_references, report_missing};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Workloads that refer to a ConfigMap not in the scan: `configMap` volumes (also inside
    /// projected volumes), `env[].valueFrom.configMapKeyRef` and `envFrom[].configMapRef`.
    /// References marked `optional: true` are skipped. Only checked when the scan holds at
    /// least one ConfigMap in the workload's namespace.
    ///
    /// ## Why it matters
    /// A pod referring to a missing ConfigMap does not start (`CreateContainerConfigError` or
    /// a volume mount failure), usually discovered at deploy time in the target environment.
    ///
    /// ## How to fix
    /// Ship the ConfigMap with the workload, correct the name, or mark the reference
    /// `optional: true` if the workload copes without it.
    ///
    /// ## Example
    /// ```yaml
    /// envFrom:
    ///   - configMapRef:
    ///       name: app-settings
    ///       optional: true
    /// ```
    pub static MISSING_CONFIG_MAP = Control {
        id: "REF-002",
        slug: "missing-config-map",
        title: "Workload refers to a missing ConfigMap",
        severity: Severity::Low,
        category: "References",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["env-value-from"],
            polaris: &[],
        },
        remediation: "Create the ConfigMap with the workload, fix the name, or mark the reference optional.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_missing(
        set,
        "ConfigMap",
        |pod| {
            pod_references(
                pod,
                "configMap",
                "name",
                Some(("configMapKeyRef", "configMapRef")),
            )
        },
        out,
    );
}
