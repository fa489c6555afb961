//! RPM versions: `[epoch:]version[-release]`. The epoch compares numerically (missing is 0),
//! version and release with `rpmvercmp`: runs of digits and of ASCII letters, everything else is a
//! separator; digits beat letters; `~` sorts before everything including the end, `^` sorts
//! after the end but before anything else. A missing release sorts before any release.

use std::cmp::Ordering;

use super::num::{all_digits, cmp_digits};
use super::{VersionError, VersionScheme};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Tok<'a> {
    Tilde,
    Caret,
    Alpha(&'a str),
    Num(&'a str),
}

/// Rank of a token position for `rpmvercmp`: `~` < end < `^` < letters < digits.
fn rank(t: Option<&Tok<'_>>) -> u8 {
    match t {
        Some(Tok::Tilde) => 0,
        None => 1,
        Some(Tok::Caret) => 2,
        Some(Tok::Alpha(_)) => 3,
        Some(Tok::Num(_)) => 4,
    }
}

fn tokens(s: &str) -> Vec<Tok<'_>> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'~' {
            out.push(Tok::Tilde);
            i += 1;
        } else if b == b'^' {
            out.push(Tok::Caret);
            i += 1;
        } else if b.is_ascii_digit() {
            let len = bytes[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            out.push(Tok::Num(&s[i..i + len]));
            i += len;
        } else if b.is_ascii_alphabetic() {
            let len = bytes[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            out.push(Tok::Alpha(&s[i..i + len]));
            i += len;
        } else {
            i += 1;
        }
    }
    out
}

/// `rpmvercmp` of two version or release strings.
pub(crate) fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (left, right) = (tokens(a), tokens(b));
    let mut index = 0;
    loop {
        let (lhs, rhs) = (left.get(index), right.get(index));
        if lhs.is_none() && rhs.is_none() {
            return Ordering::Equal;
        }
        let ord = match (lhs, rhs) {
            (Some(Tok::Num(l)), Some(Tok::Num(r))) => cmp_digits(l, r),
            (Some(Tok::Alpha(l)), Some(Tok::Alpha(r))) => l.cmp(r),
            _ => rank(lhs).cmp(&rank(rhs)),
        };
        if ord != Ordering::Equal {
            return ord;
        }
        index += 1;
    }
}

#[derive(Debug, Clone)]
pub struct RpmVersion {
    epoch: String,
    version: String,
    release: Option<String>,
}

impl RpmVersion {
    pub fn parse(s: &str) -> Result<RpmVersion, VersionError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(VersionError::new(VersionScheme::Rpm, s, "empty version"));
        }
        // An epoch is a number before the first colon; other colons belong to the version.
        let (epoch, rest) = match t.split_once(':') {
            Some((e, r)) if all_digits(e) => (e, r),
            _ => ("0", t),
        };
        let (version, release) = match rest.rsplit_once('-') {
            Some((v, r)) => (v, Some(r.to_string())),
            None => (rest, None),
        };
        Ok(RpmVersion {
            epoch: epoch.to_string(),
            version: version.to_string(),
            release,
        })
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(&self.epoch, &other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(a), Some(b)) => rpmvercmp(a, b),
            })
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RpmVersion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpm_order() {
        let v = |s: &str| RpmVersion::parse(s).unwrap();
        assert!(v("1.0~rc1-1.el9") < v("1.0-1.el9"));
        assert!(v("1.0^git1") > v("1.0"));
        assert!(v("1.0^git1") < v("1.0.1"));
        assert!(v("2:1.0-1") > v("1:9.9-1"));
        assert!(v("3.10.0-229.el7") < v("3.10.0-229.1.2.el7"));
        assert!(v("1.0a") < v("1.0.1"));
        assert_eq!(rpmvercmp("1.0", "1_0"), Ordering::Equal);
    }
}
