use std::path::Path;

use base64::Engine as _;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;

/// A public key signatures are checked against, with the name it is reported by.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    pub name: String,
    key: VerifyingKey,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{name}: not an ECDSA P-256 public key in PEM (\"-----BEGIN PUBLIC KEY-----\"): {reason}"
    )]
    Format { name: String, reason: String },
}

impl TrustedKey {
    /// A PEM `PUBLIC KEY` (SubjectPublicKeyInfo), as `cosign generate-key-pair` writes
    /// `cosign.pub`.
    pub fn from_pem(name: impl Into<String>, pem: &str) -> Result<Self, KeyError> {
        let name = name.into();
        let key = VerifyingKey::from_public_key_pem(pem.trim()).map_err(|e| KeyError::Format {
            name: name.clone(),
            reason: e.to_string(),
        })?;
        Ok(TrustedKey { name, key })
    }

    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let pem = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
            path: path.display().to_string(),
            source,
        })?;
        TrustedKey::from_pem(path.display().to_string(), &pem)
    }

    /// Whether `signature_b64` (base64 of an ASN.1 DER ECDSA signature, as cosign stores it)
    /// is this key's signature of `payload` (SHA-256).
    pub fn verifies(&self, payload: &[u8], signature_b64: &str) -> bool {
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(signature_b64.trim())
        else {
            return false;
        };
        let signature = Signature::from_der(&bytes).or_else(|_| Signature::from_slice(&bytes));
        signature.is_ok_and(|s| self.key.verify(payload, &s).is_ok())
    }
}
