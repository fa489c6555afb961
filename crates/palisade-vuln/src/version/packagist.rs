//! Packagist (Composer) versions, ordered like PHP's `version_compare` after Composer's light
//! canonicalisation: a leading `v`/`V` is dropped, `-`, `_` and `+` become `.`, and a `.` is
//! inserted wherever digits meet non-digits. Components then compare numerically when both are
//! numbers; otherwise by the special forms `dev < alpha = a < beta = b < RC = rc < # < pl = p`
//! (a number counts as `#`; any other word sorts below `dev`). When one side runs out, a further
//! number makes the longer version greater; a further word compares against `#`.

use std::cmp::Ordering;

use super::num::{all_digits, cmp_digits};
use super::{VersionError, VersionScheme};

#[derive(Debug, Clone)]
pub struct PackagistVersion {
    parts: Vec<String>,
}

impl PackagistVersion {
    pub fn parse(s: &str) -> Result<PackagistVersion, VersionError> {
        let t = s.trim();
        let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
        if t.is_empty() {
            return Err(VersionError::new(
                VersionScheme::Packagist,
                s,
                "empty version",
            ));
        }
        Ok(PackagistVersion {
            parts: canonicalize(t).split('.').map(str::to_string).collect(),
        })
    }
}

fn canonicalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let c = if matches!(c, '-' | '_' | '+') { '.' } else { c };
        if let Some(p) = prev {
            let boundary = p != '.' && c != '.' && (p.is_ascii_digit() != c.is_ascii_digit());
            if boundary {
                out.push('.');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Weight of a special form; any word not listed weighs less than `dev`.
fn special_weight(form: &str) -> i32 {
    if form.starts_with("dev") {
        0
    } else if form.starts_with("RC") || form.starts_with("rc") {
        3
    } else if form.starts_with('a') {
        1
    } else if form.starts_with('b') {
        2
    } else if form.starts_with('#') {
        4
    } else if form.starts_with('p') {
        5
    } else {
        -1
    }
}

fn cmp_part(a: &str, b: &str) -> Ordering {
    match (all_digits(a), all_digits(b)) {
        (true, true) => cmp_digits(a, b),
        (false, false) => special_weight(a).cmp(&special_weight(b)),
        (true, false) => special_weight("#").cmp(&special_weight(b)),
        (false, true) => special_weight(a).cmp(&special_weight("#")),
    }
}

fn cmp_parts(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = cmp_part(x, y);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    let hash = ["#".to_string()];
    match a.len().cmp(&b.len()) {
        Ordering::Equal => Ordering::Equal,
        Ordering::Greater => {
            let rest = &a[b.len()..];
            if all_digits(&rest[0]) {
                Ordering::Greater
            } else {
                cmp_parts(rest, &hash)
            }
        }
        Ordering::Less => {
            let rest = &b[a.len()..];
            if all_digits(&rest[0]) {
                Ordering::Less
            } else {
                cmp_parts(&hash, rest)
            }
        }
    }
}

impl Ord for PackagistVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_parts(&self.parts, &other.parts)
    }
}

impl PartialOrd for PackagistVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PackagistVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for PackagistVersion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_like_order() {
        let v = |s: &str| PackagistVersion::parse(s).unwrap();
        assert!(v("1.0-dev") < v("1.0alpha1"));
        assert!(v("1.0RC1") < v("1.0"));
        assert!(v("1.0") < v("1.0pl1"));
        assert_eq!(v("1.0.0rc2"), v("1.0.0.rc2"));
        assert_eq!(canonicalize("1.0rc1-dev"), "1.0.rc.1.dev");
        assert!(PackagistVersion::parse("v").is_err());
    }
}
