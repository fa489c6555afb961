//! Classic yarn (v1) `yarn.lock`: a line format of its own.
//!
//! ```text
//! "@babel/code-frame@^7.0.0", "@babel/code-frame@^7.8.3":
//!   version "7.8.3"
//! ```
//! An entry starts with an unindented line listing every requested range that resolved to it;
//! its two-space-indented `version` line gives the version. yarn.lock records neither dev
//! flags nor what the project declares, so scope and `direct` are unknown.

use crate::collect::{Collector, Entry};
use crate::formats::npm::{is_exact_version, split_alias};
use crate::model::{LockFile, LockFileKind, ParseError};
use crate::text::to_u32;

struct Open<'a> {
    line: u32,
    name: &'a str,
    version: Option<&'a str>,
    local: bool,
}

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let mut out = Collector::new(path, LockFileKind::YarnLock).deduplicating();
    let mut open: Option<Open<'_>> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = to_u32(index + 1);
        let line = raw.trim_end();
        if line.is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(entry) = open.as_mut() {
                if let Some(value) = line.strip_prefix("  version ") {
                    entry.version = Some(unquote(value.trim()));
                }
            }
            continue;
        }
        let Some(keys) = line.strip_suffix(':') else {
            return Err(ParseError::new(
                line_no,
                1,
                "expected an entry header ending in ':' (like `name@^1.0.0:`)",
            ));
        };
        finish(open.take(), &mut out);
        let first = first_key(keys);
        let Some((name, range)) = split_spec(first) else {
            out.warn(
                line_no,
                format!("cannot read package name from {first:?}; skipped"),
            );
            continue;
        };
        let (name, local) = match split_alias(range) {
            Some((real, _)) => (real, false),
            None => (
                name,
                range.starts_with("file:") || range.starts_with("link:"),
            ),
        };
        open = Some(Open {
            line: line_no,
            name,
            version: None,
            local,
        });
    }
    finish(open, &mut out);
    Ok(out.finish())
}

fn finish(open: Option<Open<'_>>, out: &mut Collector<'_>) {
    let Some(entry) = open else { return };
    if entry.local {
        return;
    }
    match entry.version {
        Some(version) => {
            out.add(
                Entry::new(entry.name, version, entry.line, 1).pinned(is_exact_version(version)),
            );
        }
        None => out.warn(
            entry.line,
            format!("entry for {:?} has no version; skipped", entry.name),
        ),
    }
}

/// The first of the comma-separated, possibly quoted keys of a header line.
fn first_key(keys: &str) -> &str {
    let keys = keys.trim();
    if let Some(rest) = keys.strip_prefix('"') {
        return rest.find('"').map_or(rest, |end| &rest[..end]);
    }
    keys.split(',').next().unwrap_or(keys).trim()
}

/// `name@range` → (`name`, `range`); the `@` of a scope is not a separator.
pub(crate) fn split_spec(spec: &str) -> Option<(&str, &str)> {
    let at = spec.get(1..)?.find('@')? + 1;
    let name = &spec[..at];
    (!name.is_empty()).then(|| (name, &spec[at + 1..]))
}

fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_first_key() {
        assert_eq!(first_key(r#""@a/b@^1.0.0", "@a/b@^1.1.0""#), "@a/b@^1.0.0");
        assert_eq!(
            first_key("lodash@^4.17.15, lodash@^4.17.5"),
            "lodash@^4.17.15"
        );
        assert_eq!(split_spec("@a/b@^1"), Some(("@a/b", "^1")));
        assert_eq!(split_spec("@"), None);
        assert_eq!(split_spec("x"), None);
    }
}
