use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::each_image;
use crate::control::control;
use crate::controls::workload::support::describe;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Opt-in: with the `forbidden-registries` parameter empty (the default) this control
    /// reports nothing. Otherwise it reports container images (including init and ephemeral
    /// containers) that come from a listed prefix: a registry (`docker.io`, `quay.io`) or a
    /// registry and path (`ghcr.io/someone`), matched on whole path segments, with Docker
    /// Hub references expanded first (`nginx` is `docker.io/library/nginx`).
    ///
    /// ## Why it matters
    /// Some sources are known to be unsuitable: public registries your policy says to
    /// mirror instead of pulling directly (rate limits, no scanning, typo-squatting),
    /// registries of decommissioned projects, or a vendor you stopped trusting. A deny-list
    /// catches them while the allow-list is being built.
    ///
    /// ## How to fix
    /// Mirror the image into an approved registry and reference the mirror.
    ///
    /// ## Example
    /// ```yaml
    /// # .palisade.yaml
    /// parameters:
    ///   forbidden-registries:
    ///     - docker.io
    /// ```
    pub static FORBIDDEN_REGISTRIES = Control {
        id: "IMG-005",
        slug: "image-registry-forbidden",
        title: "Image from a forbidden registry",
        severity: Severity::High,
        category: "Images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0001"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Pull the image from an approved registry instead of the forbidden one.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    let forbidden = &ctx.params.forbidden_registries;
    if forbidden.is_empty() {
        return;
    }
    each_image(object, |container, image, parsed| {
        let Some(prefix) = forbidden.iter().find(|prefix| parsed.is_under(prefix)) else {
            return;
        };
        out.push(
            Violation::new(
                container.pointer_to("/image"),
                format!(
                    "{} uses image {image} from forbidden registry {prefix}",
                    describe(container)
                ),
            )
            .with_evidence(format!("image: {}", parsed.name())),
        );
    });
}
