//! Findings for what the image scan itself finds (secrets), and layer references.

use palisade_core::{Finding, LayerRef, Location, Severity};

use crate::history::LayerInfo;
use crate::secrets::SecretHit;

/// The `layer` a finding carries for layer `index`.
pub fn layer_ref(layers: &[LayerInfo], index: usize) -> Option<LayerRef> {
    layers.get(index).map(|l| LayerRef {
        digest: l.digest.clone(),
        index: l.index,
        created_by: l.created_by.clone(),
        base: l.base,
    })
}

/// `SEC-101` (private key) or `SEC-102` (token) for a secret found in a layer.
pub fn secret_finding(hit: &SecretHit, layers: &[LayerInfo]) -> Finding {
    let (id, slug, severity) = if hit.kind.is_key() {
        ("SEC-101", "private-key-in-image", Severity::High)
    } else {
        ("SEC-102", "token-in-image", Severity::High)
    };
    let deleted = match hit.removed_in_layer {
        Some(l) => format!(
            " (deleted by layer {l}, but still readable from layer {} of the image)",
            hit.layer
        ),
        None => String::new(),
    };
    let mut f = Finding::new(
        id,
        severity,
        format!(
            "{} in /{} added by layer {}{deleted}",
            hit.kind.describe(),
            hit.path,
            hit.layer
        ),
    );
    f.slug = slug.into();
    f.title = format!("{} stored in an image layer", hit.kind.describe()).into();
    f.evidence = Some(hit.redacted.clone());
    f.remediation = "Remove the secret from the build context and rebuild (deleting it in a later layer does not remove it), pass build secrets with `RUN --mount=type=secret`, then revoke and rotate the credential.".into();
    f.location = Some(Location::at(format!("/{}", hit.path), hit.line, 1));
    f.layer = layer_ref(layers, hit.layer).map(Box::new);
    f
}
