use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{each_image, is_floating};
use crate::control::control;
use crate::controls::workload::support::describe;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Container images (including init and ephemeral containers) without a tag, which
    /// means `:latest`, or with a tag from the `floating-tags` parameter (default `latest`;
    /// compared case-insensitively). Images pinned by digest (`@sha256:…`) pass whatever
    /// their tag, since the digest decides what runs.
    ///
    /// ## Why it matters
    /// A floating tag points at whatever was pushed last. Two nodes can run different code
    /// under the same manifest, a rollback redeploys the broken version, and nobody can tell
    /// from the manifest which build (and which vulnerabilities) is running. A compromised
    /// registry account turns into code execution on the next pod restart.
    ///
    /// ## How to fix
    /// Use an immutable version tag (`1.4.2`), or better, pin the digest.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: registry.example.com/web:1.4.2
    /// ```
    pub static LATEST_TAG = Control {
        id: "IMG-001",
        slug: "image-floating-tag",
        title: "Image uses the latest or no tag",
        severity: Severity::Medium,
        category: "Images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0075"],
            cis: &[],
            checkov: &["CKV_K8S_14"],
            trivy: &["KSV-0013"],
            kube_linter: &["latest-tag"],
            polaris: &["tagNotSpecified"],
        },
        remediation: "Reference images by an immutable version tag or by digest, not :latest or no tag.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    each_image(object, |container, image, parsed| {
        if parsed.digest.is_some() || !is_floating(&parsed, &ctx.params.floating_tags) {
            return;
        }
        let message = match parsed.tag {
            None => format!(
                "{} uses image {image} without a tag (implicitly :latest)",
                describe(container)
            ),
            Some(tag) => format!(
                "{} uses image {image} with the floating tag :{tag}",
                describe(container)
            ),
        };
        out.push(
            Violation::new(container.pointer_to("/image"), message)
                .with_evidence(format!("image: {image}")),
        );
    });
}
