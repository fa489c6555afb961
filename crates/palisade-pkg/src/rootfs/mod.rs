//! Installed packages in a root filesystem: an image's layers merged as the container sees them.
//!
//! The image walker asks [`interest`] which files matter, hands them to a [`FileIndex`] layer by
//! layer (with the deletions of later layers), and [`catalog`] then reads what survived:
//!
//! - the operating system (`os-release`, else `debian_version` / `alpine-release`);
//! - OS packages from `var/lib/dpkg/status` (and distroless `status.d/`),
//!   `lib/apk/db/installed` and `var/lib/rpm/rpmdb.sqlite`, with their source package, which distribution advisories name;
//! - language packages installed in the image: Python `*.dist-info/METADATA` and
//!   `*.egg-info/PKG-INFO`, `node_modules/**/package.json`, Ruby `specifications/*.gemspec`,
//!   Composer `vendor/composer/installed.json`;
//! - Go binaries' embedded build information (modules and the Go standard library), Rust
//!   binaries' `cargo auditable` data, Maven metadata in Java archives (nested ones too);
//! - lock files left in the image (`Cargo.lock`, `package-lock.json`, `go.mod`, …), minus the
//!   packages an installed copy already reports.
//!
//! Every package carries the layer that put it there. For a package database, which each layer
//! rewrites whole, that is the first layer from which the package at that version stays listed.
//! RPM databases are read in their SQLite form (RPM 4.16+); older formats give a warning.

mod apk;
mod dpkg;
mod gobin;
mod java;
mod language;
mod os;
mod rpm;
mod rustbin;
mod sqlite;

use std::collections::{BTreeMap, HashSet};

use palisade_core::{Ecosystem, Location};

use crate::model::{Package, Scope};
use crate::purl;

pub use os::OsRelease;

/// What the walker should do with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interest {
    Skip,
    /// Keep the contents for [`catalog`].
    Keep,
    /// Look inside it now for embedded build information; nothing else is kept.
    Binary,
}

/// Executables smaller than this carry no Go build information (the runtime alone is larger).
const MIN_GO_BINARY: u64 = 64 * 1024;

/// Paths whose contents are a package database, rewritten whole by each layer that changes it.
fn is_package_database(path: &str) -> bool {
    matches!(path, dpkg::STATUS | apk::INSTALLED)
}

/// Which files of a root filesystem the catalogers read. `path` is relative and normalised.
pub fn interest(path: &str, executable: bool, size: u64) -> Interest {
    if os::is_release_file(path)
        || is_package_database(path)
        || dpkg::is_status_d(path)
        || language::is_metadata(path)
        || lock_file(path).is_some()
    {
        return Interest::Keep;
    }
    if rpm::SQLITE.contains(&path) || rpm::UNSUPPORTED.contains(&path) {
        return Interest::Keep;
    }
    if (executable && size >= MIN_GO_BINARY) || java::is_archive(path) {
        return Interest::Binary;
    }
    Interest::Skip
}

/// Lock files worth reading inside an image: not the ones shipped inside installed packages
/// (whose installed metadata is read instead), and not requirement lists or `pom.xml`, which
/// name ranges rather than what is installed.
fn lock_file(path: &str) -> Option<crate::LockFileKind> {
    use crate::LockFileKind::{MavenPom, Requirements};
    let inside_installed = [
        "node_modules/",
        "site-packages/",
        "dist-packages/",
        "/gems/",
    ]
    .iter()
    .any(|dir| path.contains(dir))
        || path.starts_with("usr/share/");
    if inside_installed {
        return None;
    }
    crate::detect(std::path::Path::new(path))
        .filter(|kind| !matches!(kind, Requirements | MavenPom))
}

#[derive(Debug, Clone)]
struct Kept {
    layer: usize,
    contents: Vec<u8>,
}

/// One layer's version of a package database; `None` where the layer deleted it.
type Version = (usize, Option<Vec<u8>>);

/// The files the catalogers want, as the final root filesystem has them.
#[derive(Debug, Default)]
pub struct FileIndex {
    files: BTreeMap<String, Kept>,
    /// Packages read from binaries and archives when they streamed past.
    binaries: BTreeMap<String, Vec<Package>>,
    /// Every version of each package database, in layer order.
    history: BTreeMap<String, Vec<Version>>,
    warnings: Vec<String>,
}

