//! Walking a project the way every Palisade command does: `.gitignore` honoured even outside
//! a git repository, `.palisadeignore`, and `--exclude` globs that match a path or a file name.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{Walk, WalkBuilder};

use crate::InputError;

pub(crate) fn exclude_set(excludes: &[String]) -> Result<GlobSet, InputError> {
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
pub(crate) fn excluded(set: &GlobSet, path: &Path) -> bool {
    if set.is_empty() {
        return false;
    }
    let stripped = path.strip_prefix("./").unwrap_or(path);
    set.is_match(stripped) || path.file_name().is_some_and(|name| set.is_match(name))
}

/// A sorted walk of `root` with the project's ignore rules.
pub(crate) fn project_walker(root: &Path, excludes: &GlobSet) -> Walk {
    let filter = excludes.clone();
    WalkBuilder::new(root)
        .require_git(false)
        .add_custom_ignore_filename(".palisadeignore")
        .sort_by_file_path(Ord::cmp)
        .filter_entry(move |entry| entry.depth() == 0 || !excluded(&filter, entry.path()))
        .build()
}

/// Files under `roots` (explicit files are kept as given) for which `keep` holds, with the
/// project's ignore rules, plus warnings for entries that could not be read.
pub fn find_files(
    roots: &[PathBuf],
    excludes: &[String],
    keep: impl Fn(&Path) -> bool,
) -> Result<(Vec<PathBuf>, Vec<String>), InputError> {
    let excludes = exclude_set(excludes)?;
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for root in roots {
        if !root.exists() {
            return Err(InputError::NotFound(root.clone()));
        }
        if root.is_file() {
            files.push(root.clone());
            continue;
        }
        for entry in project_walker(root, &excludes) {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    if keep(entry.path()) {
                        files.push(entry.into_path());
                    }
                }
                Ok(_) => {}
                Err(error) => warnings.push(format!("skipped: {error}")),
            }
        }
    }
    Ok((files, warnings))
}
