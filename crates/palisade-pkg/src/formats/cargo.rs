//! `Cargo.lock`, lock-file versions 1 to 4.
//!
//! Packages without a `source` are the workspace's own crates: they are not reported, but their
//! dependency lists tell which packages are direct. Cargo.lock does not record dev or build
//! dependency kinds, so every scope is unknown.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use crate::collect::{Collector, Entry};
use crate::formats::toml_util;
use crate::model::{LockFile, LockFileKind, ParseError};
use crate::text::LineIndex;

#[derive(Deserialize)]
struct CargoLock {
    #[serde(default)]
    package: Vec<Spanned<LockedPackage>>,
    /// Lock files from before 2017 put the root crate in its own table.
    root: Option<LockedPackage>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: Option<Spanned<String>>,
    version: Option<String>,
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let lines = LineIndex::new(text);
    let lock: CargoLock = toml_util::from_str(text, &lines)?;

    // `name` or `name version` or `name version (source)` referenced from a local crate.
    let mut local_deps: HashSet<(&str, Option<&str>)> = HashSet::new();
    let locals = lock
        .package
        .iter()
        .map(Spanned::get_ref)
        .chain(lock.root.as_ref())
        .filter(|p| p.source.is_none());
    let mut any_local = false;
    for local in locals {
        any_local = true;
        for dep in &local.dependencies {
            let mut parts = dep.split_whitespace();
            if let Some(name) = parts.next() {
                local_deps.insert((name, parts.next()));
            }
        }
    }

    let mut out = Collector::new(path, LockFileKind::CargoLock);
    for spanned in &lock.package {
        let pkg = spanned.get_ref();
        if pkg.source.is_none() {
            continue;
        }
        let entry_line = lines.line(spanned.span().start);
        let (Some(name), Some(version)) = (&pkg.name, &pkg.version) else {
            out.warn(entry_line, "package entry without name or version skipped");
            continue;
        };
        let (line, column) = lines.line_col(name.span().start);
        let name = name.get_ref();
        let direct = any_local.then(|| {
            local_deps.contains(&(name.as_str(), None))
                || local_deps.contains(&(name.as_str(), Some(version.as_str())))
        });
        out.add(Entry::new(name.clone(), version.clone(), line, column).direct(direct));
    }
    Ok(out.finish())
}
