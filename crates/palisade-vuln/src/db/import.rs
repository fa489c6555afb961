//! Reading OSV records from a directory tree, a `.zip` of OSV files, or one file. Files that do
//! not parse and records that fail validation are reported and skipped, never fatal; withdrawn
//! records are counted and skipped.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::DbError;
use crate::osv::{Format, OsvRecord, parse_records, validate};

/// What is wrong with an imported file or record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// The file is not valid JSON/YAML or not shaped like an OSV record; skipped.
    Unparseable,
    /// The record breaks a schema rule that matters for evaluation; skipped.
    Invalid,
    /// The record deviates from the schema in a way that leaves it usable; imported.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportIssue {
    pub kind: IssueKind,
    /// The source location (directory, zip, URL) the file came from.
    pub source: String,
    /// The file inside the source.
    pub path: String,
    /// The record ID, when the file parsed far enough to have one.
    pub id: Option<String>,
    pub message: String,
}

/// Counts for one source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceReport {
    pub location: String,
    pub files: usize,
    /// Records imported (valid, not withdrawn).
    pub records: usize,
    pub withdrawn: usize,
    pub invalid: usize,
    pub unparseable: usize,
    pub warnings: usize,
    /// Imported records per ecosystem (a record naming two ecosystems counts in both).
    pub ecosystems: BTreeMap<String, usize>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub sources: Vec<SourceReport>,
    pub issues: Vec<ImportIssue>,
    /// Records whose ID was seen again (the newest `modified` is kept).
    pub duplicates: usize,
}

impl ImportReport {
    pub fn records(&self) -> usize {
        self.sources.iter().map(|s| s.records).sum()
    }

    pub fn invalid(&self) -> usize {
        self.sources.iter().map(|s| s.invalid + s.unparseable).sum()
    }

    pub fn withdrawn(&self) -> usize {
        self.sources.iter().map(|s| s.withdrawn).sum()
    }
}

/// A record ready to be indexed.
pub(crate) struct Loaded {
    pub record: OsvRecord,
}

/// One file's worth of text to parse.
struct Document {
    path: String,
    format: Format,
    bytes: Vec<u8>,
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DbError> {
    let entries = std::fs::read_dir(dir).map_err(|e| DbError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| DbError::io(dir, e))?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(|e| DbError::io(&path, e))?;
        if file_type.is_dir() {
            collect_dir(&path, out)?;
        } else if file_type.is_file() && path.to_str().and_then(Format::from_path).is_some() {
            out.push(path);
        }
    }
    Ok(())
}

fn is_zip(path: &Path) -> Result<bool, DbError> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        return Ok(true);
    }
    let mut magic = [0u8; 4];
    let mut f = File::open(path).map_err(|e| DbError::io(path, e))?;
    Ok(f.read(&mut magic).map_err(|e| DbError::io(path, e))? == 4 && &magic == b"PK\x03\x04")
}

fn zip_documents(path: &Path) -> Result<Vec<Document>, DbError> {
    let file = File::open(path).map_err(|e| DbError::io(path, e))?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| DbError::BadArchive(format!("{}: {e}", path.display())))?;
    let mut docs = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| DbError::BadArchive(format!("{}: entry {i}: {e}", path.display())))?;
        if !entry.is_file() {
            continue;
        }
        let name = entry.name().to_string();
        let Some(format) = Format::from_path(&name) else {
            continue;
        };
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 24));
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| DbError::BadArchive(format!("{}: {name}: {e}", path.display())))?;
        docs.push(Document {
            path: name,
            format,
            bytes,
        });
    }
    Ok(docs)
}

/// Parses documents on all cores; results keep the documents' order.
fn parse_all(docs: &[Document]) -> Vec<Result<Vec<OsvRecord>, String>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 8);
    let chunk = docs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = docs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|d| parse_records(&d.bytes, d.format))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err("parser thread panicked".into())])
            })
            .collect()
    })
}

/// Reads one source (directory, zip or file) named `location` in reports.
pub(crate) fn read_source(
    path: &Path,
    location: &str,
    out: &mut Vec<Loaded>,
    report: &mut ImportReport,
) -> Result<(), DbError> {
    let meta = std::fs::metadata(path).map_err(|e| DbError::io(path, e))?;
    let docs = if meta.is_dir() {
        let mut files = Vec::new();
        collect_dir(path, &mut files)?;
        files.sort();
        let mut docs = Vec::with_capacity(files.len());
        for file in files {
            let bytes = std::fs::read(&file).map_err(|e| DbError::io(&file, e))?;
            let rel = file
                .strip_prefix(path)
                .unwrap_or(&file)
                .to_string_lossy()
                .into_owned();
            let format = Format::from_path(&rel).unwrap_or(Format::Json);
            docs.push(Document {
                path: rel,
                format,
                bytes,
            });
        }
        docs
    } else if is_zip(path)? {
        zip_documents(path)?
    } else {
        let bytes = std::fs::read(path).map_err(|e| DbError::io(path, e))?;
        let name = path.to_string_lossy().into_owned();
        let format = Format::from_path(&name).unwrap_or(Format::Json);
        vec![Document {
            path: name,
            format,
            bytes,
        }]
    };

    let mut source = SourceReport {
        location: location.to_string(),
        files: docs.len(),
        ..SourceReport::default()
    };
    for (doc, parsed) in docs.iter().zip(parse_all(&docs)) {
        let records = match parsed {
            Ok(records) => records,
            Err(message) => {
                source.unparseable += 1;
                report.issues.push(ImportIssue {
                    kind: IssueKind::Unparseable,
                    source: location.to_string(),
                    path: doc.path.clone(),
                    id: None,
                    message,
                });
                continue;
            }
        };
        for record in records {
            if record.withdrawn.is_some() {
                source.withdrawn += 1;
                continue;
            }
            let validation = validate(&record);
            let issue = |kind, message: String| ImportIssue {
                kind,
                source: location.to_string(),
                path: doc.path.clone(),
                id: Some(record.id.clone()),
                message,
            };
            if !validation.is_valid() {
                source.invalid += 1;
                report
                    .issues
                    .push(issue(IssueKind::Invalid, validation.errors.join("; ")));
                continue;
            }
            if !validation.warnings.is_empty() {
                source.warnings += 1;
                report
                    .issues
                    .push(issue(IssueKind::Warning, validation.warnings.join("; ")));
            }
            let mut ecosystems: Vec<&str> = record
                .affected
                .iter()
                .filter_map(|a| a.package.as_ref().map(|p| p.ecosystem.as_str()))
                .collect();
            ecosystems.sort_unstable();
            ecosystems.dedup();
            for eco in ecosystems {
                *source.ecosystems.entry(eco.to_string()).or_default() += 1;
            }
            source.records += 1;
            out.push(Loaded { record });
        }
    }
    report.sources.push(source);
    Ok(())
}
