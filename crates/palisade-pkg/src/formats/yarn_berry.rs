//! Yarn berry (v2 and later) `yarn.lock`: YAML with a `__metadata` entry.
//!
//! ```yaml
//! "lodash@npm:^4.17.15, lodash@npm:^4.17.20":
//!   version: 4.17.15
//!   resolution: "lodash@npm:4.17.15"
//! ```
//! The name comes from `resolution` (which also undoes aliases); workspace, link and portal
//! entries are the project's own and are skipped; patched packages are merged with the package
//! they patch.

use crate::collect::{Collector, Entry};
use crate::formats::npm::is_exact_version;
use crate::formats::yarn::split_spec;
use crate::model::{LockFile, LockFileKind, ParseError};
use crate::yaml::{self, YValue};

const LOCAL_PROTOCOLS: [&str; 4] = ["workspace:", "link:", "portal:", "file:"];

/// Whether a yarn.lock is berry's YAML rather than the classic format.
pub(crate) fn is_berry(text: &str) -> bool {
    text.lines().any(|line| line.starts_with("__metadata:"))
}

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let docs = yaml::parse_documents(text)?;
    let mut out = Collector::new(path, LockFileKind::YarnLock).deduplicating();
    let Some(root) = docs.first() else {
        return Ok(out.finish());
    };
    if !matches!(root.value, YValue::Map(_)) {
        return Err(ParseError::new(
            root.line,
            root.column,
            "expected a mapping of entries",
        ));
    }
    for (key, key_node, value) in root.entries() {
        if key == "__metadata" {
            continue;
        }
        let line = key_node.line;
        let resolution = value
            .str_of("resolution")
            .unwrap_or_else(|| key.split(',').next().unwrap_or(key).trim());
        let Some((name, reference)) = split_spec(resolution) else {
            out.warn(
                line,
                format!("cannot read package name from {resolution:?}; skipped"),
            );
            continue;
        };
        if LOCAL_PROTOCOLS.iter().any(|p| reference.starts_with(p)) {
            continue;
        }
        let Some(version) = value.str_of("version") else {
            out.warn(line, format!("entry for {name:?} has no version; skipped"));
            continue;
        };
        out.add(Entry::new(name, version, line, key_node.column).pinned(is_exact_version(version)));
    }
    Ok(out.finish())
}
