//! What is known about an image's cosign signatures: the vocabulary between the verifier
//! (`palisade-sign`, which talks to registries) and the controls that judge workloads by it.

use std::collections::HashMap;

/// The signature status of one image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureVerdict {
    /// A signature of the image's digest verifies with a trusted key.
    Verified { digest: String, key: String },
    /// Signatures exist, and no trusted keys were given to check them with.
    Signed { digest: String, signatures: usize },
    /// Signatures exist but none verifies with a trusted key (or none signs this digest).
    Untrusted { digest: String, reason: String },
    /// The registry has no signature for the image's digest.
    Unsigned { digest: String },
    /// The registry could not tell (unreachable, denied, not an image reference).
    Unknown { reason: String },
}

impl SignatureVerdict {
    /// The manifest digest the image reference resolved to, when the registry answered.
    pub fn digest(&self) -> Option<&str> {
        match self {
            SignatureVerdict::Verified { digest, .. }
            | SignatureVerdict::Signed { digest, .. }
            | SignatureVerdict::Untrusted { digest, .. }
            | SignatureVerdict::Unsigned { digest } => Some(digest),
            SignatureVerdict::Unknown { .. } => None,
        }
    }
}

/// Signature verdicts by image reference as the manifests write it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureVerdicts {
    by_image: HashMap<String, SignatureVerdict>,
    /// Whether the verdicts were checked against trusted keys.
    pub keys_given: bool,
}

impl SignatureVerdicts {
    pub fn new(keys_given: bool) -> Self {
        SignatureVerdicts {
            by_image: HashMap::new(),
            keys_given,
        }
    }

    pub fn insert(&mut self, image: impl Into<String>, verdict: SignatureVerdict) {
        self.by_image.insert(image.into(), verdict);
    }

    pub fn get(&self, image: &str) -> Option<&SignatureVerdict> {
        self.by_image.get(image)
    }
}

/// Decides the signature status of images; implemented by `palisade-sign`. Scans take it as a
/// trait object so the scan pipeline needs no network code.
pub trait SignatureChecker: Send + Sync {
    /// The verdict for `image` (a reference as a manifest writes it: `nginx:1.25`).
    fn check(&self, image: &str) -> SignatureVerdict;
    /// Whether verdicts are checked against trusted keys.
    fn has_keys(&self) -> bool;
}