impl FileIndex {
    pub fn insert(&mut self, path: &str, layer: usize, contents: Vec<u8>) {
        self.binaries.remove(path);
        if is_package_database(path) {
            self.history
                .entry(path.to_string())
                .or_default()
                .push((layer, Some(contents.clone())));
        }
        // Only the presence of a database format that is not read matters (for a warning).
        let contents = if rpm::UNSUPPORTED.contains(&path) {
            Vec::new()
        } else {
            contents
        };
        self.files
            .insert(path.to_string(), Kept { layer, contents });
    }

    /// Reads what a binary or archive says it was built from: Go build information,
    /// cargo-auditable data, Maven metadata in Java archives.
    pub fn insert_binary(&mut self, path: &str, layer: usize, contents: &[u8]) {
        self.files.remove(path);
        self.binaries.remove(path);
        let read = if java::is_archive(path) {
            Some(Ok(java::read(path, layer, contents, &mut self.warnings)))
        } else {
            gobin::read(contents)
                .map(|info| info.map(|info| gobin::packages(path, layer, &info)))
                .or_else(|| rustbin::read(path, layer, contents))
        };
        match read {
            None => {}
            Some(Ok(packages)) => {
                self.binaries.insert(path.to_string(), packages);
            }
            Some(Err(why)) => self.warnings.push(format!("/{path}: {why}")),
        }
    }

    /// A whiteout: `path` and, when it is a directory, everything below it.
    pub fn remove(&mut self, path: &str, layer: usize) {
        self.remove_matching(layer, |p| p == path || is_below(p, path));
    }

    /// An opaque directory: everything below `dir` from earlier layers.
    pub fn remove_dir_contents(&mut self, dir: &str, layer: usize) {
        self.remove_matching(layer, |p| is_below(p, dir));
    }

    fn remove_matching(&mut self, layer: usize, gone: impl Fn(&str) -> bool) {
        self.files.retain(|p, _| !gone(p));
        self.binaries.retain(|p, _| !gone(p));
        for (path, versions) in &mut self.history {
            if gone(path) && versions.last().is_some_and(|(_, c)| c.is_some()) {
                versions.push((layer, None));
            }
        }
    }

    /// The kept contents of `path` and the layer they came from.
    pub fn lookup(&self, path: &str) -> Option<(usize, Vec<u8>)> {
        self.files
            .get(path)
            .map(|kept| (kept.layer, kept.contents.clone()))
    }

    fn text(&self, path: &str) -> Option<(usize, &str)> {
        let kept = self.files.get(path)?;
        let text = std::str::from_utf8(&kept.contents).ok()?;
        Some((kept.layer, text.strip_prefix('\u{feff}').unwrap_or(text)))
    }

    /// Kept files in path order.
    fn files(&self) -> impl Iterator<Item = (&str, usize, &[u8])> {
        self.files
            .iter()
            .map(|(path, kept)| (path.as_str(), kept.layer, kept.contents.as_slice()))
    }
}

fn is_below(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    dir.is_empty()
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// What [`catalog`] found.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub os: Option<OsRelease>,
    /// OS packages first (database order), then language packages and binaries by path.
    pub packages: Vec<Package>,
    /// What could not be read, with the file it is about.
    pub warnings: Vec<String>,
}

/// Reads every package the index holds.
pub fn catalog(index: &FileIndex) -> Catalog {
    let mut catalog = Catalog {
        os: os::detect(index),
        warnings: index.warnings.clone(),
        ..Catalog::default()
    };
    let distro = catalog.os.as_ref().map(os::Distro::of);
    dpkg::catalog(index, distro.as_ref(), &mut catalog);
    apk::catalog(index, distro.as_ref(), &mut catalog);
    rpm::catalog(index, distro.as_ref(), &mut catalog);
    language::catalog(index, &mut catalog);
    for packages in index.binaries.values() {
        catalog.packages.extend(packages.iter().cloned());
    }
    lock_files(index, &mut catalog);
    catalog
}

