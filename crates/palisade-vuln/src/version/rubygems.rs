//! RubyGems versions (`Gem::Version`): dot-separated numbers and letter runs; a `-` starts a
//! pre-release (`1.0-rc1` is `1.0.pre.rc1`); any letter segment makes a pre-release, which sorts
//! before the numbers it replaces; trailing zeros of the release part and of the pre-release part
//! do not count.

use std::cmp::Ordering;

use super::num::Num;
use super::{VersionError, VersionScheme};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Seg {
    Str(String),
    Num(Num),
}

#[derive(Debug, Clone)]
pub struct GemVersion {
    segments: Vec<Seg>,
}

fn valid(s: &str) -> bool {
    // [0-9][0-9A-Za-z]* (\.[0-9A-Za-z]+)* (-[0-9A-Za-z-]+ (\.[0-9A-Za-z-]+)*)?
    // (RubyGems itself wants the first segment all digits; `1beta` is accepted here as the
    // advisory databases and other scanners accept it.)
    let (release, pre) = match s.split_once('-') {
        Some((r, p)) => (r, Some(p)),
        None => (s, None),
    };
    let mut parts = release.split('.');
    let first_ok = parts.next().is_some_and(|p| {
        p.as_bytes().first().is_some_and(u8::is_ascii_digit)
            && p.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    let rest_ok = parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    let pre_ok = pre.is_none_or(|p| {
        p.split('.').all(|seg| {
            !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    });
    first_ok && rest_ok && pre_ok
}

impl GemVersion {
    pub fn parse(s: &str) -> Result<GemVersion, VersionError> {
        let t = s.trim();
        if t.is_empty() || !valid(t) {
            return Err(VersionError::new(
                VersionScheme::RubyGems,
                s,
                "not a Gem::Version",
            ));
        }
        let text = t.replace('-', ".pre.");
        let mut raw = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() {
                let len = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                raw.push(Seg::Num(Num::new(&text[i..i + len])));
                i += len;
            } else if bytes[i].is_ascii_alphabetic() {
                let len = bytes[i..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                raw.push(Seg::Str(text[i..i + len].to_string()));
                i += len;
            } else {
                i += 1;
            }
        }
        // Canonical segments: drop trailing zeros of the numeric prefix and of the rest.
        let split = raw
            .iter()
            .position(|s| matches!(s, Seg::Str(_)))
            .unwrap_or(raw.len());
        let mut rest = raw.split_off(split);
        let is_zero = |s: &Seg| matches!(s, Seg::Num(n) if n.is_zero());
        while raw.last().is_some_and(is_zero) {
            raw.pop();
        }
        while rest.last().is_some_and(is_zero) {
            rest.pop();
        }
        raw.extend(rest);
        Ok(GemVersion { segments: raw })
    }

    pub fn is_prerelease(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, Seg::Str(_)))
    }
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Seg::Num(Num::default());
        let n = self.segments.len().max(other.segments.len());
        for i in 0..n {
            let a = self.segments.get(i).unwrap_or(&zero);
            let b = other.segments.get(i).unwrap_or(&zero);
            let ord = a.cmp(b);
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GemVersion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gem_order() {
        let v = |s: &str| GemVersion::parse(s).unwrap();
        assert!(v("1.0.a") < v("1.0"));
        assert!(v("1.0-rc1") < v("1.0"));
        assert_eq!(v("1.0.0"), v("1"));
        assert!(v("1.0.b1") < v("1.0.b2"));
        assert!(v("1.0.a") < v("1.0.b"));
        assert!(v("1.0-rc1").is_prerelease());
        assert!(GemVersion::parse("junk").is_err());
        assert!(GemVersion::parse("1..2").is_err());
    }
}
