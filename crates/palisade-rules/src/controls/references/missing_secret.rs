use palisade_core::Severity;
use palisade_k8s::{ObjectSet, PodView};
use serde_json::Value;

use super::support::{Reference, pod_references, report_missing, text};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Workloads that refer to a Secret not in the scan: `secret` volumes (also inside
    /// projected volumes), `env[].valueFrom.secretKeyRef`, `envFrom[].secretRef` and
    /// `imagePullSecrets`. References marked `optional: true` are skipped. Only checked when the
    /// scan holds at least one Secret in the workload's namespace: Secrets often come from
    /// outside the manifests (sealed or external secrets), and then nothing is reported.
    ///
    /// ## Why it matters
    /// A pod referring to a missing Secret does not start, and a missing pull secret makes
    /// image pulls fail; both show up only when the workload is deployed.
    ///
    /// ## How to fix
    /// Create the Secret with the workload (or the object that generates it), correct the
    /// name, or mark the reference `optional: true`.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     valueFrom:
    ///       secretKeyRef:
    ///         name: db-credentials
    ///         key: password
    /// ```
    pub static MISSING_SECRET = Control {
        id: "REF-003",
        slug: "missing-secret",
        title: "Workload refers to a missing Secret",
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
        remediation: "Create the Secret with the workload, fix the name, or mark the reference optional.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_missing(set, "Secret", secrets, out);
}

fn secrets<'a>(pod: &PodView<'a>) -> Vec<Reference<'a>> {
    let mut refs = pod_references(
        pod,
        "secret",
        "secretName",
        Some(("secretKeyRef", "secretRef")),
    );
    let pull_secrets = pod.get("/imagePullSecrets").and_then(Value::as_array);
    for (index, entry) in pull_secrets.into_iter().flatten().enumerate() {
        if let Some(name) = text(entry, "/name") {
            refs.push(Reference {
                pointer: pod.pointer_to(&format!("/imagePullSecrets/{index}/name")),
                name,
                via: "imagePullSecrets".to_string(),
            });
        }
    }
    refs
}
