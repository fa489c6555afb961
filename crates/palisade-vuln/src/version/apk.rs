//! Alpine (apk) versions: `number{.number}…{letter}{_suffix{number}}…{~hash}{-r#}`.
//!
//! Order, part by part:
//! 1. numbers: the first numerically; later ones numerically unless either has a leading zero,
//!    in which case as strings (Gentoo rule); more numbers beat fewer;
//! 2. the optional single lower-case letter (none sorts first);
//! 3. suffixes: `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`, each
//!    with an optional number (absent sorts first);
//! 4. the `~hash` (present sorts after absent);
//! 5. anything left over that does not follow the grammar: a clean version sorts after one with
//!    left-overs, left-overs compare as strings;
//! 6. the `-rN` package release: a malformed release sorts first, then none, then by number.
//!
//! Strings that do not start with a digit are not apk versions but are still accepted (some
//! feeds carry them): they sort before every proper version, among themselves by their text.

use std::cmp::Ordering;

use super::num::{Num, cmp_digits, split_digits};
use super::{VersionError, VersionScheme};

const SUFFIX_NONE: u8 = 5;

fn suffix_weight(name: &str) -> Option<u8> {
    Some(match name {
        "alpha" => 1,
        "beta" => 2,
        "pre" => 3,
        "rc" => 4,
        "cvs" => 6,
        "svn" => 7,
        "git" => 8,
        "hg" => 9,
        "p" => 10,
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Release {
    Malformed,
    Absent,
    Number(Num),
}

#[derive(Debug, Clone)]
pub struct ApkVersion {
    numbers: Vec<String>,
    letter: Option<u8>,
    suffixes: Vec<(u8, Option<Num>)>,
    hash: Option<String>,
    leftover: Option<String>,
    release: Release,
}

impl ApkVersion {
    pub fn parse(s: &str) -> Result<ApkVersion, VersionError> {
        let text = s.trim();
        if text.is_empty() {
            return Err(VersionError::new(VersionScheme::Alpine, s, "empty version"));
        }
        let (body, release) = match text.split_once('-') {
            Some((body, rel)) => (body, parse_release(rel)),
            None => (text, Release::Absent),
        };
        let mut v = ApkVersion {
            numbers: Vec::new(),
            letter: None,
            suffixes: Vec::new(),
            hash: None,
            leftover: None,
            release,
        };
        let rest = v.parse_body(body);
        if !rest.is_empty() {
            v.leftover = Some(rest.to_string());
        }
        Ok(v)
    }

    /// Reads the grammar from the front of `body`; returns what could not be read.
    fn parse_body<'a>(&mut self, body: &'a str) -> &'a str {
        let (first, mut rest) = split_digits(body);
        if first.is_empty() {
            return body;
        }
        self.numbers.push(first.to_string());
        while let Some(after_dot) = rest.strip_prefix('.') {
            let (digits, r) = split_digits(after_dot);
            if digits.is_empty() {
                break;
            }
            self.numbers.push(digits.to_string());
            rest = r;
        }
        if let Some(&c) = rest.as_bytes().first().filter(|c| c.is_ascii_lowercase()) {
            self.letter = Some(c);
            rest = &rest[1..];
        }
        while let Some(after) = rest.strip_prefix('_') {
            let name_len = after.bytes().take_while(u8::is_ascii_lowercase).count();
            let Some(weight) = suffix_weight(&after[..name_len]) else {
                break;
            };
            let (digits, r) = split_digits(&after[name_len..]);
            self.suffixes
                .push((weight, (!digits.is_empty()).then(|| Num::new(digits))));
            rest = r;
        }
        if let Some(after) = rest.strip_prefix('~') {
            let len = after.bytes().take_while(u8::is_ascii_hexdigit).count();
            if len > 0 {
                self.hash = Some(after[..len].to_string());
                rest = &after[len..];
            }
        }
        rest
    }
}

/// `-r` followed by digits (none means 0); anything else after the `-` is malformed.
fn parse_release(text: &str) -> Release {
    match text.strip_prefix('r') {
        Some("") => Release::Number(Num::default()),
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => {
            Release::Number(Num::new(digits))
        }
        _ => Release::Malformed,
    }
}

fn cmp_number(first: bool, a: &str, b: &str) -> Ordering {
    if !first && (a.starts_with('0') || b.starts_with('0')) {
        a.cmp(b)
    } else {
        cmp_digits(a, b)
    }
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        for (i, (a, b)) in self.numbers.iter().zip(&other.numbers).enumerate() {
            let ord = cmp_number(i == 0, a, b);
            if ord != Ordering::Equal {
                return ord;
            }
        }
        let none = (SUFFIX_NONE, None);
        self.numbers
            .len()
            .cmp(&other.numbers.len())
            .then_with(|| self.letter.cmp(&other.letter))
            .then_with(|| {
                let n = self.suffixes.len().max(other.suffixes.len());
                (0..n)
                    .map(|i| {
                        let a = self.suffixes.get(i).unwrap_or(&none);
                        let b = other.suffixes.get(i).unwrap_or(&none);
                        a.cmp(b)
                    })
                    .find(|o| *o != Ordering::Equal)
                    .unwrap_or(Ordering::Equal)
            })
            .then_with(|| self.hash.cmp(&other.hash))
            .then_with(|| match (&self.leftover, &other.leftover) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
            .then_with(|| self.release.cmp(&other.release))
    }
}

impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ApkVersion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apk_order() {
        let v = |s: &str| ApkVersion::parse(s).unwrap();
        assert!(v("1.2_rc1") < v("1.2"));
        assert!(v("1.2") < v("1.2_p1"));
        assert!(v("1.2.3-r1") < v("1.2.3-r10"));
        assert!(v("1.2a") > v("1.2"));
        assert!(v("1.2_alpha_pre2") < v("1.2_alpha"));
        assert!(v("1.2") < v("1.2-r0"));
        assert!(ApkVersion::parse(" ").is_err());
    }
}
