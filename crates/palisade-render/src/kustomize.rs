//! Kustomize overlays built natively: the subset of `kubectl kustomize` (Kustomize v5) that
//! real deployments use, with every output object traced to the base file it came from and
//! the patches that changed it.
//!
//! Supported kustomization fields: `resources` (files, directories, nested kustomizations),
//! `bases`, `components`, `namespace`, `namePrefix`/`nameSuffix` (with name references
//! updated), `labels`, `commonLabels`, `commonAnnotations`, `images`, `replicas`, `patches`
//! (strategic merge and JSON 6902, inline or from a file, with target selectors),
//! `patchesStrategicMerge`, `patchesJson6902`, `configMapGenerator`, `secretGenerator`,
//! `generatorOptions` and `sortOptions` (ignored: output order is not part of the contract).
//! Anything else is an [`KustomizeError::Unsupported`] naming the field and file, or, when
//! [`KustomizeOptions::allow_fallback`] is set and a binary is available, a run of
//! `kubectl kustomize` / `kustomize build`. Remote resources are never fetched.

mod accumulate;
mod fields;
mod generate;
mod json6902;
mod load;
mod nameref;
mod patch;
mod resource;
mod select;
mod smp;
mod transform;

use std::path::{Path, PathBuf};
use std::process::Command;

/// How to build a kustomization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KustomizeOptions {
    /// A `kustomize` or `kubectl` binary to fall back on for fields outside the native subset.
    /// `None` looks for `kustomize`, then `kubectl`, on `PATH` (only when falling back).
    pub kustomize_bin: Option<PathBuf>,
    /// Fall back on the binary instead of failing on an unsupported field.
    pub allow_fallback: bool,
}

/// The result of building one kustomization directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Build {
    /// The output objects, in the order Kustomize accumulates them.
    pub objects: Vec<BuiltObject>,
    /// Every file read: kustomization files, resources, patches, generator sources.
    pub files_read: Vec<PathBuf>,
    /// True when the objects come from an external binary (see [`KustomizeOptions`]).
    pub used_fallback: bool,
}

/// One object of the build output.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltObject {
    /// The final object.
    pub value: serde_json::Value,
    /// The base resource file the object came from.
    pub origin: SourceOrigin,
    /// Patches that changed the object, in the order they were applied.
    pub patched: Vec<PatchOrigin>,
}

/// Where an output object was first read (or generated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceOrigin {
    /// The resource file; for generated objects, the kustomization file of the generator.
    pub path: PathBuf,
    /// 0-based index of the document in the file's YAML stream.
    pub document: usize,
    /// `""`, or `"/items/3"` for an item of a `List`.
    pub item_pointer: String,
    /// True for objects made by `configMapGenerator` / `secretGenerator`.
    pub generated: bool,
}

/// A patch that changed an output object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchOrigin {
    /// The patch file, or the kustomization file for an inline patch.
    pub path: PathBuf,
    /// JSON pointers (in the object as it was right after the patch) of the values the patch
    /// set or changed.
    pub pointers: Vec<String>,
}

/// Why a kustomization could not be built. Every variant names the file concerned.
#[derive(Debug, thiserror::Error)]
pub enum KustomizeError {
    /// A resource, base or component given as a URL or git reference.
    #[error(
        "{file}: remote resource {url} is not supported (Palisade never fetches from the \
         network): vendor it into the repository"
    )]
    Remote { file: PathBuf, url: String },
    /// A kustomization field outside the native subset.
    #[error(
        "{file}: field `{field}` is not supported by Palisade's native Kustomize{detail} (pass \
         --kustomize-bin to build it with kustomize/kubectl)"
    )]
    Unsupported {
        file: PathBuf,
        field: String,
        detail: String,
    },
    /// A file that cannot be read (missing, unreadable).
    #[error("{file}: {message}")]
    Io { file: PathBuf, message: String },
    /// Malformed input: YAML errors, wrong field types, conflicting resources, bad patches.
    #[error("{file}: {message}")]
    Invalid { file: PathBuf, message: String },
    /// A kustomization that includes itself through its resources or components.
    #[error("{file}: cycle in kustomizations: {chain}")]
    Cycle { file: PathBuf, chain: String },
    /// The fallback binary failed.
    #[error("{dir}: {bin} failed: {message}")]
    Fallback {
        dir: PathBuf,
        bin: String,
        message: String,
    },
}

impl KustomizeError {
    pub(crate) fn invalid(file: &Path, message: impl Into<String>) -> Self {
        KustomizeError::Invalid {
            file: file.to_path_buf(),
            message: message.into(),
        }
    }
}

/// The kustomization file names Kustomize recognises, in its order of preference.
pub const KUSTOMIZATION_FILE_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// True when `dir` holds a kustomization file.
pub fn is_kustomization_dir(dir: &Path) -> bool {
    KUSTOMIZATION_FILE_NAMES
        .iter()
        .any(|name| dir.join(name).is_file())
}

/// Builds the kustomization in `dir` the way `kubectl kustomize dir` does.
pub fn build(dir: &Path, options: &KustomizeOptions) -> Result<Build, KustomizeError> {
    match accumulate::build_root(dir) {
        Ok((objects, files_read)) => Ok(Build {
            objects,
            files_read,
            used_fallback: false,
        }),
        Err(err @ KustomizeError::Unsupported { .. }) if options.allow_fallback => {
            match fallback_binary(options) {
                Some(bin) => run_fallback(dir, &bin),
                None => Err(err),
            }
        }
        Err(err) => Err(err),
    }
}

fn fallback_binary(options: &KustomizeOptions) -> Option<PathBuf> {
    if let Some(bin) = &options.kustomize_bin {
        return Some(bin.clone());
    }
    let path = std::env::var_os("PATH")?;
    ["kustomize", "kubectl"].iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

fn run_fallback(dir: &Path, bin: &Path) -> Result<Build, KustomizeError> {
    let is_kubectl = bin
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("kubectl"));
    let mut command = Command::new(bin);
    if is_kubectl {
        command.arg("kustomize");
    } else {
        command.arg("build");
    }
    let fail = |message: String| KustomizeError::Fallback {
        dir: dir.to_path_buf(),
        bin: bin.display().to_string(),
        message,
    };
    let output = command.arg(dir).output().map_err(|e| fail(e.to_string()))?;
    if !output.status.success() {
        return Err(fail(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    let stream = palisade_yaml::parse_bytes(&output.stdout, &palisade_yaml::Limits::default());
    if let Some(err) = stream.error {
        return Err(fail(format!("unreadable output: {err}")));
    }
    let file = load::kustomization_file(dir).unwrap_or_else(|| dir.to_path_buf());
    let objects = stream
        .documents
        .into_iter()
        .enumerate()
        .map(|(document, doc)| BuiltObject {
            value: doc.value,
            origin: SourceOrigin {
                path: file.clone(),
                document,
                item_pointer: String::new(),
                generated: false,
            },
            patched: Vec::new(),
        })
        .collect();
    Ok(Build {
        objects,
        files_read: vec![file],
        used_fallback: true,
    })
}
