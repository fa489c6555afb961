//! `poetry.lock`: TOML `[[package]]` tables.
//!
//! Scope comes from `category` (`main`/`dev`, Poetry before 1.2) or `groups` (Poetry 2):
//! in `main` → runtime (optional when `optional = true`), only in a group named `test` or
//! `tests` → test, only in other groups → dev. Packages from a local `directory` source are
//! the project's own and skipped. poetry.lock does not record which packages are declared.

use serde::Deserialize;
use toml::Spanned;

use crate::collect::{Collector, Entry};
use crate::formats::toml_util;
use crate::model::{LockFile, LockFileKind, ParseError, Scope};
use crate::text::LineIndex;

#[derive(Deserialize)]
struct PoetryLock {
    #[serde(default)]
    package: Vec<Spanned<LockedPackage>>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: Option<Spanned<String>>,
    version: Option<String>,
    category: Option<String>,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    groups: Vec<String>,
    source: Option<Source>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: Option<String>,
}

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let lines = LineIndex::new(text);
    let lock: PoetryLock = toml_util::from_str(text, &lines)?;
    let mut out = Collector::new(path, LockFileKind::PoetryLock);
    for spanned in &lock.package {
        let pkg = spanned.get_ref();
        if pkg.source.as_ref().and_then(|s| s.kind.as_deref()) == Some("directory") {
            continue;
        }
        let (Some(name), Some(version)) = (&pkg.name, &pkg.version) else {
            out.warn(
                lines.line(spanned.span().start),
                "package without name or version; skipped",
            );
            continue;
        };
        let (line, column) = lines.line_col(name.span().start);
        out.add(
            Entry::new(name.get_ref().clone(), version.clone(), line, column).scope(scope_of(pkg)),
        );
    }
    Ok(out.finish())
}

fn scope_of(pkg: &LockedPackage) -> Scope {
    let main = match pkg.category.as_deref() {
        Some("main") => true,
        Some(_) => return Scope::Dev,
        None if pkg.groups.is_empty() => return Scope::Unknown,
        None => pkg.groups.iter().any(|g| g == "main"),
    };
    if main {
        if pkg.optional {
            Scope::Optional
        } else {
            Scope::Runtime
        }
    } else if pkg.groups.iter().all(|g| g == "test" || g == "tests") {
        Scope::Test
    } else {
        Scope::Dev
    }
}
