//! Where images come from: registries, docker-archive tars, OCI archives and OCI layouts.
//! Each source resolves a reference to a manifest and config, and opens layer blobs as
//! verified streams.

pub mod auth;
mod docker_archive;
mod files;
mod layout;
pub mod registry;

use std::io::Read;
use std::path::Path;

use crate::digest::Digest;
use crate::error::ImageError;
use crate::manifest::{ImageConfig, Platform};

pub use files::Files;
pub use registry::{RegistryClient, RegistryOptions};

/// One layer of a resolved image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerBlob {
    /// Digest of the blob as stored (compressed); `None` for docker-archives, whose layers are
    /// verified through `diff_id` instead.
    pub blob_digest: Option<Digest>,
    /// Digest of the uncompressed tar (the config's `rootfs.diff_ids`); the same whichever way
    /// the image was transported, so reports use it.
    pub diff_id: Option<Digest>,
    pub size: Option<u64>,
    pub media_type: String,
    /// Where a docker-archive keeps the layer tar (`<id>/layer.tar`); `None` elsewhere.
    pub archive_path: Option<String>,
}

/// An image whose manifest and config have been read and checked.
#[derive(Debug, Clone)]
pub struct ResolvedImage {
    /// What the user asked for, for display.
    pub name: String,
    /// Digest of the image manifest (not known for docker-archives).
    pub manifest_digest: Option<Digest>,
    pub config_digest: Digest,
    pub config: ImageConfig,
    pub layers: Vec<LayerBlob>,
}

/// Opens a layer blob as a raw (possibly compressed) stream that fails at its end when the
/// blob's digest does not match.
pub trait BlobSource {
    fn open_layer(&self, layer: &LayerBlob, index: usize)
    -> Result<Box<dyn Read + '_>, ImageError>;
}

/// An image ready to stream.
pub struct OpenedImage {
    pub image: ResolvedImage,
    pub blobs: Box<dyn BlobSource>,
}

/// Opens a local image: an OCI layout directory, or a tar file holding a docker-archive
/// (`docker save`) or an OCI archive. `selector` picks one image when the input holds several
/// (a tag, `org.opencontainers.image.ref.name`, or a `RepoTags` entry).
pub fn open_local(
    path: &Path,
    selector: Option<&str>,
    platform: &Platform,
) -> Result<OpenedImage, ImageError> {
    let files: Box<dyn Files> = if path.is_dir() {
        Box::new(files::DirFiles::new(path))
    } else {
        Box::new(files::TarFiles::index(path)?)
    };
    let display = path.display().to_string();
    if files.exists("manifest.json") {
        docker_archive::open(files, selector, &display)
    } else if files.exists("index.json") {
        layout::open(files, selector, platform, &display)
    } else {
        Err(ImageError::format(
            display,
            "neither a docker-archive (no manifest.json) nor an OCI layout or archive (no index.json)",
        ))
    }
}
