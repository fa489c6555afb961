//! Bundler `Gemfile.lock` / `gems.locked`.
//!
//! Gems are the four-space-indented `name (version)` lines under `specs:` in the `GEM` and
//! `GIT` sections (`PATH` gems are the project's own). A version may carry a platform,
//! `1.10.0-x86_64-linux`: the version is the part before the first `-`, and the platform becomes
//! the purl's `platform` qualifier. One gem locked for several platforms is reported once.
//! `DEPENDENCIES` names the gems the Gemfile declares, which makes them direct.

use std::collections::HashSet;

use crate::collect::{Collector, Entry};
use crate::model::{LockFile, LockFileKind};
use crate::text::to_u32;

struct Spec<'a> {
    line: u32,
    name: &'a str,
    version: &'a str,
    platform: &'a str,
}

/// Parsing never fails: lines that are not understood are ignored or warned about.
pub(crate) fn parse(path: &str, text: &str) -> LockFile {
    let mut out = Collector::new(path, LockFileKind::GemfileLock).deduplicating();
    let mut specs = Vec::new();
    let mut declared: HashSet<&str> = HashSet::new();
    let mut section = "";
    let mut in_specs = false;

    for (index, raw) in text.lines().enumerate() {
        let line_no = to_u32(index + 1);
        let line = raw.trim_end();
        if line.is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 0 {
            section = line;
            in_specs = false;
            continue;
        }
        match section {
            "GEM" | "GIT" => {
                if indent == 2 {
                    in_specs = line.trim() == "specs:";
                } else if indent == 4 && in_specs {
                    match parse_spec(line.trim()) {
                        Some((name, version, platform)) => specs.push(Spec {
                            line: line_no,
                            name,
                            version,
                            platform,
                        }),
                        None => out.warn(
                            line_no,
                            format!("cannot read gem spec {:?}; skipped", line.trim()),
                        ),
                    }
                }
            }
            "DEPENDENCIES" if indent == 2 => {
                let entry = line.trim();
                let name = entry.split([' ', '(']).next().unwrap_or(entry);
                declared.insert(name.trim_end_matches('!'));
            }
            _ => {}
        }
    }

    let have_declared = !declared.is_empty();
    for spec in specs {
        let direct = have_declared.then(|| declared.contains(spec.name));
        out.add(
            Entry::new(spec.name, spec.version, spec.line, 5)
                .direct(direct)
                .qualifier("platform", spec.platform),
        );
    }
    out.finish()
}

/// `nokogiri (1.10.0-x86_64-linux)` → (`nokogiri`, `1.10.0`, `x86_64-linux`).
fn parse_spec(spec: &str) -> Option<(&str, &str, &str)> {
    let (name, rest) = spec.split_once(" (")?;
    let inner = rest.strip_suffix(')')?;
    let (version, platform) = inner.split_once('-').unwrap_or((inner, ""));
    let valid = !name.is_empty() && !name.contains(char::is_whitespace) && !version.is_empty();
    valid.then_some((name, version, platform))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_platforms() {
        assert_eq!(parse_spec("rack (2.0.6)"), Some(("rack", "2.0.6", "")));
        assert_eq!(
            parse_spec("nokogiri (1.10.0-x86_64-linux)"),
            Some(("nokogiri", "1.10.0", "x86_64-linux"))
        );
        assert_eq!(parse_spec("rack"), None);
        assert_eq!(parse_spec("rack ()"), None);
        assert_eq!(parse_spec("a b (1)"), None);
    }
}
