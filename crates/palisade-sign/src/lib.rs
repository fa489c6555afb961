//! Cosign signature verification (key-based) of images in registries.
//!
//! cosign stores the signatures of an image whose manifest digest is `sha256:<hex>` as an OCI
//! manifest at the tag `sha256-<hex>.sig` of the same repository. Each layer of that manifest
//! is a "simple signing" payload (JSON naming the signed digest) with the base64 signature of
//! the payload in the annotation `dev.cosignproject.cosign/signature`. A signature is trusted
//! when it is a valid ECDSA P-256 / SHA-256 signature of its payload by one of the trusted
//! public keys and the payload names the image's digest; keyless (Fulcio/Rekor) signatures are
//! counted but not verified.

mod keys;
mod payload;

use std::path::Path;

use palisade_core::{SignatureChecker, SignatureVerdict};
use palisade_image::source::{RegistryClient, RegistryOptions};
use palisade_image::{Digest, ImageReference};
use serde::Deserialize;

pub use keys::{KeyError, TrustedKey};
pub use payload::SimpleSigning;

/// The annotation holding a layer's base64 signature.
pub const SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";

/// Checks images' cosign signatures in their registries, against `keys` when there are any.
#[derive(Debug, Clone)]
pub struct Verifier {
    keys: Vec<TrustedKey>,
    registry: RegistryOptions,
}

#[derive(Deserialize)]
struct SignatureManifest {
    #[serde(default)]
    layers: Vec<SignatureLayer>,
}

#[derive(Deserialize)]
struct SignatureLayer {
    digest: String,
    #[serde(default)]
    annotations: std::collections::HashMap<String, String>,
}

impl Verifier {
    pub fn new(keys: Vec<TrustedKey>, registry: RegistryOptions) -> Self {
        Verifier { keys, registry }
    }

    /// Loads PEM public keys from files.
    pub fn with_key_files(
        paths: &[impl AsRef<Path>],
        registry: RegistryOptions,
    ) -> Result<Self, KeyError> {
        let keys = paths
            .iter()
            .map(|p| TrustedKey::from_file(p.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(Verifier::new(keys, registry))
    }

    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// The verdict for `image`, a reference as manifests write it.
    pub fn verify(&self, image: &str) -> SignatureVerdict {
        match self.try_verify(image) {
            Ok(verdict) => verdict,
            Err(reason) => SignatureVerdict::Unknown { reason },
        }
    }

    fn try_verify(&self, image: &str) -> Result<SignatureVerdict, String> {
        let reference: ImageReference = image.parse().map_err(|e| format!("{e}"))?;
        let client =
            RegistryClient::new(&reference, self.registry.clone()).map_err(|e| e.to_string())?;
        let digest = client.manifest_digest().map_err(|e| e.to_string())?;
        let tag = format!("{}.sig", digest.to_string().replace(':', "-"));
        let Some(manifest) = client
            .manifest_if_present(&tag)
            .map_err(|e| e.to_string())?
        else {
            return Ok(SignatureVerdict::Unsigned {
                digest: digest.to_string(),
            });
        };
        let manifest: SignatureManifest = serde_json::from_slice(&manifest)
            .map_err(|e| format!("signature manifest {tag} is not valid JSON: {e}"))?;
        let signed: Vec<&SignatureLayer> = manifest
            .layers
            .iter()
            .filter(|l| l.annotations.contains_key(SIGNATURE_ANNOTATION))
            .collect();
        if signed.is_empty() {
            return Ok(SignatureVerdict::Unsigned {
                digest: digest.to_string(),
            });
        }
        if self.keys.is_empty() {
            return Ok(SignatureVerdict::Signed {
                digest: digest.to_string(),
                signatures: signed.len(),
            });
        }
        let mut problems = Vec::new();
        for layer in &signed {
            match self.check_layer(&client, layer, &digest) {
                Ok(key) => {
                    return Ok(SignatureVerdict::Verified {
                        digest: digest.to_string(),
                        key,
                    });
                }
                Err(problem) => problems.push(problem),
            }
        }
        problems.sort();
        problems.dedup();
        Ok(SignatureVerdict::Untrusted {
            digest: digest.to_string(),
            reason: format!(
                "{} signature(s), none trusted: {}",
                signed.len(),
                problems.join("; ")
            ),
        })
    }

    /// The name of the trusted key that signed this layer's payload for `digest`.
    fn check_layer(
        &self,
        client: &RegistryClient,
        layer: &SignatureLayer,
        digest: &Digest,
    ) -> Result<String, String> {
        let payload_digest = Digest::parse(&layer.digest).map_err(|e| e.to_string())?;
        let payload = client
            .small_blob(&payload_digest)
            .map_err(|e| e.to_string())?;
        let signature = &layer.annotations[SIGNATURE_ANNOTATION];
        let key = self
            .keys
            .iter()
            .find(|key| key.verifies(&payload, signature))
            .ok_or_else(|| "no trusted key verifies the signature".to_string())?;
        let signing = SimpleSigning::parse(&payload)?;
        if signing.digest != digest.to_string() {
            return Err(format!(
                "a trusted signature is for {}, not this image",
                signing.digest
            ));
        }
        Ok(key.name.clone())
    }
}

impl SignatureChecker for Verifier {
    fn check(&self, image: &str) -> SignatureVerdict {
        self.verify(image)
    }

    fn has_keys(&self) -> bool {
        !self.keys.is_empty()
    }
}
