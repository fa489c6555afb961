//! The one error type of this crate.

use std::io;

/// Why an image could not be read. Every variant says where (reference, file, layer, entry).
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("invalid image reference {reference:?}: {reason}")]
    Reference { reference: String, reason: String },
    #[error("invalid digest {digest:?}: {reason}")]
    Digest { digest: String, reason: String },
    #[error("{what}: digest mismatch: expected {expected}, got {actual}")]
    DigestMismatch {
        what: String,
        expected: String,
        actual: String,
    },
    #[error("{what}: size mismatch: expected {expected} bytes, got {actual}")]
    SizeMismatch {
        what: String,
        expected: u64,
        actual: u64,
    },
    #[error("{what}: {reason}")]
    Format { what: String, reason: String },
    #[error("no image for platform {platform} in {what}; available: {available}")]
    Platform {
        what: String,
        platform: String,
        available: String,
    },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    #[error("registry {registry}: {reason}")]
    Registry { registry: String, reason: String },
    #[error("registry {registry}: authentication failed: {reason}")]
    Auth { registry: String, reason: String },
    #[error("credentials: {0}")]
    Credentials(String),
    #[error("layer {layer} ({digest}): {reason}")]
    Layer {
        layer: usize,
        digest: String,
        reason: String,
    },
    #[error(
        "layer {layer}: decompressed data exceeds the budget of {limit} bytes (a decompression bomb, or raise the limit)"
    )]
    Budget { layer: usize, limit: u64 },
}

impl ImageError {
    pub(crate) fn io(what: impl Into<String>, source: io::Error) -> Self {
        ImageError::Io {
            what: what.into(),
            source,
        }
    }

    pub(crate) fn format(what: impl Into<String>, reason: impl Into<String>) -> Self {
        ImageError::Format {
            what: what.into(),
            reason: reason.into(),
        }
    }
}
