//! `pnpm-lock.yaml`, lockfile versions 5, 6 and 9.
//!
//! Package keys by version: v5 `/name/1.0.0_peer@2.0.0`, v6 `/name@1.0.0(peer@2.0.0)`,
//! v9 `name@1.0.0` (peer variants only under `snapshots`). Peer variants of one package are
//! reported once. v5 and v6 mark each package `dev: true|false` and `optional: true`; v9 does
//! not, so a v9 package's scope is known only when the project declares it directly.
//! Direct dependencies come from the top-level `dependencies` maps (single project, v5/v6) or
//! from every importer (workspaces, and all v9 files).

use std::collections::HashMap;

use crate::collect::{Collector, Entry};
use crate::formats::npm::is_exact_version;
use crate::model::{LockFile, LockFileKind, ParseError, Scope};
use crate::yaml::{self, YNode, YValue};

const DECLARING_FIELDS: [(&str, Scope); 3] = [
    ("dependencies", Scope::Runtime),
    ("optionalDependencies", Scope::Optional),
    ("devDependencies", Scope::Dev),
];

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let docs = yaml::parse_documents(text)?;
    let mut out = Collector::new(path, LockFileKind::PnpmLock).deduplicating();
    // pnpm 9.7+ may put an environment lockfile first; the project's lockfile is the one with
    // packages or importers.
    let Some(root) = docs
        .iter()
        .rev()
        .find(|d| d.get("packages").is_some() || d.get("importers").is_some())
        .or_else(|| docs.last())
    else {
        return Ok(out.finish());
    };
    if !matches!(root.value, YValue::Map(_)) {
        return Err(ParseError::new(
            root.line,
            root.column,
            "expected a mapping at the top level",
        ));
    }
    let major = root
        .str_of("lockfileVersion")
        .and_then(|v| v.trim_matches('\'').split('.').next()?.parse::<u32>().ok())
        .unwrap_or(9);

    let direct = declared(root, major);
    let Some(packages) = root.get("packages") else {
        return Ok(out.finish());
    };
    for (key, key_node, entry) in packages.entries() {
        let line = key_node.line;
        let parsed = if major < 6 {
            parse_v5_key(key)
        } else {
            parse_key(key)
        };
        // Tarball and git entries carry their own name and version.
        let name = entry.str_of("name").or(parsed.map(|p| p.0));
        let version = entry.str_of("version").or(parsed.map(|p| p.1));
        let (Some(name), Some(version)) = (name, version) else {
            out.warn(
                line,
                format!("cannot read name and version from {key:?}; skipped"),
            );
            continue;
        };
        if version.starts_with("file:") || version.starts_with("link:") {
            continue;
        }
        let declared_scope = direct.get(&(name, strip_peers(version)));
        let scope = match (entry.flag("optional"), entry.flag("dev")) {
            (Some(true), _) => Scope::Optional,
            (_, Some(true)) => Scope::Dev,
            (_, Some(false)) => Scope::Runtime,
            _ => declared_scope.copied().unwrap_or(Scope::Unknown),
        };
        out.add(
            Entry::new(name, version, line, key_node.column)
                .scope(scope)
                .direct(Some(declared_scope.is_some()))
                .pinned(is_exact_version(version)),
        );
    }
    Ok(out.finish())
}

/// (name, version) of every package an importer declares, with the widest declared scope.
fn declared<'a>(root: &'a YNode<'a>, major: u32) -> HashMap<(&'a str, &'a str), Scope> {
    let mut found: HashMap<(&str, &str), Scope> = HashMap::new();
    let importers = root.get("importers");
    let projects = importers
        .into_iter()
        .flat_map(|i| i.entries().map(|(_, _, project)| project))
        .chain(importers.is_none().then_some(root));
    for project in projects {
        for (field, scope) in DECLARING_FIELDS {
            let Some(deps) = project.get(field) else {
                continue;
            };
            for (dep_name, _, spec) in deps.entries() {
                // v5: `name: version`; v6 and v9: `name: {specifier, version}`.
                let Some(version) = spec.as_str().or_else(|| spec.str_of("version")) else {
                    continue;
                };
                let Some(id) = resolve_declared(dep_name, version, major) else {
                    continue;
                };
                found
                    .entry(id)
                    .and_modify(|s| {
                        if scope == Scope::Runtime || (scope == Scope::Optional && *s == Scope::Dev)
                        {
                            *s = scope;
                        }
                    })
                    .or_insert(scope);
            }
        }
    }
    found
}

