use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;

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
}

/// The files found plus notes about what was left out.
#[derive(Debug, Default)]
pub struct Collected {
    pub files: Vec<SourceFile>,
    pub warnings: Vec<String>,
}

const MANIFEST_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

fn exclude_set(excludes: &[String]) -> Result<GlobSet, InputError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in excludes {
        let glob = Glob::new(pattern).map_err(|e| InputError::BadExclude {
            pattern: pattern.clone(),
            message: e.kind().to_string(),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| InputError::BadExclude {
        pattern: excludes.join(", "),
        message: e.to_string(),
    })
}

/// True when `path` (or any of its parts, or its file name) matches an exclude pattern.
fn excluded(set: &GlobSet, path: &Path) -> bool {
    if set.is_empty() {
        return false;
    }
    let stripped = path.strip_prefix("./").unwrap_or(path);
    set.is_match(stripped) || path.file_name().is_some_and(|name| set.is_match(name))
}

/// Expands inputs into files: directories recursively (honouring `.gitignore`,
/// `.palisadeignore` and `--exclude`), explicit files as given, `-` as standard input.
/// Helm chart directories are left out with a warning until chart rendering lands.
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
    let filter = excludes.clone();
    let walker = WalkBuilder::new(root)
        .require_git(false)
        .add_custom_ignore_filename(".palisadeignore")
        .sort_by_file_path(Ord::cmp)
        .filter_entry(move |entry| entry.depth() == 0 || !excluded(&filter, entry.path()))
        .build();
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
            if path.join("Chart.yaml").is_file() {
                collected.warnings.push(format!(
                    "{}: Helm chart not scanned (chart rendering is not supported yet); scan `helm template` output instead",
                    path.display()
                ));
                charts.push(path.to_path_buf());
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
