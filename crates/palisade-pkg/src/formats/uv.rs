//! `uv.lock`: TOML `[[package]]` tables with a `source` each.
//!
//! Packages whose source is `editable`, `virtual` or `directory` are the project's own: they
//! are skipped, and what they list under `dependencies`, `optional-dependencies` and
//! `dev-dependencies` is direct, with scope runtime, optional, or dev (test for a dependency
//! group named `test`/`tests`). Transitive packages have no recorded scope.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use crate::collect::{Collector, Entry};
use crate::formats::toml_util;
use crate::model::{LockFile, LockFileKind, ParseError, Scope};
use crate::text::LineIndex;

const LOCAL_SOURCES: [&str; 3] = ["editable", "virtual", "directory"];

#[derive(Deserialize)]
struct UvLock {
    #[serde(default)]
    package: Vec<Spanned<LockedPackage>>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: Option<Spanned<String>>,
    version: Option<String>,
    source: Option<toml::Table>,
    #[serde(default)]
    dependencies: Vec<DepRef>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<DepRef>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<DepRef>>,
}

#[derive(Deserialize)]
struct DepRef {
    name: String,
}

impl LockedPackage {
    fn is_local(&self) -> bool {
        self.source
            .as_ref()
            .is_some_and(|s| LOCAL_SOURCES.iter().any(|k| s.contains_key(*k)))
    }
}

/// Runtime beats optional beats dev beats test when a package is declared several ways.
fn rank(scope: Scope) -> u8 {
    match scope {
        Scope::Runtime => 4,
        Scope::Optional => 3,
        Scope::Dev => 2,
        Scope::Test => 1,
        Scope::Unknown => 0,
    }
}

fn declare<'a>(declared: &mut HashMap<&'a str, Scope>, name: &'a str, scope: Scope) {
    let slot = declared.entry(name).or_insert(scope);
    if rank(scope) > rank(*slot) {
        *slot = scope;
    }
}

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let lines = LineIndex::new(text);
    let lock: UvLock = toml_util::from_str(text, &lines)?;

    let mut declared: HashMap<&str, Scope> = HashMap::new();
    let locals: Vec<&LockedPackage> = lock
        .package
        .iter()
        .map(Spanned::get_ref)
        .filter(|p| p.is_local())
        .collect();
    for local in &locals {
        for dep in &local.dependencies {
            declare(&mut declared, &dep.name, Scope::Runtime);
        }
        for dep in local.optional_dependencies.values().flatten() {
            declare(&mut declared, &dep.name, Scope::Optional);
        }
        for (group, deps) in &local.dev_dependencies {
            let scope = if group == "test" || group == "tests" {
                Scope::Test
            } else {
                Scope::Dev
            };
            for dep in deps {
                declare(&mut declared, &dep.name, scope);
            }
        }
    }

    let mut out = Collector::new(path, LockFileKind::UvLock);
    for spanned in &lock.package {
        let pkg = spanned.get_ref();
        if pkg.is_local() {
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
        let scope = declared.get(name.get_ref().as_str()).copied();
        out.add(
            Entry::new(name.get_ref().clone(), version.clone(), line, column)
                .scope(scope.unwrap_or(Scope::Unknown))
                .direct((!locals.is_empty()).then_some(scope.is_some())),
        );
    }
    Ok(out.finish())
}
