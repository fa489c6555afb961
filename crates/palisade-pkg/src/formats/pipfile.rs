//! Pipenv `Pipfile.lock`: JSON with `default` (runtime) and `develop` (dev) package maps.
//!
//! Versions are written `==2.2.0`. Entries without a version (VCS or local paths) are not
//! registry packages; VCS ones are reported as warnings, local paths skipped silently.
//! Pipfile.lock lists transitive packages alongside declared ones, so `direct` is unknown.

use crate::collect::{Collector, Entry};
use crate::json;
use crate::model::{LockFile, LockFileKind, ParseError, Scope};
use crate::text::LineIndex;

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let lines = LineIndex::new(text);
    let root = json::parse(text, &lines)?;
    if !root.is_object() {
        return Err(lines.error(root.offset, "expected a JSON object at the top level"));
    }
    let mut out = Collector::new(path, LockFileKind::PipfileLock);
    for (section, scope) in [("default", Scope::Runtime), ("develop", Scope::Dev)] {
        let Some(packages) = root.get(section) else {
            continue;
        };
        for member in packages.members() {
            let (line, column) = lines.line_col(member.key_offset);
            let entry = &member.value;
            let Some(spec) = entry.str_of("version") else {
                if entry.get("path").is_none() {
                    out.warn(
                        line,
                        format!(
                            "{:?} has no version (VCS requirement?); skipped",
                            member.key
                        ),
                    );
                }
                continue;
            };
            let (version, pinned) =
                match spec.strip_prefix("===").or_else(|| spec.strip_prefix("==")) {
                    Some(v) if !v.trim().is_empty() && !v.contains('*') => (v.trim(), true),
                    _ => (spec, false),
                };
            out.add(
                Entry::new(member.key.as_ref(), version, line, column)
                    .scope(scope)
                    .pinned(pinned),
            );
        }
    }
    Ok(out.finish())
}
