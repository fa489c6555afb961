//! docker-archive tars (`docker save`, `skopeo copy … docker-archive:`): `manifest.json` naming
//! the config and the layer tars of each image.

use std::io::Read;

use serde::Deserialize;

use super::{BlobSource, Files, LayerBlob, OpenedImage, ResolvedImage};
use crate::digest::Digest;
use crate::error::ImageError;
use crate::manifest::{ImageConfig, MAX_METADATA_BYTES};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ArchiveEntry {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

pub(super) fn open(
    files: Box<dyn Files>,
    selector: Option<&str>,
    display: &str,
) -> Result<OpenedImage, ImageError> {
    let what = format!("{display}: manifest.json");
    let bytes = files.read("manifest.json", MAX_METADATA_BYTES)?;
    let entries: Vec<ArchiveEntry> = serde_json::from_slice(&bytes)
        .map_err(|e| ImageError::format(&what, format!("not a docker-archive manifest: {e}")))?;
    let entry = match (selector, entries.as_slice()) {
        (_, []) => return Err(ImageError::format(&what, "no image in the archive")),
        (None, [only]) => only,
        (None, _) => {
            return Err(ImageError::format(
                &what,
                format!(
                    "the archive holds {} images; name one (IMAGE argument)",
                    entries.len()
                ),
            ));
        }
        (Some(sel), _) => entries
            .iter()
            .find(|e| {
                e.repo_tags.iter().flatten().any(|t| {
                    t == sel
                        || t.strip_prefix("docker.io/").is_some_and(|s| s == sel)
                        || t.rsplit_once(':').is_some_and(|(_, tag)| tag == sel)
                })
            })
            .or_else(|| (entries.len() == 1).then(|| &entries[0]))
            .ok_or_else(|| ImageError::format(&what, format!("no image tagged {sel:?}")))?,
    };
    let config_what = format!("{display}: {}", entry.config);
    let config_bytes = files.read(&entry.config, MAX_METADATA_BYTES)?;
    // The config file is named after its digest ("<hex>.json" or "blobs/sha256/<hex>").
    let config_digest = Digest::of(&config_bytes);
    let config = ImageConfig::parse(&config_bytes, &config_what)?;
    let diff_ids = config.diff_ids();
    if diff_ids.len() != entry.layers.len() {
        return Err(ImageError::format(
            &what,
            format!(
                "{} layers listed but {} diff_ids in the config",
                entry.layers.len(),
                diff_ids.len()
            ),
        ));
    }
    let mut layers = Vec::with_capacity(entry.layers.len());
    for (path, diff_id) in entry.layers.iter().zip(diff_ids) {
        if !files.exists(path) {
            return Err(ImageError::format(
                &what,
                format!("layer {path} is missing"),
            ));
        }
        layers.push(LayerBlob {
            blob_digest: None,
            diff_id: Some(Digest::parse(diff_id)?),
            size: files.size(path),
            media_type: "application/vnd.docker.image.rootfs.diff.tar".to_string(),
            archive_path: Some(path.clone()),
        });
    }
    let image = ResolvedImage {
        name: selector.map_or_else(
            || {
                entry
                    .repo_tags
                    .iter()
                    .flatten()
                    .next()
                    .cloned()
                    .unwrap_or_else(|| display.to_string())
            },
            str::to_string,
        ),
        manifest_digest: None,
        config_digest,
        config,
        layers,
    };
    Ok(OpenedImage {
        image,
        blobs: Box::new(ArchiveBlobs { files }),
    })
}

struct ArchiveBlobs {
    files: Box<dyn Files>,
}

impl BlobSource for ArchiveBlobs {
    /// The layer tar as stored; verified against its diff_id by the layer reader.
    fn open_layer(
        &self,
        layer: &LayerBlob,
        _index: usize,
    ) -> Result<Box<dyn Read + '_>, ImageError> {
        let path = layer
            .archive_path
            .as_deref()
            .ok_or_else(|| ImageError::format(self.files.describe(), "layer without a path"))?;
        self.files.open(path)
    }
}
