//! Package catalogers for Palisade: lock files and dependency manifests.
//!
//! [`detect`] tells a file's format from its name; [`parse`] reads it into a [`LockFile`]
//! whose [`Package`]s carry ecosystem (OSV names), name, version, purl, scope, whether they are
//! direct, and the exact line of the text that names them, so a finding can point at
//! `Cargo.lock:123`. Parsing never panics on bad input: a file that is not the format it claims
//! gives a [`ParseError`] with line and column; a bad entry in an otherwise good file is
//! skipped with a warning.
//!
//! Which line a package points at: the line that names it. That is the `name = "…"` line of a
//! TOML `[[package]]` table (Cargo, Poetry, uv), the key line of a JSON or YAML entry keyed by
//! name (`"node_modules/lodash": {`, `lodash@4.17.15:`), the `"name":` line of an entry in a
//! JSON array (Composer), the `<artifactId>` line of a Maven `<dependency>`, and the line of
//! the entry itself in line formats (requirements, go.mod, Gemfile.lock, gradle.lockfile,
//! yarn.lock keys).

mod collect;
mod formats;
mod json;
mod model;
pub mod purl;
pub mod rootfs;
pub mod sbom;
mod text;
mod yaml;

use std::path::Path;

pub use model::{Diagnostic, LockFile, LockFileKind, Package, ParseError, Scope};

/// The format of the file at `path`, from its file name alone; `None` for files this crate
/// does not read.
pub fn detect(path: &Path) -> Option<LockFileKind> {
    let name = path.file_name()?.to_str()?;
    let kind = match name {
        "Cargo.lock" => LockFileKind::CargoLock,
        "package-lock.json" | "npm-shrinkwrap.json" | ".package-lock.json" => {
            LockFileKind::NpmPackageLock
        }
        "yarn.lock" => LockFileKind::YarnLock,
        "pnpm-lock.yaml" => LockFileKind::PnpmLock,
        "Pipfile.lock" => LockFileKind::PipfileLock,
        "poetry.lock" => LockFileKind::PoetryLock,
        "uv.lock" => LockFileKind::UvLock,
        "go.mod" => LockFileKind::GoMod,
        "Gemfile.lock" | "gems.locked" => LockFileKind::GemfileLock,
        "composer.lock" => LockFileKind::ComposerLock,
        "packages.lock.json" => LockFileKind::NugetLock,
        "gradle.lockfile" | "buildscript-gradle.lockfile" => LockFileKind::GradleLockfile,
        "pom.xml" => LockFileKind::MavenPom,
        _ if is_requirements_name(path, name) => LockFileKind::Requirements,
        _ => return None,
    };
    Some(kind)
}

/// `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/base.txt`.
fn is_requirements_name(path: &Path, name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".txt") else {
        return false;
    };
    stem.starts_with("requirements")
        || stem.ends_with("-requirements")
        || stem.ends_with("_requirements")
        || path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|dir| dir == "requirements")
}

/// Parses `content` as a file of `kind`. `display_path` is only recorded in locations.
pub fn parse(
    kind: LockFileKind,
    display_path: &str,
    content: &[u8],
) -> Result<LockFile, ParseError> {
    let text = text::decode(content)?;
    let path = display_path;
    match kind {
        LockFileKind::CargoLock => formats::cargo::parse(path, text),
        LockFileKind::NpmPackageLock => formats::npm::parse(path, text),
        LockFileKind::YarnLock => {
            if formats::yarn_berry::is_berry(text) {
                formats::yarn_berry::parse(path, text)
            } else {
                formats::yarn::parse(path, text)
            }
        }
        LockFileKind::PnpmLock => formats::pnpm::parse(path, text),
        LockFileKind::Requirements => Ok(formats::requirements::parse(path, text)),
        LockFileKind::PipfileLock => formats::pipfile::parse(path, text),
        LockFileKind::PoetryLock => formats::poetry::parse(path, text),
        LockFileKind::UvLock => formats::uv::parse(path, text),
        LockFileKind::GoMod => formats::gomod::parse(path, text),
        LockFileKind::GemfileLock => Ok(formats::gemfile::parse(path, text)),
        LockFileKind::ComposerLock => formats::composer::parse(path, text),
        LockFileKind::NugetLock => formats::nuget::parse(path, text),
        LockFileKind::GradleLockfile => Ok(formats::gradle::parse(path, text)),
        LockFileKind::MavenPom => formats::maven::parse(path, text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_file_name() {
        let cases = [
            ("a/Cargo.lock", Some(LockFileKind::CargoLock)),
            ("web/package-lock.json", Some(LockFileKind::NpmPackageLock)),
            ("npm-shrinkwrap.json", Some(LockFileKind::NpmPackageLock)),
            (
                "node_modules/.package-lock.json",
                Some(LockFileKind::NpmPackageLock),
            ),
            ("yarn.lock", Some(LockFileKind::YarnLock)),
            ("pnpm-lock.yaml", Some(LockFileKind::PnpmLock)),
            ("requirements.txt", Some(LockFileKind::Requirements)),
            ("requirements-dev.txt", Some(LockFileKind::Requirements)),
            ("test_requirements.txt", Some(LockFileKind::Requirements)),
            ("requirements/base.txt", Some(LockFileKind::Requirements)),
            ("notes.txt", None),
            ("requirements.in", None),
            ("Pipfile.lock", Some(LockFileKind::PipfileLock)),
            ("Pipfile", None),
            ("poetry.lock", Some(LockFileKind::PoetryLock)),
            ("uv.lock", Some(LockFileKind::UvLock)),
            ("go.mod", Some(LockFileKind::GoMod)),
            ("go.sum", None),
            ("Gemfile.lock", Some(LockFileKind::GemfileLock)),
            ("gems.locked", Some(LockFileKind::GemfileLock)),
            ("composer.lock", Some(LockFileKind::ComposerLock)),
            ("composer.json", None),
            ("packages.lock.json", Some(LockFileKind::NugetLock)),
            ("gradle.lockfile", Some(LockFileKind::GradleLockfile)),
            ("pom.xml", Some(LockFileKind::MavenPom)),
            ("package.json", None),
            ("", None),
        ];
        for (path, want) in cases {
            assert_eq!(detect(Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn kinds_have_distinct_names() {
        let names: std::collections::HashSet<_> =
            LockFileKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), LockFileKind::ALL.len());
        assert_eq!(LockFileKind::GoMod.ecosystem().to_string(), "Go");
    }

    #[test]
    fn invalid_utf8_is_a_located_error() {
        let err = parse(LockFileKind::GoMod, "go.mod", b"module x\n\xC3(").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
    }
}
