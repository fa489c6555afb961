//! Exceptions: findings a team has accepted, with a reason and an expiry.
//!
//! An exceptions file is YAML:
//!
//! ```yaml
//! exceptions:
//!   - controls: [POD-001, host-network, C-0041]   # IDs, slugs or Kubescape IDs
//!     kinds: [DaemonSet]
//!     namespaces: ["kube-*"]                        # globs
//!     names: ["node-exporter*"]
//!     labels: {team: observability}                 # every label must match (values are globs)
//!     paths: ["deploy/monitoring/**"]
//!     reason: Node exporters read host metrics by design.
//!     expires: 2027-06-30
//!   - vulnerabilities: [CVE-2023-44487, GHSA-qppj-fm5r-hxr3]  # advisory IDs or aliases
//!     packages: ["golang.org/x/net"]
//!     reason: Not reachable, HTTP/2 disabled (SEC-1234).
//! ```
//!
//! Within a criterion any listed value may match; all criteria given must match. An entry must
//! name at least one criterion and a non-empty `reason`. An entry past its `expires` date no
//! longer applies and is reported, so accepted risk is re-examined instead of silently kept.

mod date;
mod entry;

use std::path::Path;

pub use date::Date;
pub use entry::Entry;
use palisade_core::{Finding, Suppression};
use palisade_yaml::typed::{TypedError, from_yaml_str};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Why an exceptions file could not be used. Every variant names the file; the YAML ones
/// also the line and column.
#[derive(Debug, thiserror::Error)]
pub enum ExceptionsError {
    #[error("cannot read exceptions file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: u32,
        column: u32,
        message: String,
    },
}

/// Something about the exceptions file worth telling the user that does not stop the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionWarning {
    pub path: String,
    pub line: u32,
    pub message: String,
}

impl std::fmt::Display for ExceptionWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileModel {
    exceptions: Vec<entry::EntryModel>,
}

/// The entries of one or more exceptions files.
#[derive(Debug, Clone, Default)]
pub struct Exceptions {
    entries: Vec<Entry>,
}

impl Exceptions {
    /// Reads and validates the exceptions file at `path`.
    pub fn load(path: &Path) -> Result<Exceptions, ExceptionsError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ExceptionsError::Read {
            path: display.clone(),
            source,
        })?;
        Exceptions::parse(&text, &display)
    }

    /// Parses exceptions from `text`; `source` names the file in errors and suppressions.
    pub fn parse(text: &str, source: &str) -> Result<Exceptions, ExceptionsError> {
        let invalid = |e: TypedError| ExceptionsError::Invalid {
            path: source.to_string(),
            line: e.position.line,
            column: e.position.column,
            message: e.message,
        };
        let model: FileModel = from_yaml_str(text).map_err(invalid)?;
        // Entry positions come from a second, span-keeping parse of the same text.
        let stream = palisade_yaml::parse_str(text, &palisade_yaml::Limits::default());
        let source_map = stream.documents.first().map(|d| &d.source_map);
        let mut entries = Vec::with_capacity(model.exceptions.len());
        for (index, model) in model.exceptions.into_iter().enumerate() {
            let pointer = format!("/exceptions/{index}");
            let position = source_map.map_or(palisade_core::Position { line: 1, column: 1 }, |m| {
                m.locate(&pointer).span.start
            });
            let entry = Entry::new(model, source, position.line).map_err(|(field, message)| {
                let at = source_map.map_or(position, |m| {
                    m.locate(&format!("{pointer}/{field}")).span.start
                });
                ExceptionsError::Invalid {
                    path: source.to_string(),
                    line: at.line,
                    column: at.column,
                    message,
                }
            })?;
            entries.push(entry);
        }
        Ok(Exceptions { entries })
    }

    /// Adds the entries of `other` (several `--exceptions` files).
    pub fn extend(&mut self, other: Exceptions) {
        self.entries.extend(other.entries);
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries past their expiry on `today`, as warnings.
    pub fn expired(&self, today: Date) -> Vec<ExceptionWarning> {
        self.entries
            .iter()
            .filter(|e| e.is_expired(today))
            .map(|e| ExceptionWarning {
                path: e.source().to_string(),
                line: e.line(),
                message: format!(
                    "exception expired on {}; it no longer applies (reason was: {})",
                    e.expires().map(|d| d.to_string()).unwrap_or_default(),
                    e.reason()
                ),
            })
            .collect()
    }

    /// The first entry in force on `today` that covers `finding`; `labels` are the labels of
    /// the finding's resource when known.
    pub fn find(
        &self,
        finding: &Finding,
        labels: Option<&Map<String, Value>>,
        today: Date,
    ) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| !e.is_expired(today) && e.matches(finding, labels))
    }

    /// Marks `finding` suppressed when an entry covers it (findings already suppressed keep
    /// their first reason). Returns whether it was suppressed here.
    pub fn suppress(
        &self,
        finding: &mut Finding,
        labels: Option<&Map<String, Value>>,
        today: Date,
    ) -> bool {
        if finding.suppressed {
            return false;
        }
        let Some(entry) = self.find(finding, labels, today) else {
            return false;
        };
        finding.suppressed = true;
        finding.suppression = Some(Box::new(Suppression {
            kind: "exceptions-file".to_string(),
            reason: format!("{} ({}:{})", entry.reason(), entry.source(), entry.line()),
        }));
        true
    }

    /// [`Exceptions::suppress`] over every finding, without resource labels (entries with a
    /// `labels` criterion then match nothing). Returns how many were suppressed.
    pub fn apply(&self, findings: &mut [Finding], today: Date) -> usize {
        findings
            .iter_mut()
            .filter_map(|f| self.suppress(f, None, today).then_some(()))
            .count()
    }
}