/// Packages from lock files, except those an installed package already reports.
fn lock_files(index: &FileIndex, catalog: &mut Catalog) {
    let installed: HashSet<(String, String, String)> = catalog
        .packages
        .iter()
        .map(|p| (p.ecosystem.to_string(), p.name.clone(), p.version.clone()))
        .collect();
    for (path, layer, contents) in index.files() {
        let Some(kind) = lock_file(path) else {
            continue;
        };
        match crate::parse(kind, path, contents) {
            Ok(lock) => {
                for warning in &lock.warnings {
                    catalog.warnings.push(format!("/{path}:{warning}"));
                }
                catalog.packages.extend(
                    lock.packages
                        .into_iter()
                        .filter(|p| {
                            !installed.contains(&(
                                p.ecosystem.to_string(),
                                p.name.clone(),
                                p.version.clone(),
                            ))
                        })
                        .map(|p| Package {
                            layer: Some(layer),
                            ..p
                        }),
                );
            }
            Err(err) => catalog
                .warnings
                .push(format!("/{path}:{err} (not read as {kind})")),
        }
    }
}

/// A package installed in the image, as the catalogers here report it.
struct Installed<'a> {
    ecosystem: Ecosystem,
    name: &'a str,
    version: &'a str,
    path: &'a str,
    line: u32,
    layer: usize,
}

impl Installed<'_> {
    fn into_package(self, purl: String) -> Package {
        Package {
            ecosystem: self.ecosystem,
            name: self.name.to_string(),
            version: self.version.to_string(),
            purl,
            location: Location::at(self.path, self.line.max(1), 1),
            scope: Scope::Runtime,
            direct: None,
            pinned: !self.version.is_empty(),
            layer: Some(self.layer),
            source_name: None,
            source_version: None,
        }
    }

    /// With the ecosystem's usual purl.
    fn package(self) -> Package {
        let purl = purl::for_package(&self.ecosystem, self.name, Some(self.version));
        self.into_package(purl)
    }
}

/// For a package in the final version of the package database at `path`: the first layer from
/// which every later version still lists it at that version — the layer that installed or last
/// upgraded it. `listed` reads one version of the database into `(name, version)` pairs.
fn installed_since(
    index: &FileIndex,
    path: &str,
    listed: impl Fn(&str) -> HashSet<(String, String)>,
) -> impl Fn(&str, &str) -> Option<usize> {
    let versions: Vec<(usize, HashSet<(String, String)>)> = index
        .history
        .get(path)
        .into_iter()
        .flatten()
        .map(|(layer, contents)| {
            let text = contents
                .as_deref()
                .and_then(|c| std::str::from_utf8(c).ok());
            (*layer, text.map(&listed).unwrap_or_default())
        })
        .collect();
    move |name: &str, version: &str| {
        let key = (name.to_string(), version.to_string());
        versions
            .iter()
            .rev()
            .take_while(|(_, listed)| listed.contains(&key))
            .last()
            .map(|(layer, _)| *layer)
    }
}

/// One RFC 822-style paragraph of `Key: value` fields (dpkg status, apk installed, Python
/// metadata), each with its 1-based line.
struct Paragraph<'a> {
    line: u32,
    fields: Vec<(&'a str, &'a str, u32)>,
}

impl<'a> Paragraph<'a> {
    /// The first non-empty value of the field `name` (case matters: apk's `P` and `p` differ).
    fn get(&self, name: &str) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(key, value, _)| *key == name && !value.is_empty())
            .map(|(_, value, _)| *value)
    }

    /// The line of the field `name`, else the paragraph's first line.
    fn line_of(&self, name: &str) -> u32 {
        self.fields
            .iter()
            .find(|(key, _, _)| *key == name)
            .map_or(self.line, |(_, _, line)| *line)
    }
}

/// Splits text into paragraphs at blank lines. Continuation lines (leading white space) are
/// dropped: no field the catalogers read spans lines. (apk's one-letter keys use `:` too.)
fn paragraphs(text: &str) -> Vec<Paragraph<'_>> {
    let mut out = Vec::new();
    let mut current: Option<Paragraph<'_>> = None;
    for (index, line) in text.lines().enumerate() {
        let line_no = crate::text::to_u32(index + 1);
        if line.trim().is_empty() {
            out.extend(current.take());
            continue;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            current
                .get_or_insert_with(|| Paragraph {
                    line: line_no,
                    fields: Vec::new(),
                })
                .fields
                .push((key.trim(), value.trim(), line_no));
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests;
