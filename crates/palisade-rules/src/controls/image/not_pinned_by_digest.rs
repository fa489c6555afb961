use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::each_image;
use crate::control::control;
use crate::controls::workload::support::describe;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Container images (including init and ephemeral containers) not pinned by digest,
    /// i.e. without `@sha256:…`. Repositories matching the `digest-exempt-repositories`
    /// parameter (registry or repository prefixes, such as `registry.example.com/internal`)
    /// are skipped.
    ///
    /// ## Why it matters
    /// Tags are mutable: anyone with push access to the repository, or to a compromised
    /// registry, can move `1.4.2` to different content. A digest names the exact bytes, so
    /// what was reviewed and scanned is what runs, on every node and after every restart.
    ///
    /// ## How to fix
    /// Append the digest to the reference (keeping the tag for readability) and let a bot
    /// such as Renovate update both together.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: registry.example.com/web:1.4.2@sha256:3f1d6b2c9f0e4a7b8c5d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b
    /// ```
    pub static NOT_PINNED_BY_DIGEST = Control {
        id: "IMG-002",
        slug: "image-not-pinned-by-digest",
        title: "Image not pinned by digest",
        severity: Severity::Low,
        category: "Images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0306"],
            cis: &[],
            checkov: &["CKV_K8S_43"],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Reference the image by digest (name:tag@sha256:...).",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    let exempt = &ctx.params.digest_exempt_repositories;
    each_image(object, |container, image, parsed| {
        if parsed.digest.is_some() || exempt.iter().any(|e| parsed.is_under(e)) {
            return;
        }
        out.push(
            Violation::new(
                container.pointer_to("/image"),
                format!(
                    "{} uses image {image} without a digest",
                    describe(container)
                ),
            )
            .with_evidence(format!("image: {image}")),
        );
    });
}
