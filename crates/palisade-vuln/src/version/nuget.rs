//! NuGet versions: up to four numeric parts (missing ones are zero), an optional pre-release
//! whose labels compare case-insensitively (numeric labels numerically, below letters), and build
//! metadata that does not count.

use std::cmp::Ordering;

use super::num::{Num, all_digits};
use super::{VersionError, VersionScheme};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Label {
    Num(Num),
    Alpha(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NuGetVersion {
    parts: [Num; 4],
    pre: Vec<Label>,
}

impl NuGetVersion {
    pub fn parse(s: &str) -> Result<NuGetVersion, VersionError> {
        let err = |why: &str| VersionError::new(VersionScheme::NuGet, s, why);
        let t = s.trim();
        let t = t.split_once('+').map_or(t, |(v, _)| v);
        let (core, pre) = match t.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (t, None),
        };
        let nums: Vec<&str> = core.split('.').collect();
        if nums.len() > 4 || !nums.iter().all(|n| all_digits(n)) {
            return Err(err("expected one to four numeric parts"));
        }
        let mut parts: [Num; 4] = Default::default();
        for (slot, n) in parts.iter_mut().zip(&nums) {
            *slot = Num::new(n);
        }
        let pre = match pre {
            None => Vec::new(),
            Some(p) => {
                let labels: Vec<&str> = p.split('.').collect();
                if labels.iter().any(|l| {
                    l.is_empty() || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                }) {
                    return Err(err("bad pre-release label"));
                }
                labels
                    .into_iter()
                    .map(|l| {
                        if all_digits(l) {
                            Label::Num(Num::new(l))
                        } else {
                            Label::Alpha(l.to_ascii_lowercase())
                        }
                    })
                    .collect()
            }
        };
        Ok(NuGetVersion { parts, pre })
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            }
        })
    }
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nuget_order() {
        let v = |s: &str| NuGetVersion::parse(s).unwrap();
        assert_eq!(v("1.0"), v("1.0.0.0"));
        assert!(v("1.0.0-BETA") < v("1.0.0-beta2"));
        assert!(v("1.0.0-beta") < v("1.0.0"));
        assert!(v("1.0.0.1") > v("1.0"));
        assert!(NuGetVersion::parse("1.0.0.0.0").is_err());
        assert!(NuGetVersion::parse("x").is_err());
    }
}
