//! Kustomize overlays built natively, for the subset of kustomization fields Palisade reads:
//! `resources` (files and directories, nested kustomizations), `components`, `namespace`,
//! `namePrefix`/`nameSuffix` (with references to renamed ConfigMaps, Secrets,
//! ServiceAccounts and PersistentVolumeClaims updated), `commonLabels`, `labels`,
//! `commonAnnotations`, `images`, `replicas`, `patches` (strategic merge and JSON 6902, inline
//! or from files, with target selectors), the legacy `patchesStrategicMerge` and
//! `patchesJson6902`, `configMapGenerator`/`secretGenerator` with Kustomize's content hash
//! suffix, and `generatorOptions`.
//!
//! Anything else is an error naming the field and the file, never a silently different build.
//! Remote resources (URLs, git) are an error naming the URL: builds never touch the network.
//!
//! Every built object knows the file (and document) it came from and the patches that changed
//! it, so findings can point at files users edit.

mod build;
mod generate;
mod load;
mod patch;
mod transform;

use std::path::{Path, PathBuf};

pub use build::build;

/// File names Kustomize accepts for a kustomization, in its order of preference.
pub const KUSTOMIZATION_FILES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether `dir` holds a kustomization file.
pub fn is_kustomization_dir(dir: &Path) -> bool {
    KUSTOMIZATION_FILES
        .iter()
        .any(|name| dir.join(name).is_file())
}

/// An object of the build output and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltObject {
    pub value: serde_json::Value,
    pub origin: SourceOrigin,
    /// Patches that changed the object, in the order they applied.
    pub patched: Vec<PatchOrigin>,
}

/// The resource file (or generator) an object came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceOrigin {
    pub path: PathBuf,
    /// 0-based document in the file's YAML stream.
    pub document: usize,
    /// `/items/3` for an item of a `List`, else empty.
    pub item_pointer: String,
    /// Made by a generator: `path` is the kustomization file that declares it.
    pub generated: bool,
}

/// A patch that changed an object: the patch file, or the kustomization file for an inline
/// patch, and the JSON pointers (in the built object) it set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchOrigin {
    pub path: PathBuf,
    pub pointers: Vec<String>,
}

/// The result of a build.
#[derive(Debug, Clone, Default)]
pub struct Build {
    pub objects: Vec<BuiltObject>,
    /// Every file the build read (kustomization files, resources, patches, generator inputs).
    pub files_read: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum KustomizeError {
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("{}: cannot read {}: {source}", kustomization.display(), path.display())]
    Read {
        kustomization: PathBuf,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: remote resource `{url}` is not fetched (Palisade never uses the network while \
         building); vendor it into the repository",
        kustomization.display()
    )]
    Remote { kustomization: PathBuf, url: String },
    #[error(
        "{}: `{field}` is not supported by Palisade's Kustomize builder; scan the output of \
         `kubectl kustomize` instead",
        path.display()
    )]
    Unsupported { path: PathBuf, field: String },
    #[error("{}: kustomization includes itself (through {})", path.display(), via.display())]
    Cycle { path: PathBuf, via: PathBuf },
}

impl KustomizeError {
    pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> Self {
        KustomizeError::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}
