use palisade_core::Severity;
use palisade_k8s::{Object, pod_labels};

use super::support::escape;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Pods and workload controllers that lack a label from the `recommended-labels`
    /// parameter (default: `app.kubernetes.io/name`). A label counts when it is on the
    /// object's own `metadata.labels` or on its pod template's labels. Each missing label is
    /// reported once. With an empty list, the control reports nothing.
    ///
    /// ## Why it matters
    /// Consistent labels are how people and tools find what belongs together: Services,
    /// NetworkPolicies and PodDisruptionBudgets select by them, cost and ownership reports
    /// group by them, and incident responders use them to find an owner. Unlabelled
    /// workloads fall through every one of those nets.
    ///
    /// ## How to fix
    /// Add the labels to `metadata.labels` (and to the pod template for controllers), using
    /// the `app.kubernetes.io/*` recommended labels where they fit.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     app.kubernetes.io/name: web
    ///     app.kubernetes.io/part-of: shop
    /// ```
    pub static RECOMMENDED_LABELS = Control {
        id: "WL-013",
        slug: "missing-recommended-labels",
        title: "Recommended labels missing",
        severity: Severity::Low,
        category: "Workload hygiene",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0076", "C-0077"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["required-label-owner"],
            polaris: &[],
        },
        remediation: "Add the recommended labels (by default app.kubernetes.io/name) to metadata.labels.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !Targets::Workloads.applies_to(object) {
        return;
    }
    let own = object.labels();
    let template = pod_labels(object);
    let kind = object.kind();
    let name = object.resource.name.as_deref().unwrap_or("<unnamed>");
    for label in &ctx.params.recommended_labels {
        let present = [own, template]
            .into_iter()
            .flatten()
            .any(|labels| labels.contains_key(label));
        if !present {
            out.push(Violation::new(
                format!("/metadata/labels/{}", escape(label)),
                format!("{kind} \"{name}\" has no {label} label"),
            ));
        }
    }
}
