//! PHP `composer.lock`: `packages` (runtime) and `packages-dev` (dev) arrays.
//!
//! Versions are kept as written (`v8.0.0`). Branch versions (`dev-main`, `1.x-dev`) are not
//! releases and are reported unpinned.

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
    let mut out = Collector::new(path, LockFileKind::ComposerLock);
    for (section, scope) in [("packages", Scope::Runtime), ("packages-dev", Scope::Dev)] {
        let Some(packages) = root.get(section) else {
            continue;
        };
        for package in packages.elements() {
            let name_member = package.members().iter().find(|m| m.key == "name");
            let (line, column) =
                lines.line_col(name_member.map_or(package.offset, |m| m.key_offset));
            let name = name_member.and_then(|m| m.value.as_str());
            let (Some(name), Some(version)) = (name, package.str_of("version")) else {
                out.warn(line, "package without name or version; skipped");
                continue;
            };
            let branch = version.starts_with("dev-") || version.ends_with("-dev");
            out.add(
                Entry::new(name, version, line, column)
                    .scope(scope)
                    .pinned(!branch && !version.is_empty()),
            );
        }
    }
    Ok(out.finish())
}
