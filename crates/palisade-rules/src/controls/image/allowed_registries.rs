use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::each_image;
use crate::control::control;
use crate::controls::workload::support::describe;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Opt-in: with the `allowed-registries` parameter empty (the default) this control
    /// reports nothing. Otherwise it reports container images (including init and ephemeral
    /// containers) that come from none of the listed prefixes. A prefix is a registry
    /// (`registry.example.com`, `localhost:5000`), or a registry and path
    /// (`ghcr.io/acme`), matched on whole path segments. Docker Hub references are expanded
    /// first, so `nginx` is `docker.io/library/nginx` and is allowed by `docker.io` or
    /// `docker.io/library`.
    ///
    /// ## Why it matters
    /// An allow-list of registries is the simplest supply-chain control: images must come
    /// from places you mirror, scan and sign. Anything else, a typo-squatted Docker Hub
    /// repository or a personal registry, is unreviewed code running in the cluster.
    ///
    /// ## How to fix
    /// Mirror the image into an allowed registry and reference it there, or add the source
    /// to `allowed-registries` if it is trusted.
    ///
    /// ## Example
    /// ```yaml
    /// # .palisade.yaml
    /// parameters:
    ///   allowed-registries:
    ///     - registry.example.com
    ///     - ghcr.io/acme
    /// ```
    pub static ALLOWED_REGISTRIES = Control {
        id: "IMG-004",
        slug: "image-registry-not-allowed",
        title: "Image from a registry that is not allowed",
        severity: Severity::Medium,
        category: "Images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0078"],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0125"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Pull the image from one of the allowed registries (mirror it there first).",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    let allowed = &ctx.params.allowed_registries;
    if allowed.is_empty() {
        return;
    }
    each_image(object, |container, image, parsed| {
        if allowed.iter().any(|prefix| parsed.is_under(prefix)) {
            return;
        }
        out.push(
            Violation::new(
                container.pointer_to("/image"),
                format!(
                    "{} uses image {image} from {}, which is not an allowed registry",
                    describe(container),
                    parsed.registry
                ),
            )
            .with_evidence(format!("image: {}", parsed.name())),
        );
    });
}
