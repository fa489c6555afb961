//! Debian package versions (`deb-version(7)`): `[epoch:]upstream[-revision]`, compared the way
//! `dpkg --compare-versions` does: epochs numerically, then upstream and revision with
//! `verrevcmp` (alternating non-digit and digit runs; `~` sorts before everything, even the end
//! of the string; letters sort before other characters; digit runs compare numerically).

use std::cmp::Ordering;

use super::num::{cmp_digits, split_digits};
use super::{VersionError, VersionScheme};

#[derive(Debug, Clone)]
pub struct DpkgVersion {
    epoch: String,
    upstream: String,
    revision: String,
}

impl DpkgVersion {
    pub fn parse(s: &str) -> Result<DpkgVersion, VersionError> {
        let err = |why: &str| VersionError::new(VersionScheme::Debian, s, why);
        let t = s.trim();
        if t.is_empty() {
            return Err(err("empty version"));
        }
        if t.chars().any(char::is_whitespace) {
            return Err(err("contains whitespace"));
        }
        let (epoch, rest) = match t.split_once(':') {
            Some((e, r)) => {
                if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(err("epoch is not a number"));
                }
                (e, r)
            }
            None => ("0", t),
        };
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((u, r)) => (u, r),
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err(err("empty upstream version"));
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || ".+~-:_".contains(c);
        if !upstream.chars().all(allowed) || !revision.chars().all(allowed) {
            return Err(err("character not allowed in a Debian version"));
        }
        Ok(DpkgVersion {
            epoch: epoch.to_string(),
            upstream: upstream.to_string(),
            revision: revision.to_string(),
        })
    }
}

/// Sort weight of one non-digit character; `None` is the end of the run.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

pub(crate) fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    while !a.is_empty() || !b.is_empty() {
        // Non-digit prefix.
        let a_end = a
            .bytes()
            .position(|c| c.is_ascii_digit())
            .unwrap_or(a.len());
        let b_end = b
            .bytes()
            .position(|c| c.is_ascii_digit())
            .unwrap_or(b.len());
        let (an, bn) = (&a.as_bytes()[..a_end], &b.as_bytes()[..b_end]);
        let n = an.len().max(bn.len());
        for i in 0..n {
            let ord = order(an.get(i).copied()).cmp(&order(bn.get(i).copied()));
            if ord != Ordering::Equal {
                return ord;
            }
        }
        a = &a[a_end..];
        b = &b[b_end..];
        // Digit run.
        let (ad, ar) = split_digits(a);
        let (bd, br) = split_digits(b);
        let ord = cmp_digits(ad, bd);
        if ord != Ordering::Equal {
            return ord;
        }
        a = ar;
        b = br;
    }
    Ordering::Equal
}

impl Ord for DpkgVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(&self.epoch, &other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}

impl PartialOrd for DpkgVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for DpkgVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for DpkgVersion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_order() {
        let v = |s: &str| DpkgVersion::parse(s).unwrap();
        assert!(v("1.0~rc1") < v("1.0"));
        assert!(v("1.0") < v("1.0+b1"));
        assert!(v("1:0.1") > v("2.0"));
        assert!(v("1.2.3-1~deb12u1") < v("1.2.3-1"));
        assert!(v("1.2.3-1") < v("1.2.3-1+deb12u1"));
        assert_eq!(v("1.0"), v("0:1.0-0"));
        assert!(v("1.0a") < v("1.0+"));
        assert!(DpkgVersion::parse("a:1").is_err());
        assert!(DpkgVersion::parse("1 2").is_err());
        assert!(DpkgVersion::parse("").is_err());
    }
}
