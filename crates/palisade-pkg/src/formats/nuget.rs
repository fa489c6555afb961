//! NuGet `packages.lock.json`: resolved packages per target framework.
//!
//! `type` is `Direct`, `Transitive`, `CentralTransitive` or `Project` (a project reference,
//! skipped). A package locked for several frameworks is reported once, at its first entry.

use crate::collect::{Collector, Entry};
use crate::json;
use crate::model::{LockFile, LockFileKind, ParseError};
use crate::text::LineIndex;

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let lines = LineIndex::new(text);
    let root = json::parse(text, &lines)?;
    if !root.is_object() {
        return Err(lines.error(root.offset, "expected a JSON object at the top level"));
    }
    let mut out = Collector::new(path, LockFileKind::NugetLock).deduplicating();
    let Some(frameworks) = root.get("dependencies") else {
        return Ok(out.finish());
    };
    for framework in frameworks.members() {
        for member in framework.value.members() {
            let (line, column) = lines.line_col(member.key_offset);
            let entry = &member.value;
            let kind = entry.str_of("type").unwrap_or_default();
            if kind.eq_ignore_ascii_case("project") {
                continue;
            }
            let Some(version) = entry.str_of("resolved") else {
                out.warn(
                    line,
                    format!("{:?} has no resolved version; skipped", member.key),
                );
                continue;
            };
            let direct = match kind {
                k if k.eq_ignore_ascii_case("direct") => Some(true),
                k if k.eq_ignore_ascii_case("transitive")
                    || k.eq_ignore_ascii_case("centraltransitive") =>
                {
                    Some(false)
                }
                _ => None,
            };
            out.add(Entry::new(member.key.as_ref(), version, line, column).direct(direct));
        }
    }
    Ok(out.finish())
}