/// The package an importer's version value points at: a plain version of `dep_name`, or a
/// package key (aliases and non-registry sources).
fn resolve_declared<'a>(
    dep_name: &'a str,
    version: &'a str,
    major: u32,
) -> Option<(&'a str, &'a str)> {
    if is_exact_version(version) {
        return Some((dep_name, strip_peers(version)));
    }
    if version.starts_with("link:") || version.starts_with("file:") {
        return None;
    }
    let (name, version) = if major < 6 && version.starts_with('/') {
        parse_v5_key(version)?
    } else {
        parse_key(version)?
    };
    Some((name, strip_peers(version)))
}

/// Drops a peer suffix: `1.0.0(react@18.0.0)` or (v5) `1.0.0_react@18.0.0`.
fn strip_peers(version: &str) -> &str {
    let end = version.find(['(', '_']).unwrap_or(version.len());
    &version[..end]
}

/// v6/v9 keys: `/name@1.0.0(peer@1)`, `@scope/name@1.0.0`, `name@1.0.0`.
fn parse_key(key: &str) -> Option<(&str, &str)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = &key[..key.find('(').unwrap_or(key.len())];
    let at = key.get(1..)?.find('@')? + 1;
    let (name, version) = (&key[..at], &key[at + 1..]);
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

/// v5 keys: `/name/1.0.0`, `/@scope/name/1.0.0_peer@2.0.0`, or with a registry host first.
fn parse_v5_key(key: &str) -> Option<(&str, &str)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    let mut parts = key.rsplitn(4, '/');
    let raw_version = parts.next()?;
    let base = parts.next()?;
    let name_end = key.len() - raw_version.len() - 1;
    let name_start = match parts.next() {
        Some(scope) if scope.starts_with('@') => name_end - base.len() - 1 - scope.len(),
        _ => name_end - base.len(),
    };
    let (name, version) = (&key[name_start..name_end], strip_peers(raw_version));
    (!base.is_empty() && !version.is_empty()).then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_v6_and_v9_keys() {
        assert_eq!(parse_key("/lodash@4.17.15"), Some(("lodash", "4.17.15")));
        assert_eq!(
            parse_key("/@babel/core@7.22.0(supports-color@5.5.0)"),
            Some(("@babel/core", "7.22.0"))
        );
        assert_eq!(
            parse_key("react-dom@18.2.0(react@18.2.0)"),
            Some(("react-dom", "18.2.0"))
        );
        assert_eq!(
            parse_key("@types/node@20.1.0"),
            Some(("@types/node", "20.1.0"))
        );
        assert_eq!(parse_key("noversion"), None);
        assert_eq!(parse_key("x@"), None);
    }

    #[test]
    fn parses_v5_keys() {
        assert_eq!(parse_v5_key("/lodash/4.17.15"), Some(("lodash", "4.17.15")));
        assert_eq!(
            parse_v5_key("/@babel/core/7.12.3_supports-color@5.5.0"),
            Some(("@babel/core", "7.12.3"))
        );
        assert_eq!(
            parse_v5_key("registry.example.com/@s/p/1.0.0"),
            Some(("@s/p", "1.0.0"))
        );
        assert_eq!(
            parse_v5_key("registry.example.com/p/1.0.0"),
            Some(("p", "1.0.0"))
        );
        assert_eq!(parse_v5_key("/x"), None);
    }

    #[test]
    fn strips_peer_suffixes() {
        assert_eq!(strip_peers("1.0.0(a@1)(b@2)"), "1.0.0");
        assert_eq!(strip_peers("17.0.2_react@17.0.2"), "17.0.2");
        assert_eq!(strip_peers("1.0.0"), "1.0.0");
    }
}
