use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobSet;
use palisade_render::helm::{ChartInput, HelmError};

use crate::render::chart_input;
use crate::walk::{exclude_set, project_walker};

/// What the user asked to scan.
#[derive(Debug, Clone)]
pub enum Input {
    Path(PathBuf),
    /// Standard input, read once.
    Stdin,
}

/// One file to scan, with the path shown to the user.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub display_path: Arc<str>,
    pub content: FileContent,
}

#[derive(Debug, Clone)]
pub enum FileContent {
    /// Read lazily, in the worker that scans it.
    OnDisk(PathBuf),
    InMemory(Arc<[u8]>),
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("path does not exist: {0}")]
    NotFound(PathBuf),
    #[error("invalid --exclude pattern `{pattern}`: {message}")]
    BadExclude { pattern: String, message: String },
    #[error("cannot read standard input: {0}")]
    Stdin(std::io::Error),
    #[error(transparent)]
    Render(#[from] HelmError),
}

/// The files found plus notes about what was left out.
#[derive(Debug, Default)]
pub struct Collected {
    pub files: Vec<SourceFile>,
    /// Helm charts (directories with `Chart.yaml`, packaged `.tgz` given by path) to render
    /// instead of reading their files.
    pub charts: Vec<ChartInput>,
    /// Directories with a kustomization file, to build (their resources are then not
    /// scanned on their own).
    pub kustomizations: Vec<PathBuf>,
    pub warnings: Vec<String>,
}

const MANIFEST_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Expands inputs into files: directories recursively (honouring `.gitignore`,
/// `.palisadeignore` and `--exclude`), explicit files as given, `-` as standard input.
/// Helm chart directories and archives are collected as charts, their files not read raw.
pub fn collect_files(inputs: &[Input], excludes: &[String]) -> Result<Collected, InputError> {
    let excludes = exclude_set(excludes)?;
    let mut collected = Collected::default();
    for input in inputs {
        match input {
            Input::Stdin => {
                let mut buffer = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buffer)
                    .map_err(InputError::Stdin)?;
                collected.files.push(SourceFile {
                    display_path: Arc::from("<stdin>"),
                    content: FileContent::InMemory(buffer.into()),
                });
            }
            Input::Path(path) if chart_input(path).is_some() => {
                collected.charts.extend(chart_input(path));
            }
            Input::Path(path) if path.is_file() => collected.files.push(on_disk(path)),
            Input::Path(path) if path.is_dir() => walk_dir(path, &excludes, &mut collected),
            Input::Path(path) => return Err(InputError::NotFound(path.clone())),
        }
    }
    Ok(collected)
}

fn on_disk(path: &Path) -> SourceFile {
    SourceFile {
        display_path: Arc::from(path.to_string_lossy().as_ref()),
        content: FileContent::OnDisk(path.to_path_buf()),
    }
}

fn walk_dir(root: &Path, excludes: &GlobSet, collected: &mut Collected) {
    let mut found = Vec::new();
    let walker = project_walker(root, excludes);
    let mut charts: Vec<PathBuf> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                collected.warnings.push(format!("skipped: {error}"));
                continue;
            }
        };
        let path = entry.path();
        if charts.iter().any(|chart| path.starts_with(chart)) {
            continue;
        }
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            if let Some(chart) = chart_input(path) {
                collected.charts.push(chart);
                charts.push(path.to_path_buf());
            } else if palisade_render::kustomize::is_kustomization_dir(path) {
                collected.kustomizations.push(path.to_path_buf());
            }
            continue;
        }
        let is_manifest = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            MANIFEST_EXTENSIONS
                .iter()
                .any(|m| e.eq_ignore_ascii_case(m))
        });
        if is_manifest {
            found.push(on_disk(path));
        }
    }
    collected.files.extend(found);
}
