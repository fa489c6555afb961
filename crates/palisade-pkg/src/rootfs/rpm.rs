//! RPM packages (AlmaLinux, Rocky Linux, RHEL, Fedora, …) from the SQLite package database
//! (`var/lib/rpm/rpmdb.sqlite`, `usr/lib/sysimage/rpm/rpmdb.sqlite`; RPM ≥ 4.16). Each row of
//! its `Packages` table is an RPM header blob: an index of (tag, type, offset, count) entries
//! over a data store. The Berkeley DB (`Packages`) and NDB (`Packages.db`) formats of older
//! releases are recognised and reported as not read.
//!
//! Versions are reported as RPM advisories write them: `[epoch:]version-release`. AlmaLinux
//! and Rocky advisories name binary packages, so no source package is recorded (it would
//! redirect matching to the source RPM's name).

use palisade_core::Ecosystem;

use super::os::Distro;
use super::sqlite::{Database, Value};
use super::{Catalog, FileIndex, Installed};
use crate::purl;

pub(super) const SQLITE: [&str; 2] = [
    "var/lib/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
];
pub(super) const UNSUPPORTED: [&str; 3] = [
    "var/lib/rpm/Packages",
    "var/lib/rpm/Packages.db",
    "usr/lib/sysimage/rpm/Packages.db",
];

const TAG_NAME: u32 = 1000;
const TAG_VERSION: u32 = 1001;
const TAG_RELEASE: u32 = 1002;
const TAG_EPOCH: u32 = 1003;
const TAG_ARCH: u32 = 1022;
const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
/// Headers with more entries than this are not real package headers.
const MAX_ENTRIES: usize = 100_000;

/// The fields of one installed package.
#[derive(Debug, Default, PartialEq, Eq)]
struct Header {
    name: String,
    version: String,
    release: String,
    epoch: Option<u32>,
    arch: String,
}

impl Header {
    fn full_version(&self) -> String {
        match self.epoch {
            Some(epoch) if epoch > 0 => format!("{epoch}:{}-{}", self.version, self.release),
            _ => format!("{}-{}", self.version, self.release),
        }
    }
}

/// Reads an RPM header blob as stored in the database (no lead, no magic).
fn header(blob: &[u8]) -> Option<Header> {
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(blob.get(at..at + 4)?.try_into().ok()?))
    };
    let entries = usize::try_from(be32(0)?).ok()?;
    let data_len = usize::try_from(be32(4)?).ok()?;
    if entries > MAX_ENTRIES {
        return None;
    }
    let store_at = 8 + entries * 16;
    let store = blob.get(store_at..store_at.checked_add(data_len)?)?;
    let mut out = Header::default();
    for i in 0..entries {
        let at = 8 + i * 16;
        let (tag, kind) = (be32(at)?, be32(at + 4)?);
        let offset = usize::try_from(be32(at + 8)?).ok()?;
        let string = || -> Option<String> {
            let rest = store.get(offset..)?;
            let end = rest.iter().position(|&b| b == 0)?;
            Some(String::from_utf8_lossy(&rest[..end]).into_owned())
        };
        match (tag, kind) {
            (TAG_NAME, TYPE_STRING) => out.name = string()?,
            (TAG_VERSION, TYPE_STRING) => out.version = string()?,
            (TAG_RELEASE, TYPE_STRING) => out.release = string()?,
            (TAG_ARCH, TYPE_STRING) => out.arch = string()?,
            (TAG_EPOCH, TYPE_INT32) => {
                out.epoch = store
                    .get(offset..offset + 4)
                    .and_then(|raw| raw.try_into().ok())
                    .map(u32::from_be_bytes);
            }
            _ => {}
        }
    }
    (!out.name.is_empty() && !out.version.is_empty()).then_some(out)
}

