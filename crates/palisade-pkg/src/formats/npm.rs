//! npm `package-lock.json` and `npm-shrinkwrap.json`.
//!
//! Lockfile v2 and v3 list every installed package under `packages`, keyed by install path
//! (`node_modules/a/node_modules/@s/b`); the root `""` and workspace folders are the project's
//! own packages, whose declared dependencies make a package at their top level direct. v1 has
//! only the nested `dependencies` tree and no record of what the root declares, so `direct` is
//! unknown there. `dev`, `optional` and `devOptional` flags give the scope; a package without
//! them is a production (runtime) dependency. Copies of one name and version at several paths
//! are reported once, at the first path.

use std::collections::{HashMap, HashSet};

use crate::collect::{Collector, Entry};
use crate::json::{self, Node};
use crate::model::{LockFile, LockFileKind, ParseError, Scope};
use crate::text::LineIndex;

const NODE_MODULES: &str = "node_modules/";
const DECLARING_FIELDS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let lines = LineIndex::new(text);
    let root = json::parse(text, &lines)?;
    if !root.is_object() {
        return Err(lines.error(root.offset, "expected a JSON object at the top level"));
    }
    let mut out = Collector::new(path, LockFileKind::NpmPackageLock).deduplicating();
    if let Some(packages) = root.get("packages") {
        packages_section(packages, &lines, &mut out);
    } else if let Some(deps) = root.get("dependencies") {
        legacy_tree(deps, &lines, &mut out);
    }
    Ok(out.finish())
}

/// The scope the entry's flags give.
fn scope_of(entry: &Node<'_>) -> Scope {
    if entry.flag("optional") || entry.flag("devOptional") {
        Scope::Optional
    } else if entry.flag("dev") {
        Scope::Dev
    } else {
        Scope::Runtime
    }
}

/// Whether an npm version string is one exact registry version rather than a git, file or URL
/// specifier.
pub(crate) fn is_exact_version(version: &str) -> bool {
    version.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// `npm:real-name@1.2.3` → (`real-name`, `1.2.3`).
pub(crate) fn split_alias(version: &str) -> Option<(&str, &str)> {
    let spec = version.strip_prefix("npm:")?;
    let at = spec.get(1..)?.find('@')? + 1;
    Some((&spec[..at], &spec[at + 1..]))
}

fn packages_section(packages: &Node<'_>, lines: &LineIndex<'_>, out: &mut Collector<'_>) {
    // Install-path prefix of each local package → names it declares.
    let mut declared: HashMap<&str, HashSet<&str>> = HashMap::new();
    for member in packages.members() {
        if member.key.contains(NODE_MODULES) {
            continue;
        }
        let names = declared.entry(member.key.as_ref()).or_default();
        for field in DECLARING_FIELDS {
            if let Some(deps) = member.value.get(field) {
                names.extend(deps.members().iter().map(|d| d.key.as_ref()));
            }
        }
    }

    let keys: HashSet<&str> = packages.members().iter().map(|m| m.key.as_ref()).collect();
    for member in packages.members() {
        let key = member.key.as_ref();
        let Some(split) = key.rfind(NODE_MODULES) else {
            continue;
        };
        let entry = &member.value;
        let (line, column) = lines.line_col(member.key_offset);
        if !entry.is_object() {
            out.warn(line, format!("entry {key:?} is not an object; skipped"));
            continue;
        }
        if entry.flag("link") {
            continue;
        }
        let install_name = &key[split + NODE_MODULES.len()..];
        let parent = key[..split].trim_end_matches('/');
        let Some(version) = entry.str_of("version") else {
            out.warn(line, format!("package {key:?} has no version; skipped"));
            continue;
        };
        let (name, version) = match (entry.str_of("name"), split_alias(version)) {
            (_, Some((real, v))) => (real, v),
            (Some(name), None) => (name, version),
            (None, None) => (install_name, version),
        };
        if version.starts_with("file:") {
            continue;
        }
        let direct = is_declared(&declared, &keys, parent, install_name);
        out.add(
            Entry::new(name, version, line, column)
                .scope(scope_of(entry))
                .direct(Some(direct))
                .pinned(is_exact_version(version)),
        );
    }
}

/// Whether the package installed as `install_name` under `parent` is declared by a local
/// package. A workspace member's dependencies are hoisted to the root `node_modules` unless the
/// member needs its own copy.
fn is_declared(
    declared: &HashMap<&str, HashSet<&str>>,
    keys: &HashSet<&str>,
    parent: &str,
    install_name: &str,
) -> bool {
    let declares = |local: &str| {
        declared
            .get(local)
            .is_some_and(|names| names.contains(install_name))
    };
    if declares(parent) {
        return true;
    }
    parent.is_empty()
        && declared.keys().any(|&local| {
            !local.is_empty()
                && declares(local)
                && !keys.contains(format!("{local}/{NODE_MODULES}{install_name}").as_str())
        })
}

/// Lockfile v1: `dependencies` nested by install location. Depth is bounded by the JSON
/// parser's nesting limit.
fn legacy_tree(deps: &Node<'_>, lines: &LineIndex<'_>, out: &mut Collector<'_>) {
    for member in deps.members() {
        let entry = &member.value;
        let (line, column) = lines.line_col(member.key_offset);
        if !entry.is_object() {
            out.warn(
                line,
                format!("entry {:?} is not an object; skipped", member.key),
            );
            continue;
        }
        match entry.str_of("version") {
            None => out.warn(
                line,
                format!("package {:?} has no version; skipped", member.key),
            ),
            Some(version) if version.starts_with("file:") => {}
            Some(version) => {
                let (name, version) = split_alias(version).unwrap_or((&member.key, version));
                out.add(
                    Entry::new(name, version, line, column)
                        .scope(scope_of(entry))
                        .pinned(is_exact_version(version)),
                );
            }
        }
        if let Some(nested) = entry.get("dependencies") {
            legacy_tree(nested, lines, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_aliases() {
        assert_eq!(
            split_alias("npm:string-width@4.2.3"),
            Some(("string-width", "4.2.3"))
        );
        assert_eq!(
            split_alias("npm:@types/node@18.0.0"),
            Some(("@types/node", "18.0.0"))
        );
        assert_eq!(split_alias("4.2.3"), None);
        assert_eq!(split_alias("npm:"), None);
        assert_eq!(split_alias("npm:@"), None);
    }

    #[test]
    fn exact_versions() {
        assert!(is_exact_version("1.2.3"));
        assert!(!is_exact_version("github:a/b#c"));
        assert!(!is_exact_version(""));
    }
}
