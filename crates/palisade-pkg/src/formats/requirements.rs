//! pip `requirements.txt`.
//!
//! Lines ending in `\` continue on the next line; `#` starts a comment at the start of a line
//! or after whitespace. A requirement is `name[extras] specifiers ; markers` followed by
//! options such as `--hash=…`. Only `==V` (without a wildcard) and `===V` pin a version; any
//! other requirement is reported with `pinned: false` and its specifier text as the version.
//! Includes (`-r`, `-c`) are not followed: each becomes a warning, as do editable installs and
//! bare paths or URLs. Environment markers are not evaluated.

use crate::collect::{Collector, Entry};
use crate::model::{LockFile, LockFileKind};
use crate::text::{column_of, to_u32};

const OPERATORS: [&str; 8] = ["===", "==", "!=", "~=", "<=", ">=", "<", ">"];

/// Parsing a requirements file never fails: a line it cannot read becomes a warning.
pub(crate) fn parse(path: &str, text: &str) -> LockFile {
    let mut out = Collector::new(path, LockFileKind::Requirements);
    let mut physical = text.lines().enumerate();
    while let Some((index, first)) = physical.next() {
        let line_no = to_u32(index + 1);
        let mut logical = first.to_string();
        while logical.ends_with('\\') {
            logical.pop();
            match physical.next() {
                Some((_, next)) => logical.push_str(next),
                None => break,
            }
        }
        let content = strip_comment(&logical).trim();
        if content.is_empty() {
            continue;
        }
        if content.starts_with('-') {
            option_line(content, line_no, &mut out);
            continue;
        }
        // The name's column, when it sits on the entry's first physical line.
        let column = if content.as_ptr() as usize - logical.as_ptr() as usize <= first.len() {
            column_of(&logical, content)
        } else {
            1
        };
        match requirement(content) {
            Ok(req) => {
                out.add(Entry::new(req.name, req.version, line_no, column).pinned(req.pinned));
            }
            Err(message) => out.warn(line_no, message),
        }
    }
    out.finish()
}

/// Everything before a `#` that starts the line or follows whitespace.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

fn option_line(content: &str, line_no: u32, out: &mut Collector<'_>) {
    let (option, value) = split_option(content);
    match option {
        "-r" | "--requirement" => out.warn(
            line_no,
            format!("included requirements file {value:?} is not followed; scan it separately"),
        ),
        "-c" | "--constraint" => out.warn(
            line_no,
            format!("constraints file {value:?} is not followed; scan it separately"),
        ),
        "-e" | "--editable" => out.warn(
            line_no,
            format!("editable requirement {value:?} is not a registry package; skipped"),
        ),
        // Index, find-links, trusted-host and build options do not name packages.
        _ => {}
    }
}

/// `-r file`, `-rfile`, `--requirement=file` → (option, value).
fn split_option(content: &str) -> (&str, &str) {
    if let Some(long) = content.strip_prefix("--") {
        let end = long.find(['=', ' ', '\t']).map_or(content.len(), |i| i + 2);
        let value = content[end..].trim_start_matches(['=', ' ', '\t']);
        return (
            &content[..end],
            value.split_whitespace().next().unwrap_or(""),
        );
    }
    let end = content
        .char_indices()
        .nth(2)
        .map_or(content.len(), |(i, _)| i);
    let value = content[end..].trim_start();
    (
        &content[..end],
        value.split_whitespace().next().unwrap_or(""),
    )
}

struct Requirement<'a> {
    name: &'a str,
    version: String,
    pinned: bool,
}

