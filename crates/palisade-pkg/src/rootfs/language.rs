//! Language packages installed in a root filesystem, read from the metadata their installers
//! leave: pip's `METADATA`/`PKG-INFO`, npm's `node_modules/**/package.json`, RubyGems'
//! `specifications/*.gemspec`, Composer's `vendor/composer/installed.json`.

use palisade_core::Ecosystem;

use super::{Catalog, FileIndex, Installed, paragraphs};
use crate::LockFileKind;
use crate::json;
use crate::text::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Metadata {
    Python,
    Node,
    Gem,
    Composer,
}

fn kind(path: &str) -> Option<Metadata> {
    if path.ends_with(".dist-info/METADATA")
        || path.ends_with(".egg-info/PKG-INFO")
        || path.ends_with(".egg-info")
    {
        return Some(Metadata::Python);
    }
    if is_node_package(path) {
        return Some(Metadata::Node);
    }
    if path.ends_with(".gemspec")
        && path
            .rsplit('/')
            .nth(1)
            .is_some_and(|dir| dir == "specifications")
    {
        return Some(Metadata::Gem);
    }
    if path.ends_with("vendor/composer/installed.json") {
        return Some(Metadata::Composer);
    }
    None
}

pub(super) fn is_metadata(path: &str) -> bool {
    kind(path).is_some()
}

/// `…/node_modules/name/package.json` or `…/node_modules/@scope/name/package.json`: a package's
/// own manifest, not one of the many `package.json` files inside its source tree.
fn is_node_package(path: &str) -> bool {
    let Some(dir) = path.strip_suffix("/package.json") else {
        return false;
    };
    let Some((parent, name)) = dir.rsplit_once('/') else {
        return false;
    };
    if name.starts_with('.') {
        return false;
    }
    parent.ends_with("node_modules")
        || parent
            .rsplit_once('/')
            .is_some_and(|(grand, scope)| scope.starts_with('@') && grand.ends_with("node_modules"))
}

pub(super) fn catalog(index: &FileIndex, catalog: &mut Catalog) {
    for (path, layer, contents) in index.files() {
        let Some(kind) = kind(path) else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(contents) else {
            catalog
                .warnings
                .push(format!("/{path}: not valid UTF-8; not read"));
            continue;
        };
        let found = match kind {
            Metadata::Python => python(text),
            Metadata::Node => node(text),
            Metadata::Gem => gem(path, text),
            Metadata::Composer => {
                composer(path, layer, contents, catalog);
                continue;
            }
        };
        let ecosystem = match kind {
            Metadata::Python => Ecosystem::PyPI,
            Metadata::Node => Ecosystem::Npm,
            Metadata::Gem => Ecosystem::RubyGems,
            Metadata::Composer => Ecosystem::Packagist,
        };
        match found {
            Some((name, version, line)) => catalog.packages.push(
                Installed {
                    ecosystem,
                    name: &name,
                    version: &version,
                    path,
                    line,
                    layer,
                }
                .package(),
            ),
            None => catalog.warnings.push(format!(
                "/{path}: no package name and version found; skipped"
            )),
        }
    }
}

/// `Name:` and `Version:` of core metadata; the line is the `Name:` line.
fn python(text: &str) -> Option<(String, String, u32)> {
    let headers = paragraphs(text).into_iter().next()?;
    Some((
        headers.get("Name")?.to_string(),
        headers.get("Version")?.to_string(),
        headers.line_of("Name"),
    ))
}

fn node(text: &str) -> Option<(String, String, u32)> {
    let lines = LineIndex::new(text);
    let root = json::parse(text, &lines).ok()?;
    let name = root.members().iter().find(|m| m.key == "name")?;
    Some((
        name.value.as_str()?.to_string(),
        root.str_of("version")?.to_string(),
        lines.line(name.key_offset),
    ))
}

/// RubyGems writes `s.name = "rake".freeze` and `s.version = "13.0.6"`; the file name
/// (`rake-13.0.6.gemspec`) is the fallback.
fn gem(path: &str, text: &str) -> Option<(String, String, u32)> {
    let assigned = |field: &str| {
        text.lines().enumerate().find_map(|(index, line)| {
            let (lhs, rhs) = line.split_once('=')?;
            if !lhs.trim_end().ends_with(field) || !lhs.contains('.') {
                return None;
            }
            let value = rhs.trim_start().strip_prefix('"')?.split('"').next()?;
            Some((value, crate::text::to_u32(index + 1)))
        })
    };
    if let (Some((name, line)), Some((version, _))) = (assigned(".name"), assigned(".version")) {
        return Some((name.to_string(), version.to_string(), line));
    }
    let stem = path.rsplit('/').next()?.strip_suffix(".gemspec")?;
    let (name, version) = stem.rsplit_once('-')?;
    version
        .starts_with(|c: char| c.is_ascii_digit())
        .then(|| (name.to_string(), version.to_string(), 1))
}

/// Composer 2's `installed.json` has the shape of `composer.lock`'s `packages` array.
fn composer(path: &str, layer: usize, contents: &[u8], catalog: &mut Catalog) {
    match crate::parse(LockFileKind::ComposerLock, path, contents) {
        Ok(lock) => {
            catalog
                .packages
                .extend(lock.packages.into_iter().map(|p| crate::model::Package {
                    layer: Some(layer),
                    ..p
                }));
        }
        Err(err) => catalog.warnings.push(format!(
            "/{path}:{err} (Composer 1 installed.json files are not read)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_package_manifests_only() {
        assert!(is_node_package("app/node_modules/lodash/package.json"));
        assert!(is_node_package("app/node_modules/@babel/core/package.json"));
        assert!(is_node_package(
            "app/node_modules/a/node_modules/b/package.json"
        ));
        assert!(!is_node_package("app/package.json"));
        assert!(!is_node_package(
            "app/node_modules/lodash/test/package.json"
        ));
        assert!(!is_node_package("app/node_modules/.bin/package.json"));
    }

    #[test]
    fn gemspec_from_contents_or_file_name() {
        let spec = "Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"2.2.3\"\nend\n";
        assert_eq!(
            gem(
                "usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.3.gemspec",
                spec
            ),
            Some(("rack".into(), "2.2.3".into(), 2))
        );
        assert_eq!(
            gem("x/specifications/net-http-0.4.1.gemspec", "garbage"),
            Some(("net-http".into(), "0.4.1".into(), 1))
        );
    }

    #[test]
    fn python_core_metadata() {
        let text =
            "Metadata-Version: 2.1\nName: Jinja2\nVersion: 2.10\n\nLong description\nName: no\n";
        assert_eq!(python(text), Some(("Jinja2".into(), "2.10".into(), 2)));
        assert_eq!(python("Metadata-Version: 2.1\n"), None);
    }
}
