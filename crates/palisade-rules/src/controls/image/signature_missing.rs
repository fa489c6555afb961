use palisade_core::{Severity, SignatureVerdict};
use palisade_k8s::ObjectSet;

use super::signature::report_images;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Containers whose image has no cosign signature in its registry. Runs only when the scan
    /// may contact registries (`--verify-signatures`): each image reference is resolved to
    /// its manifest digest and the registry is asked for the signature manifest cosign stores
    /// at the tag `sha256-<digest>.sig` of the same repository. An image whose status cannot be
    /// established (registry unreachable, access denied) is reported too, with the reason: a
    /// signature that cannot be found cannot be relied on.
    ///
    /// ## Why it matters
    /// A signature ties an image digest to whoever holds the signing key, usually the build
    /// pipeline. Unsigned images can come from anywhere: a developer's laptop, a compromised
    /// registry account, a typo-squatted repository. Admission policies that require
    /// signatures only work when everything deployed is signed.
    ///
    /// ## How to fix
    /// Sign images in the pipeline that builds them (`cosign sign --key cosign.key IMAGE@DIGEST`),
    /// and reference them by digest so the signature covers exactly what runs.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: registry.example.com/app@sha256:2f1e…   # signed by CI
    /// ```
    pub static SIGNATURE_MISSING = Control {
        id: "IMG-013",
        slug: "image-signature-missing",
        title: "Image has no cosign signature",
        severity: Severity::High,
        category: "Supply chain",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0237"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Sign the image with cosign in the pipeline that builds it and deploy it by digest.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(ctx: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_images(ctx, set, out, |verdict, _| match verdict {
        SignatureVerdict::Unsigned { digest } => Some(format!(
            "which has no cosign signature (nothing at the .sig tag of {digest})"
        )),
        SignatureVerdict::Unknown { reason } => {
            Some(format!("whose signatures could not be looked up: {reason}"))
        }
        _ => None,
    });
}
