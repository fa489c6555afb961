use palisade_core::{Severity, SignatureVerdict};
use palisade_k8s::ObjectSet;

use super::signature::report_images;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Containers whose image is not signed by a trusted key. Runs only when the scan checks
    /// signatures against public keys (`--verify-signatures --cosign-key KEY`, repeatable):
    /// the image reference is resolved to its manifest digest, every signature cosign stored
    /// at the tag `sha256-<digest>.sig` is fetched, and the image passes when one of them is a
    /// valid ECDSA P-256 / SHA-256 signature, by a trusted key, of a payload that names that
    /// same digest. Unsigned images fail, and so do images whose status cannot be established.
    ///
    /// ## Why it matters
    /// Anyone can sign an image with a key of their own; only a signature by a key you trust
    /// says the image came from your pipeline. Checking the payload's digest stops a valid
    /// signature of another image from being replayed.
    ///
    /// ## How to fix
    /// Sign the image with the pipeline's key (`cosign sign --key cosign.key IMAGE@DIGEST`), or
    /// add the key that did sign it to the trusted keys if it is yours.
    ///
    /// ## Example
    /// ```sh
    /// palisade scan deploy/ --verify-signatures --cosign-key keys/release.pub
    /// ```
    pub static SIGNATURE_UNTRUSTED = Control {
        id: "IMG-014",
        slug: "image-signature-not-trusted",
        title: "Image is not signed by a trusted key",
        severity: Severity::High,
        category: "Supply chain",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0236"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Sign the image with a trusted key (cosign sign --key) or trust the key that signed it.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(ctx: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_images(ctx, set, out, |verdict, keys_given| {
        if !keys_given {
            return None;
        }
        match verdict {
            SignatureVerdict::Verified { .. } | SignatureVerdict::Signed { .. } => None,
            SignatureVerdict::Untrusted { reason, .. } => {
                Some(format!("which no trusted key has signed: {reason}"))
            }
            SignatureVerdict::Unsigned { .. } => {
                Some("which has no signature at all, so no trusted one".to_string())
            }
            SignatureVerdict::Unknown { reason } => {
                Some(format!("whose signatures could not be verified: {reason}"))
            }
        }
    });
}