pub(super) fn catalog(index: &FileIndex, distro: Option<&Distro>, catalog: &mut Catalog) {
    for path in UNSUPPORTED.iter().filter(|p| index.files.contains_key(**p)) {
        catalog.warnings.push(format!(
            "/{path}: Berkeley DB and NDB RPM databases are not read (RPM 4.16+ SQLite ones are); \
             this image's OS packages are not checked"
        ));
    }
    let Some((path, kept)) = SQLITE
        .iter()
        .find_map(|path| index.files.get(*path).map(|kept| (*path, kept)))
    else {
        return;
    };
    let rows = match Database::open(&kept.contents).and_then(|db| db.rows("Packages")) {
        Ok(rows) => rows,
        Err(err) => {
            catalog
                .warnings
                .push(format!("/{path}: cannot read the RPM database: {err}"));
            return;
        }
    };
    let ecosystem = distro.and_then(|d| d.ecosystem.clone()).filter(|e| {
        matches!(
            e,
            Ecosystem::AlmaLinux(_) | Ecosystem::RockyLinux(_) | Ecosystem::RedHat(_)
        )
    });
    if ecosystem.is_none() {
        catalog.warnings.push(format!(
            "/{path}: RPM packages of a distribution without advisories here (supported: \
             AlmaLinux, Rocky Linux); they are listed but not matched"
        ));
    }
    let namespace = distro.map_or("rpm", |d| d.namespace.as_str());
    let qualifier = distro.map_or("", |d| d.qualifier.as_str());
    let mut unreadable = 0;
    for row in rows {
        let Some(header) = row.iter().find_map(|value| match value {
            Value::Blob(blob) => header(blob),
            _ => None,
        }) else {
            unreadable += 1;
            continue;
        };
        // Imported signing keys are recorded as pseudo-packages.
        if header.name == "gpg-pubkey" {
            continue;
        }
        let version = header.full_version();
        let purl = purl::build(
            "rpm",
            Some(namespace),
            &header.name,
            Some(&version),
            &[("arch", header.arch.as_str()), ("distro", qualifier)],
        );
        let mut package = Installed {
            ecosystem: ecosystem.clone().unwrap_or(Ecosystem::RedHat(None)),
            name: &header.name,
            version: &version,
            path,
            line: 1,
            layer: kept.layer,
        }
        .into_package(purl);
        package.pinned = ecosystem.is_some();
        catalog.packages.push(package);
    }
    if unreadable > 0 {
        catalog.warnings.push(format!(
            "/{path}: {unreadable} package header(s) could not be read"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header blob written from the format: index entries, then the data store.
    pub(crate) fn blob(fields: &[(u32, u32, Vec<u8>)]) -> Vec<u8> {
        let mut store = Vec::new();
        let mut index = Vec::new();
        for (tag, kind, data) in fields {
            if *kind == TYPE_INT32 {
                while store.len() % 4 != 0 {
                    store.push(0);
                }
            }
            index.extend_from_slice(&tag.to_be_bytes());
            index.extend_from_slice(&kind.to_be_bytes());
            index.extend_from_slice(&u32::try_from(store.len()).unwrap().to_be_bytes());
            index.extend_from_slice(&1u32.to_be_bytes());
            store.extend_from_slice(data);
        }
        let mut out = Vec::new();
        out.extend_from_slice(&u32::try_from(fields.len()).unwrap().to_be_bytes());
        out.extend_from_slice(&u32::try_from(store.len()).unwrap().to_be_bytes());
        out.extend(index);
        out.extend(store);
        out
    }

    fn text(s: &str) -> Vec<u8> {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        v
    }

    #[test]
    fn header_fields_and_versions() {
        let parsed = header(&blob(&[
            (TAG_NAME, TYPE_STRING, text("openssl-libs")),
            (TAG_VERSION, TYPE_STRING, text("3.0.7")),
            (TAG_RELEASE, TYPE_STRING, text("24.el9")),
            (TAG_EPOCH, TYPE_INT32, 1u32.to_be_bytes().to_vec()),
            (TAG_ARCH, TYPE_STRING, text("x86_64")),
        ]))
        .unwrap();
        assert_eq!(parsed.full_version(), "1:3.0.7-24.el9");
        assert_eq!(parsed.arch, "x86_64");
        assert!(header(b"\xff\xff\xff\xff\0\0\0\0").is_none());
        assert!(header(&[]).is_none());
    }
}
