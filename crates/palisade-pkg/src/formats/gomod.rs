//! Go `go.mod`: `require` directives (single-line and blocks), with `replace` applied.
//!
//! A requirement marked `// indirect` is transitive. `replace old [v] => new v` renames the
//! module or changes its version (only that version when `old` has one); a replacement by a
//! local directory leaves nothing to match and is reported as a warning. The location stays on
//! the `require` line. go.mod has no notion of dev or test dependencies.

use std::collections::HashMap;

use crate::collect::{Collector, Entry};
use crate::model::{LockFile, LockFileKind, ParseError};
use crate::text::{column_of, to_u32};

struct Require<'a> {
    line: u32,
    column: u32,
    path: &'a str,
    version: &'a str,
    indirect: bool,
}

/// Where a replacement sends a module: another module version, or a local directory.
enum Target<'a> {
    Module(&'a str, &'a str),
    Local(&'a str),
}

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let mut requires = Vec::new();
    // (module, Some(version) for a version-specific replacement) → target
    let mut replaces: HashMap<(&str, Option<&str>), Target<'_>> = HashMap::new();
    let mut out = Collector::new(path, LockFileKind::GoMod);
    let mut block: Option<(&str, u32)> = None;

    for (index, raw) in text.lines().enumerate() {
        let line_no = to_u32(index + 1);
        let (code, comment) = match raw.find("//") {
            Some(i) => (&raw[..i], Some(raw[i + 2..].trim())),
            None => (raw, None),
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let (verb, args) = match block {
            Some(_) if code == ")" => {
                block = None;
                continue;
            }
            Some((verb, _)) => (verb, code),
            None => {
                let (verb, rest) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
                let rest = rest.trim();
                if rest == "(" {
                    block = Some((verb, line_no));
                    continue;
                }
                (verb, rest)
            }
        };
        match verb {
            "require" => {
                let mut fields = args.split_whitespace().map(unquote);
                match (fields.next(), fields.next(), fields.next()) {
                    (Some(module), Some(version), None) => requires.push(Require {
                        line: line_no,
                        column: column_of(raw, args),
                        path: module,
                        version,
                        indirect: comment
                            .is_some_and(|c| c == "indirect" || c.starts_with("indirect;")),
                    }),
                    _ => out.warn(line_no, format!("malformed require {args:?}; skipped")),
                }
            }
            "replace" => match parse_replace(args) {
                Some((from, target)) => {
                    replaces.insert(from, target);
                }
                None => out.warn(line_no, format!("malformed replace {args:?}; ignored")),
            },
            _ => {}
        }
    }
    if let Some((verb, line)) = block {
        return Err(ParseError::new(
            line,
            1,
            format!("{verb} block is not closed with ')'"),
        ));
    }

    for req in requires {
        let target = replaces
            .get(&(req.path, Some(req.version)))
            .or_else(|| replaces.get(&(req.path, None)));
        let (name, version) = match target {
            Some(Target::Module(name, version)) => (*name, *version),
            Some(Target::Local(dir)) => {
                out.warn(
                    req.line,
                    format!(
                        "{} is replaced by local directory {dir:?}; skipped",
                        req.path
                    ),
                );
                continue;
            }
            None => (req.path, req.version),
        };
        out.add(Entry::new(name, version, req.line, req.column).direct(Some(!req.indirect)));
    }
    Ok(out.finish())
}

/// `old [v] => new [v]`.
fn parse_replace(args: &str) -> Option<((&str, Option<&str>), Target<'_>)> {
    let (left, right) = args.split_once("=>")?;
    let mut left = left.split_whitespace().map(unquote);
    let from = (left.next()?, left.next());
    if left.next().is_some() {
        return None;
    }
    let mut right = right.split_whitespace().map(unquote);
    let target = match (right.next()?, right.next(), right.next()) {
        (module, Some(version), None) => Target::Module(module, version),
        (dir, None, None) => Target::Local(dir),
        _ => return None,
    };
    Some((from, target))
}

fn unquote(field: &str) -> &str {
    field
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .or_else(|| field.strip_prefix('`').and_then(|f| f.strip_suffix('`')))
        .unwrap_or(field)
}