fn requirement(content: &str) -> Result<Requirement<'_>, String> {
    // Per-requirement options (`--hash=…`) follow the requirement.
    let content = match content.find(" -") {
        Some(i) => content[..i].trim_end(),
        None => content,
    };
    let name_len = content
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        .count();
    let name = &content[..name_len];
    let valid_start = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric());
    let mut rest = content[name_len..].trim_start();
    if !valid_start || rest.starts_with(['/', ':', '\\']) {
        return Err(format!(
            "{content:?} is not a `name==version` requirement (path or URL?); skipped"
        ));
    }
    if rest.starts_with('[') {
        let Some(end) = rest.find(']') else {
            return Err(format!("unclosed extras in {content:?}; skipped"));
        };
        rest = rest[end + 1..].trim_start();
    }
    if let Some(url) = rest.strip_prefix('@') {
        let url = url.split(" ;").next().unwrap_or(url).trim();
        return Ok(Requirement {
            name,
            version: url.to_string(),
            pinned: false,
        });
    }
    let spec = rest.split(';').next().unwrap_or(rest).trim();
    // Legacy form: `name (==1.0)`.
    let spec = spec
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(spec)
        .trim();
    let well_formed = spec
        .split(',')
        .all(|part| OPERATORS.iter().any(|op| part.trim_start().starts_with(op)));
    if !spec.is_empty() && !well_formed {
        return Err(format!(
            "unrecognised version specifier in {content:?}; skipped"
        ));
    }
    Ok(pin(name, spec))
}

/// The version of a specifier list when it pins exactly one version.
fn pin<'a>(name: &'a str, spec: &str) -> Requirement<'a> {
    let unpinned = || Requirement {
        name,
        version: spec.to_string(),
        pinned: false,
    };
    if spec.contains(',') {
        return unpinned();
    }
    let Some(op) = OPERATORS.iter().find(|op| spec.starts_with(**op)) else {
        return unpinned();
    };
    let version = spec[op.len()..].trim();
    let exact = match *op {
        "===" => !version.is_empty(),
        "==" => !version.is_empty() && !version.ends_with(".*"),
        _ => false,
    };
    if exact && !version.contains(char::is_whitespace) {
        Requirement {
            name,
            version: version.to_string(),
            pinned: true,
        }
    } else {
        unpinned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(content: &str) -> (String, String, bool) {
        let r = requirement(content).unwrap();
        (r.name.to_string(), r.version, r.pinned)
    }

    #[test]
    fn pins_only_exact_versions() {
        assert_eq!(
            req("Django==2.2.0"),
            ("Django".into(), "2.2.0".into(), true)
        );
        assert_eq!(
            req("requests == 2.19.0"),
            ("requests".into(), "2.19.0".into(), true)
        );
        assert_eq!(
            req("foo===1.0-custom"),
            ("foo".into(), "1.0-custom".into(), true)
        );
        assert_eq!(req("foo==1.*"), ("foo".into(), "==1.*".into(), false));
        assert_eq!(req("foo>=1.0,<2"), ("foo".into(), ">=1.0,<2".into(), false));
        assert_eq!(req("foo~=1.4"), ("foo".into(), "~=1.4".into(), false));
        assert_eq!(req("foo"), ("foo".into(), String::new(), false));
        assert_eq!(req("foo (==1.0)"), ("foo".into(), "1.0".into(), true));
    }

    #[test]
    fn extras_markers_urls_and_hashes() {
        assert_eq!(
            req("celery[redis,msgpack]==4.3.0 ; python_version < \"3.8\""),
            ("celery".into(), "4.3.0".into(), true)
        );
        assert_eq!(
            req("urllib3==1.24.1 --hash=sha256:abc --hash=sha256:def"),
            ("urllib3".into(), "1.24.1".into(), true)
        );
        assert_eq!(
            req("pip @ https://example.invalid/pip-1.0.zip"),
            (
                "pip".into(),
                "https://example.invalid/pip-1.0.zip".into(),
                false
            )
        );
        assert!(requirement("./local/pkg").is_err());
        assert!(requirement("https://example.invalid/x.whl").is_err());
        assert!(requirement("foo[bar==1").is_err());
        assert!(requirement("hello world").is_err());
    }

    #[test]
    fn comments_and_options() {
        assert_eq!(strip_comment("a==1 # pinned"), "a==1 ");
        assert_eq!(strip_comment("# all"), "");
        assert_eq!(
            strip_comment("a @ https://h/x#egg=a"),
            "a @ https://h/x#egg=a"
        );
        assert_eq!(split_option("-r base.txt"), ("-r", "base.txt"));
        assert_eq!(split_option("-rbase.txt"), ("-r", "base.txt"));
        assert_eq!(
            split_option("--requirement=base.txt"),
            ("--requirement", "base.txt")
        );
        assert_eq!(split_option("--pre"), ("--pre", ""));
    }
}
