//! Container images: sources (registries, docker-archives, OCI archives and layouts), layer
//! streaming with whiteouts and budgets, secrets in layers, and layer attribution.
//!
//! The flow: [`source`] resolves an image to a manifest, config and layer blobs; [`scan_image`]
//! streams every layer in order through a [`LayerWalker`], which hands the files a
//! [`FileSink`] wants (palisade-pkg's file index) and scans small text files for secrets; the
//! config's history attributes each layer ([`history`]).

pub mod digest;
mod error;
mod findings;
pub mod history;
pub mod layers;
pub mod manifest;
pub mod reference;
pub mod secrets;
pub mod source;

pub use digest::Digest;
pub use error::ImageError;
pub use findings::{layer_ref, secret_finding};
pub use history::{BaseSplit, LayerInfo};
pub use layers::{FileSink, LayerStats, LayerWalker, Limits, Want};
pub use manifest::Platform;
pub use reference::ImageReference;
pub use secrets::{SecretHit, SecretKind};
pub use source::{OpenedImage, ResolvedImage};

/// What to do while scanning.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub limits: Limits,
    /// Search small text files of every layer for secrets.
    pub secrets: bool,
    /// `--base-layers N`: the first N layers are the base image.
    pub base_layers: Option<usize>,
}

/// The result of streaming an image (the packages are in the sink).
#[derive(Debug, Clone)]
pub struct ImageScan {
    pub name: String,
    pub manifest_digest: Option<String>,
    pub config_digest: String,
    /// `os/architecture` from the config.
    pub platform: String,
    pub layers: Vec<LayerInfo>,
    pub base: BaseSplit,
    pub secrets: Vec<SecretHit>,
    pub warnings: Vec<String>,
    /// Regular files over all layers.
    pub files: usize,
    pub uncompressed_bytes: u64,
}

/// Streams every layer of `opened` in order into `sink`.
pub fn scan_image<S: FileSink>(
    opened: &OpenedImage,
    sink: &mut S,
    options: &ScanOptions,
) -> Result<ImageScan, ImageError> {
    let image = &opened.image;
    let (layers, base) = history::attribute(&image.config, &image.layers, options.base_layers);
    let mut walker = LayerWalker::new(sink, options.limits, options.secrets);
    let mut uncompressed = 0;
    for (index, blob) in image.layers.iter().enumerate() {
        let raw = opened.blobs.open_layer(blob, index)?;
        // Blobs with their own digest are verified as they stream; docker-archive layers
        // through their diff_id.
        let verify_uncompressed = if blob.blob_digest.is_none() {
            Some(blob.diff_id.as_ref().ok_or_else(|| ImageError::Layer {
                layer: index,
                digest: String::new(),
                reason: "neither a blob digest nor a diff_id to verify it against".into(),
            })?)
        } else {
            None
        };
        let label = layers[index].digest.clone();
        let stats = walker.walk(raw, index, &label, verify_uncompressed)?;
        tracing::debug!(layer = index, ?stats, "layer read");
        uncompressed += stats.uncompressed_bytes;
    }
    let outcome = walker.finish();
    let platform = format!(
        "{}/{}{}",
        image.config.os,
        image.config.architecture,
        image
            .config
            .variant
            .as_deref()
            .map_or(String::new(), |v| format!("/{v}"))
    );
    Ok(ImageScan {
        name: image.name.clone(),
        manifest_digest: image.manifest_digest.as_ref().map(ToString::to_string),
        config_digest: image.config_digest.to_string(),
        platform,
        layers,
        base,
        secrets: outcome.secrets,
        warnings: outcome.warnings,
        files: outcome.files,
        uncompressed_bytes: uncompressed,
    })
}
