//! The local vulnerability database: one file, built from OSV sources, replaced atomically,
//! opened by reading it whole and checking its checksum, queried through a sorted package index
//! (a lookup is a binary search; nothing scans the whole database).

mod aliases;
mod build;
mod codec;
mod format;
mod import;
mod stored;
mod update;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

pub use import::{ImportIssue, ImportReport, IssueKind, SourceReport};
pub use update::{Progress, Stage, UpdateOptions, update, update_with};

use codec::Reader;
use format::{GROUP_INDEX, GROUPS, INDEX, KEYS, POSTINGS, RECORD_INDEX, RECORDS, Sections};
pub(crate) use stored::{Posting, StoredGroup, StoredRecord};

use crate::osv::OsvRecord;

/// Everything that can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("not a Palisade vulnerability database (bad magic bytes)")]
    NotADatabase,
    #[error(
        "vulnerability database format {found} is not supported (this build reads format \
         {supported}); run `palisade db update` to rebuild it"
    )]
    UnsupportedFormat { found: u32, supported: u32 },
    #[error("vulnerability database is corrupt: {0}; run `palisade db update` to rebuild it")]
    Corrupt(String),
    #[error("vulnerability database would exceed 4 GiB")]
    TooLarge,
    #[error("not a valid zip archive: {0}")]
    BadArchive(String),
    #[error("download of {url} failed: {reason}")]
    Download { url: String, reason: String },
    #[error("no sources given")]
    NoSources,
}

impl DbError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> DbError {
        DbError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Where records came from, as recorded in the database header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// A path or URL.
    pub location: String,
    pub records: usize,
    pub withdrawn: usize,
    pub invalid: usize,
    /// Imported records per ecosystem.
    pub ecosystems: BTreeMap<String, usize>,
}

/// The database header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbHeader {
    pub format_version: u32,
    /// Seconds since the Unix epoch.
    pub build_time: u64,
    pub generator: String,
    pub sources: Vec<SourceInfo>,
    /// Imported OSV records.
    pub records: usize,
    /// Vulnerabilities after alias merging.
    pub vulnerabilities: usize,
    /// Distinct (ecosystem, package, release) keys.
    pub packages: usize,
    /// Records per ecosystem (as written in the records, e.g. `Debian:12`).
    pub ecosystems: BTreeMap<String, usize>,
}

/// What `palisade db status` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbStatus {
    pub path: Option<PathBuf>,
    pub format_version: u32,
    pub build_time: u64,
    /// RFC 3339 UTC rendering of `build_time`.
    pub built_at: String,
    pub age_seconds: u64,
    pub size_bytes: u64,
    pub sources: Vec<SourceInfo>,
    pub records: usize,
    pub vulnerabilities: usize,
    pub packages: usize,
    pub ecosystems: BTreeMap<String, usize>,
}

/// A built or opened vulnerability database.
#[derive(Debug, Clone)]
pub struct Database {
    header: DbHeader,
    bytes: Vec<u8>,
    sections: Sections,
    path: Option<PathBuf>,
}

