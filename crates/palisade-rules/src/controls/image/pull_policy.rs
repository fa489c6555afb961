use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{each_image, is_floating};
use crate::control::control;
use crate::controls::workload::support::describe;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/imagePullPolicy";

control! {
    /// ## What it checks
    /// Containers whose image has no tag or a floating tag (the `floating-tags` parameter,
    /// default `latest`) and is not pinned by digest, and whose effective
    /// `imagePullPolicy` is not `Always`. When the field is unset Kubernetes defaults it to
    /// `Always` for no tag or `:latest`, and to `IfNotPresent` for any other tag, so an
    /// unset policy fails only for other floating tags (`:main`, `:stable`, …).
    ///
    /// ## Why it matters
    /// With `IfNotPresent` or `Never`, each node keeps whichever image it pulled first under
    /// that tag. Pods of one Deployment then run different builds depending on where they
    /// land, and a fix pushed under the same tag never reaches nodes that already have the
    /// old one.
    ///
    /// ## How to fix
    /// Best, use an immutable tag or a digest. Otherwise set `imagePullPolicy: Always`.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: registry.example.com/web:main
    ///     imagePullPolicy: Always
    /// ```
    pub static PULL_POLICY = Control {
        id: "IMG-003",
        slug: "image-pull-policy-not-always",
        title: "Floating image tag without imagePullPolicy: Always",
        severity: Severity::Low,
        category: "Images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0075"],
            cis: &[],
            checkov: &["CKV_K8S_15"],
            trivy: &[],
            kube_linter: &[],
            polaris: &["pullPolicyNotAlways"],
        },
        remediation: "Use an immutable tag or digest, or set imagePullPolicy: Always.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    each_image(object, |container, image, parsed| {
        if parsed.digest.is_some() || !is_floating(&parsed, &ctx.params.floating_tags) {
            return;
        }
        match container.get(FIELD).and_then(Value::as_str) {
            Some("Always") => {}
            Some(policy) => out.push(
                Violation::new(
                    container.pointer_to(FIELD),
                    format!(
                        "{} uses floating image {image} with imagePullPolicy {policy}",
                        describe(container)
                    ),
                )
                .with_evidence(format!("imagePullPolicy: {policy}")),
            ),
            // Kubernetes defaults to Always for no tag and for :latest.
            None if matches!(parsed.tag, None | Some("latest")) => {}
            None => out.push(
                Violation::new(
                    container.pointer_to(FIELD),
                    format!(
                        "{} uses floating image {image} without imagePullPolicy, which defaults to IfNotPresent",
                        describe(container)
                    ),
                )
                .with_evidence(format!("image: {image}")),
            ),
        }
    });
}
