//! OCI image layouts (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), as a directory or as
//! an OCI archive tar.

use std::io::Read;

use super::{BlobSource, Files, LayerBlob, OpenedImage, ResolvedImage};
use crate::digest::{Digest, VerifyingReader};
use crate::error::ImageError;
use crate::manifest::{
    Descriptor, ImageConfig, MAX_METADATA_BYTES, ManifestKind, Platform, parse_manifest,
    select_platform,
};

const REF_NAME: &str = "org.opencontainers.image.ref.name";
const MAX_INDEX_DEPTH: usize = 4;

fn blob_path(digest: &Digest) -> String {
    format!("blobs/sha256/{}", digest.hex())
}

/// Reads a small blob and checks its digest and size.
pub(super) fn read_blob(
    files: &dyn Files,
    desc: &Descriptor,
    what: &str,
) -> Result<Vec<u8>, ImageError> {
    let digest = desc.parsed_digest()?;
    if desc.size > MAX_METADATA_BYTES {
        return Err(ImageError::format(
            what,
            format!("{} bytes, more than allowed for metadata", desc.size),
        ));
    }
    let bytes = files.read(&blob_path(&digest), MAX_METADATA_BYTES)?;
    digest.verify(what, &bytes)?;
    if bytes.len() as u64 != desc.size {
        return Err(ImageError::SizeMismatch {
            what: what.to_string(),
            expected: desc.size,
            actual: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

fn pick_entry<'a>(
    entries: &'a [Descriptor],
    selector: Option<&str>,
    what: &str,
) -> Result<Option<&'a Descriptor>, ImageError> {
    let Some(sel) = selector else {
        return Ok(None);
    };
    let tag = sel.rsplit_once(':').map_or(sel, |(_, t)| t);
    let found = entries.iter().find(|d| {
        d.annotations
            .get(REF_NAME)
            .is_some_and(|n| n == sel || n == tag)
            || d.digest == sel
    });
    if let Some(d) = found {
        Ok(Some(d))
    } else {
        let names: Vec<&str> = entries
            .iter()
            .filter_map(|d| d.annotations.get(REF_NAME).map(String::as_str))
            .collect();
        Err(ImageError::format(
            what,
            format!(
                "no image named {sel:?}; the layout has: {}",
                if names.is_empty() {
                    "no named images".to_string()
                } else {
                    names.join(", ")
                }
            ),
        ))
    }
}

pub(super) fn open(
    files: Box<dyn Files>,
    selector: Option<&str>,
    platform: &Platform,
    display: &str,
) -> Result<OpenedImage, ImageError> {
    let index_bytes = files.read("index.json", MAX_METADATA_BYTES)?;
    let what = format!("{display}: index.json");
    let ManifestKind::Index(index) = parse_manifest(&index_bytes, None, &what)? else {
        return Err(ImageError::format(what, "expected an image index"));
    };
    // A named entry when asked for; else the single image, or the one for the platform.
    let mut desc = match pick_entry(&index.manifests, selector, &what)? {
        Some(d) => d.clone(),
        None if index.manifests.len() == 1 => index.manifests[0].clone(),
        None => select_platform(&index, platform, &what)
            .map_err(|e| match e {
                ImageError::Platform { .. }
                    if index.manifests.iter().all(|d| d.platform.is_none()) =>
                {
                    ImageError::format(
                        &what,
                        format!(
                            "the layout holds {} images; name one (IMAGE argument) among: {}",
                            index.manifests.len(),
                            index
                                .manifests
                                .iter()
                                .filter_map(|d| d.annotations.get(REF_NAME).map(String::as_str))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                }
                other => other,
            })?
            .clone(),
    };
    for _ in 0..MAX_INDEX_DEPTH {
        let what = format!("{display}: manifest {}", desc.digest);
        let bytes = read_blob(files.as_ref(), &desc, &what)?;
        match parse_manifest(&bytes, Some(&desc.media_type), &what)? {
            ManifestKind::Index(nested) => {
                desc = select_platform(&nested, platform, &what)?.clone();
            }
            ManifestKind::Image(manifest) => {
                let config_what = format!("{display}: config {}", manifest.config.digest);
                let config_bytes = read_blob(files.as_ref(), &manifest.config, &config_what)?;
                let config = ImageConfig::parse(&config_bytes, &config_what)?;
                let layers = layer_blobs(&manifest.layers, &config, &what)?;
                let image = ResolvedImage {
                    name: selector.map_or_else(|| display.to_string(), str::to_string),
                    manifest_digest: Some(desc.parsed_digest()?),
                    config_digest: manifest.config.parsed_digest()?,
                    config,
                    layers,
                };
                return Ok(OpenedImage {
                    image,
                    blobs: Box::new(LayoutBlobs { files }),
                });
            }
        }
    }
    Err(ImageError::format(display, "indexes nested too deeply"))
}

/// Pairs manifest layers with the config's diff_ids.
pub(super) fn layer_blobs(
    layers: &[Descriptor],
    config: &ImageConfig,
    what: &str,
) -> Result<Vec<LayerBlob>, ImageError> {
    let diff_ids = config.diff_ids();
    if !diff_ids.is_empty() && diff_ids.len() != layers.len() {
        return Err(ImageError::format(
            what,
            format!(
                "{} layers in the manifest but {} diff_ids in the config",
                layers.len(),
                diff_ids.len()
            ),
        ));
    }
    layers
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(LayerBlob {
                blob_digest: Some(d.parsed_digest()?),
                diff_id: diff_ids.get(i).map(|s| Digest::parse(s)).transpose()?,
                size: Some(d.size),
                media_type: d.media_type.clone(),
                archive_path: None,
            })
        })
        .collect()
}

struct LayoutBlobs {
    files: Box<dyn Files>,
}

impl BlobSource for LayoutBlobs {
    fn open_layer(
        &self,
        layer: &LayerBlob,
        index: usize,
    ) -> Result<Box<dyn Read + '_>, ImageError> {
        let digest = layer
            .blob_digest
            .clone()
            .ok_or_else(|| ImageError::format(self.files.describe(), "layer without digest"))?;
        let reader = self.files.open(&blob_path(&digest))?;
        Ok(Box::new(VerifyingReader::new(
            reader,
            digest.clone(),
            layer.size,
            format!("layer {index} ({digest})"),
        )))
    }
}