pub(crate) fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the epoch (proleptic Gregorian, UTC).
pub fn format_unix_time(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

fn source_info(report: &SourceReport) -> SourceInfo {
    SourceInfo {
        location: report.location.clone(),
        records: report.records,
        withdrawn: report.withdrawn,
        invalid: report.invalid + report.unparseable,
        ecosystems: report.ecosystems.clone(),
    }
}

fn base_header(report: &ImportReport) -> DbHeader {
    DbHeader {
        format_version: format::FORMAT_VERSION,
        build_time: now_unix(),
        generator: format!("palisade-vuln {}", env!("CARGO_PKG_VERSION")),
        sources: report.sources.iter().map(source_info).collect(),
        ..DbHeader::default()
    }
}

impl Database {
    /// Builds an in-memory database from records (withdrawn and invalid ones are skipped and
    /// reported).
    pub fn build(records: Vec<OsvRecord>) -> (Database, ImportReport) {
        let mut report = ImportReport::default();
        let mut source = SourceReport {
            location: "memory".into(),
            files: 0,
            ..SourceReport::default()
        };
        let mut loaded = Vec::new();
        for record in records {
            if record.withdrawn.is_some() {
                source.withdrawn += 1;
                continue;
            }
            let v = crate::osv::validate(&record);
            if !v.is_valid() {
                source.invalid += 1;
                report.issues.push(ImportIssue {
                    kind: IssueKind::Invalid,
                    source: "memory".into(),
                    path: String::new(),
                    id: Some(record.id.clone()),
                    message: v.errors.join("; "),
                });
                continue;
            }
            source.records += 1;
            loaded.push(import::Loaded { record });
        }
        report.sources.push(source);
        let header = base_header(&report);
        let contents = build::build(loaded, &mut report, header);
        let bytes = format::encode(&contents).unwrap_or_default();
        // Encoding what was just built cannot fail to decode; fall back to an empty database
        // rather than panicking if it ever did.
        let db = Database::from_bytes(bytes, None).unwrap_or_else(|_| Database::empty());
        (db, report)
    }

    fn empty() -> Database {
        let contents = build::build(
            Vec::new(),
            &mut ImportReport::default(),
            DbHeader::default(),
        );
        let bytes = format::encode(&contents).unwrap_or_default();
        let (header, sections) = format::decode(&bytes)
            .unwrap_or_else(|_| (DbHeader::default(), Sections(Default::default())));
        Database {
            header,
            bytes,
            sections,
            path: None,
        }
    }

    /// Imports sources (directories of `.json`/`.yaml`, `.zip` files of OSV JSON, single files)
    /// into an in-memory database.
    pub fn import<P: AsRef<Path>>(sources: &[P]) -> Result<(Database, ImportReport), DbError> {
        let named: Vec<(PathBuf, String)> = sources
            .iter()
            .map(|p| (p.as_ref().to_path_buf(), p.as_ref().display().to_string()))
            .collect();
        Database::import_named(&named)
    }

    /// Like [`Database::import`], with the location each source is recorded under (a URL for
    /// downloaded archives).
    pub fn import_named(
        sources: &[(PathBuf, String)],
    ) -> Result<(Database, ImportReport), DbError> {
        if sources.is_empty() {
            return Err(DbError::NoSources);
        }
        let mut report = ImportReport::default();
        let mut loaded = Vec::new();
        for (path, location) in sources {
            import::read_source(path, location, &mut loaded, &mut report)?;
        }
        let header = base_header(&report);
        let contents = build::build(loaded, &mut report, header);
        let bytes = format::encode(&contents)?;
        let db = Database::from_bytes(bytes, None)?;
        Ok((db, report))
    }

    /// Opens a database file: reads it whole, checks magic, format version and checksum.
    pub fn open(path: impl AsRef<Path>) -> Result<Database, DbError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| DbError::io(path, e))?;
        Database::from_bytes(bytes, Some(path.to_path_buf()))
    }

    /// Reads a database from its bytes.
    pub fn from_bytes(bytes: Vec<u8>, path: Option<PathBuf>) -> Result<Database, DbError> {
        let (header, sections) = format::decode(&bytes)?;
        Ok(Database {
            header,
            bytes,
            sections,
            path,
        })
    }

    /// Writes the database to `dest` atomically: a temporary file in the same directory, synced,
    /// then renamed over `dest`. A failure leaves any previous file untouched.
    pub fn write(&mut self, dest: impl AsRef<Path>) -> Result<(), DbError> {
        let dest = dest.as_ref();
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| DbError::io(&dir, e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".palisade-db-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| DbError::io(&dir, e))?;
        tmp.write_all(&self.bytes)
            .map_err(|e| DbError::io(tmp.path(), e))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| DbError::io(tmp.path(), e))?;
        tmp.persist(dest).map_err(|e| DbError::io(dest, e.error))?;
        self.path = Some(dest.to_path_buf());
        Ok(())
    }

    pub fn header(&self) -> &DbHeader {
        &self.header
    }

    /// Size of the database file in bytes.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    pub fn status(&self) -> DbStatus {
        let h = &self.header;
        DbStatus {
            path: self.path.clone(),
            format_version: h.format_version,
            build_time: h.build_time,
            built_at: format_unix_time(h.build_time),
            age_seconds: now_unix().saturating_sub(h.build_time),
            size_bytes: self.bytes.len() as u64,
            sources: h.sources.clone(),
            records: h.records,
            vulnerabilities: h.vulnerabilities,
            packages: h.packages,
            ecosystems: h.ecosystems.clone(),
        }
    }

    fn section(&self, i: usize) -> &[u8] {
        &self.bytes[self.sections.0[i].clone()]
    }

    fn index_entry(&self, i: usize) -> Result<[usize; 4], DbError> {
        let index = self.section(INDEX);
        let at = i * 16;
        let mut out = [0usize; 4];
        for (k, slot) in out.iter_mut().enumerate() {
            let b = index
                .get(at + k * 4..at + k * 4 + 4)
                .ok_or_else(|| DbError::Corrupt("package index".into()))?;
            *slot = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        }
        Ok(out)
    }

    fn index_len(&self) -> usize {
        self.section(INDEX).len() / 16
    }

    fn key(&self, i: usize) -> Result<&[u8], DbError> {
        let [off, len, _, _] = self.index_entry(i)?;
        self.section(KEYS)
            .get(off..off + len)
            .ok_or_else(|| DbError::Corrupt("package key".into()))
    }

    /// First index position whose key is not less than `key`.
    fn lower_bound(&self, key: &[u8]) -> Result<usize, DbError> {
        let (mut lo, mut hi) = (0, self.index_len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.key(mid)? < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Ok(lo)
    }

    fn postings_at(&self, i: usize) -> Result<Vec<Posting>, DbError> {
        let [_, _, off, len] = self.index_entry(i)?;
        let bytes = self
            .section(POSTINGS)
            .get(off..off + len)
            .ok_or_else(|| DbError::Corrupt("postings".into()))?;
        let mut r = Reader::new(bytes);
        let n = r.len()?;
        (0..n).map(|_| Posting::decode(&mut r, false)).collect()
    }

    /// The affected entries filed under an exact key.
    pub(crate) fn postings(&self, key: &str) -> Result<Vec<Posting>, DbError> {
        let i = self.lower_bound(key.as_bytes())?;
        if i < self.index_len() && self.key(i)? == key.as_bytes() {
            self.postings_at(i)
        } else {
            Ok(Vec::new())
        }
    }

    /// The affected entries of every key starting with `prefix` (all releases of a package).
    pub(crate) fn postings_with_prefix(&self, prefix: &str) -> Result<Vec<Posting>, DbError> {
        let mut i = self.lower_bound(prefix.as_bytes())?;
        let mut out = Vec::new();
        while i < self.index_len() && self.key(i)?.starts_with(prefix.as_bytes()) {
            out.extend(self.postings_at(i)?);
            i += 1;
        }
        Ok(out)
    }

    fn slot(&self, index: usize, data: usize, i: u32) -> Result<&[u8], DbError> {
        let table = self.section(index);
        let at = i as usize * 8;
        let b = table
            .get(at..at + 8)
            .ok_or_else(|| DbError::Corrupt("reference out of range".into()))?;
        let off = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let len = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
        self.section(data)
            .get(off..off + len)
            .ok_or_else(|| DbError::Corrupt("entry out of range".into()))
    }

    /// A record without its `details` text.
    pub(crate) fn record(&self, i: u32) -> Result<StoredRecord, DbError> {
        StoredRecord::decode(
            &mut Reader::new(self.slot(RECORD_INDEX, RECORDS, i)?),
            false,
        )
    }

    /// Only the severity of a record.
    pub(crate) fn record_severity(&self, i: u32) -> Result<crate::severity::SeverityInfo, DbError> {
        StoredRecord::decode_severity(&mut Reader::new(self.slot(RECORD_INDEX, RECORDS, i)?))
    }

    /// A record with its `details` text.
    pub(crate) fn full_record(&self, i: u32) -> Result<StoredRecord, DbError> {
        StoredRecord::decode(&mut Reader::new(self.slot(RECORD_INDEX, RECORDS, i)?), true)
    }

    pub(crate) fn group(&self, i: u32) -> Result<StoredGroup, DbError> {
        StoredGroup::decode(&mut Reader::new(self.slot(GROUP_INDEX, GROUPS, i)?))
    }

    /// Every package key in the index, decoded as `(ecosystem base, name, release)`; for tools and
    /// benchmarks that need real package names.
    pub fn package_keys(&self) -> Result<Vec<(String, String, String)>, DbError> {
        (0..self.index_len())
            .map(|i| {
                let key = std::str::from_utf8(self.key(i)?)
                    .map_err(|_| DbError::Corrupt("key".into()))?;
                let mut parts = key.splitn(3, '\u{1}');
                Ok((
                    parts.next().unwrap_or_default().to_string(),
                    parts.next().unwrap_or_default().to_string(),
                    parts.next().unwrap_or_default().to_string(),
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times() {
        assert_eq!(format_unix_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix_time(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(format_unix_time(951_782_400), "2000-02-29T00:00:00Z");
    }
}
