//! Debian and Ubuntu packages: `var/lib/dpkg/status`, and distroless's one-file-per-package
//! `var/lib/dpkg/status.d/`.

use palisade_core::Ecosystem;

use super::os::Distro;
use super::{Catalog, FileIndex, Installed, Paragraph, installed_since, paragraphs};
use crate::purl;

pub(super) const STATUS: &str = "var/lib/dpkg/status";
const STATUS_D: &str = "var/lib/dpkg/status.d/";

pub(super) fn is_status_d(path: &str) -> bool {
    path.strip_prefix(STATUS_D)
        .is_some_and(|name| !name.contains('/') && !name.ends_with(".md5sums"))
}

/// A binary package as dpkg records it.
struct Record<'a> {
    name: &'a str,
    version: &'a str,
    arch: Option<&'a str>,
    source: Option<&'a str>,
    source_version: Option<&'a str>,
    line: u32,
}

/// The installed packages of a status file. Packages dpkg lists but has not installed
/// (`deinstall ok config-files`, half-installed) are left out.
fn records<'a>(paragraphs: &'a [Paragraph<'a>]) -> impl Iterator<Item = Record<'a>> + 'a {
    paragraphs.iter().filter_map(|p| {
        let installed = p
            .get("Status")
            .is_none_or(|status| status.split_whitespace().nth(2) == Some("installed"));
        if !installed {
            return None;
        }
        let (source, source_version) = match p.get("Source") {
            // `Source: glibc (2.36-9+deb12u4)` when the source version differs.
            Some(source) => match source.split_once('(') {
                Some((name, version)) => (
                    Some(name.trim()),
                    Some(version.trim_end_matches(')').trim()),
                ),
                None => (Some(source), None),
            },
            None => (None, None),
        };
        Some(Record {
            name: p.get("Package")?,
            version: p.get("Version")?,
            arch: p.get("Architecture"),
            source,
            source_version,
            line: p.line_of("Package"),
        })
    })
}

pub(super) fn catalog(index: &FileIndex, distro: Option<&Distro>, catalog: &mut Catalog) {
    let mut files: Vec<&str> = Vec::new();
    if index.files.contains_key(STATUS) {
        files.push(STATUS);
    }
    files.extend(
        index
            .files
            .keys()
            .map(String::as_str)
            .filter(|p| is_status_d(p)),
    );
    if files.is_empty() {
        return;
    }
    let ecosystem = distro
        .and_then(|d| d.ecosystem.clone())
        .filter(|e| matches!(e, Ecosystem::Debian(_) | Ecosystem::Ubuntu(_)))
        .unwrap_or_else(|| {
            catalog.warnings.push(format!(
                "/{STATUS}: dpkg packages but no Debian or Ubuntu release identified; they are \
                 listed but cannot be matched to advisories"
            ));
            Ecosystem::Debian(None)
        });
    for path in files {
        let Some((layer, text)) = index.text(path) else {
            catalog
                .warnings
                .push(format!("/{path}: not valid UTF-8; not read"));
            continue;
        };
        let parsed = paragraphs(text);
        let since = (path == STATUS).then(|| {
            installed_since(index, STATUS, |text| {
                records(&paragraphs(text))
                    .map(|r| (r.name.to_string(), r.version.to_string()))
                    .collect()
            })
        });
        for record in records(&parsed) {
            let layer = since
                .as_ref()
                .and_then(|since| since(record.name, record.version))
                .unwrap_or(layer);
            let purl = purl::build(
                "deb",
                Some(distro.map_or("debian", |d| d.namespace.as_str())),
                record.name,
                Some(record.version),
                &[
                    ("arch", record.arch.unwrap_or_default()),
                    ("distro", distro.map_or("", |d| d.qualifier.as_str())),
                ],
            );
            let mut package = Installed {
                ecosystem: ecosystem.clone(),
                name: record.name,
                version: record.version,
                path,
                line: record.line,
                layer,
            }
            .into_package(purl);
            package.source_name = Some(record.source.unwrap_or(record.name).to_string());
            package.source_version =
                Some(record.source_version.unwrap_or(record.version).to_string());
            catalog.packages.push(package);
        }
    }
}
