//! Java archives (`.jar`, `.war`, `.ear`): the Maven coordinates their build left inside
//! (`META-INF/maven/<group>/<artifact>/pom.properties`), one package per properties file (a
//! shaded jar carries several), and the same for archives nested inside (Spring Boot's
//! `BOOT-INF/lib/`, a war's `WEB-INF/lib/`). An archive without Maven metadata is listed from
//! its manifest (`Implementation-Title`/`-Version`, `Bundle-SymbolicName`/`Bundle-Version`) or
//! its file name, but cannot be matched: Maven advisories need the group id.

use std::io::{Cursor, Read};

use palisade_core::Ecosystem;

use super::Installed;
use crate::model::Package;

/// Nested archives deeper than this are not opened (a jar of jars of jars is already rare).
const MAX_DEPTH: usize = 3;
/// Nested archives larger than this (uncompressed) are not read into memory.
const MAX_NESTED: u64 = 256 * 1024 * 1024;

pub(super) fn is_archive(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jar", ".war", ".ear", ".jpi", ".hpi"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The packages in the archive at `path`; warnings for what could not be read.
pub(super) fn read(
    path: &str,
    layer: usize,
    contents: &[u8],
    warnings: &mut Vec<String>,
) -> Vec<Package> {
    let mut out = Vec::new();
    walk(path, layer, contents, 0, &mut out, warnings);
    out
}

fn walk(
    path: &str,
    layer: usize,
    contents: &[u8],
    depth: usize,
    out: &mut Vec<Package>,
    warnings: &mut Vec<String>,
) {
    let mut archive = match zip::ZipArchive::new(Cursor::new(contents)) {
        Ok(archive) => archive,
        Err(err) => {
            warnings.push(format!("/{path}: not a readable Java archive ({err})"));
            return;
        }
    };
    let mut found_maven = false;
    let mut manifest = None;
    let mut nested = Vec::new();
    for index in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(index) else {
            continue;
        };
        let name = entry.name().to_string();
        let wanted = is_pom_properties(&name)
            || name.eq_ignore_ascii_case("META-INF/MANIFEST.MF")
            || (is_archive(&name) && depth < MAX_DEPTH && entry.size() <= MAX_NESTED);
        if !wanted || entry.is_dir() {
            continue;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 24));
        if let Err(err) = entry.read_to_end(&mut bytes) {
            warnings.push(format!("/{path}!/{name}: {err}"));
            continue;
        }
        if is_pom_properties(&name) {
            if let Some((group, artifact, version)) =
                pom_properties(&String::from_utf8_lossy(&bytes))
            {
                found_maven = true;
                out.push(maven(
                    path,
                    layer,
                    &format!("{group}:{artifact}"),
                    &version,
                    true,
                ));
            }
        } else if is_archive(&name) {
            nested.push((name, bytes));
        } else {
            manifest = Some(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    if !found_maven {
        let from_name = file_name_coordinates(path);
        let (name, version) = manifest
            .as_deref()
            .and_then(manifest_coordinates)
            .or(from_name)
            .unwrap_or_default();
        if !name.is_empty() {
            out.push(maven(path, layer, &name, &version, false));
        }
    }
    for (name, bytes) in nested {
        walk(
            &format!("{path}!/{name}"),
            layer,
            &bytes,
            depth + 1,
            out,
            warnings,
        );
    }
}

fn maven(path: &str, layer: usize, name: &str, version: &str, matchable: bool) -> Package {
    let mut package = Installed {
        ecosystem: Ecosystem::Maven,
        name,
        version,
        path,
        line: 1,
        layer,
    }
    .package();
    package.pinned &= matchable;
    package
}

fn is_pom_properties(name: &str) -> bool {
    name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties")
}

/// `groupId`, `artifactId` and `version` of a `pom.properties` (Java properties syntax).
fn pom_properties(text: &str) -> Option<(String, String, String)> {
    let mut group = None;
    let mut artifact = None;
    let mut version = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with(['#', '!']) {
            continue;
        }
        let Some((key, value)) = line.split_once(['=', ':']) else {
            continue;
        };
        let value = value.trim().to_string();
        match key.trim() {
            "groupId" => group = Some(value),
            "artifactId" => artifact = Some(value),
            "version" => version = Some(value),
            _ => {}
        }
    }
    Some((group?, artifact?, version?))
        .filter(|(g, a, v)| !g.is_empty() && !a.is_empty() && !v.is_empty())
}

/// Name and version from `MANIFEST.MF` (continuation lines start with a space).
fn manifest_coordinates(text: &str) -> Option<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix(' ') {
            if let Some((_, value)) = fields.last_mut() {
                value.push_str(rest);
            }
        } else if let Some((key, value)) = line.split_once(':') {
            fields.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    let get = |key: &str| {
        fields
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(key) && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    let name = get("Implementation-Title").or_else(|| {
        // `org.example.lib;singleton:=true`
        get("Bundle-SymbolicName").map(|n| n.split(';').next().unwrap_or_default().to_string())
    })?;
    let version = get("Implementation-Version").or_else(|| get("Bundle-Version"))?;
    Some((name, version))
}

/// `commons-text-1.9.jar` → (`commons-text`, `1.9`).
fn file_name_coordinates(path: &str) -> Option<(String, String)> {
    let file = path.rsplit(['/', '!']).next()?;
    let stem = file.rsplit_once('.')?.0;
    let split = stem
        .match_indices('-')
        .find(|(at, _)| stem[at + 1..].starts_with(|c: char| c.is_ascii_digit()))?
        .0;
    Some((stem[..split].to_string(), stem[split + 1..].to_string()))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn jar(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn maven_coordinates_shaded_and_nested() {
        let log4j = jar(&[(
            "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
            b"#Generated by Maven\ngroupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n",
        )]);
        let bare = jar(&[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\nImplementation-Title: internal-util\nImplementation-Version: 3.2\n")]);
        let app = jar(&[
            (
                "META-INF/maven/com.example/app/pom.properties",
                b"groupId=com.example\nartifactId=app\nversion=1.0.0\n",
            ),
            (
                "META-INF/maven/com.google.guava/guava/pom.properties",
                b"groupId=com.google.guava\nartifactId=guava\nversion=29.0-jre\n",
            ),
            ("BOOT-INF/lib/log4j-core-2.14.1.jar", &log4j),
            ("BOOT-INF/lib/internal-util.jar", &bare),
        ]);
        let mut warnings = Vec::new();
        let packages = read("srv/app.jar", 2, &app, &mut warnings);
        let listed: Vec<(&str, &str, &str, bool)> = packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.location.path.as_str(),
                    p.pinned,
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                ("com.example:app", "1.0.0", "srv/app.jar", true),
                ("com.google.guava:guava", "29.0-jre", "srv/app.jar", true),
                (
                    "org.apache.logging.log4j:log4j-core",
                    "2.14.1",
                    "srv/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar",
                    true
                ),
                (
                    "internal-util",
                    "3.2",
                    "srv/app.jar!/BOOT-INF/lib/internal-util.jar",
                    false
                ),
            ]
        );
        assert_eq!(
            packages[2].purl,
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        );
        assert!(warnings.is_empty());
        assert!(packages.iter().all(|p| p.layer == Some(2)));
    }

    #[test]
    fn names_from_files_and_broken_archives() {
        assert_eq!(
            file_name_coordinates("lib/commons-text-1.9.jar"),
            Some(("commons-text".into(), "1.9".into()))
        );
        assert_eq!(file_name_coordinates("lib/app.jar"), None);
        let mut warnings = Vec::new();
        assert!(read("x.jar", 0, b"not a zip", &mut warnings).is_empty());
        assert_eq!(warnings.len(), 1);
    }
}
