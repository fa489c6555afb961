//! Dart `pub` versions: semver where build metadata takes part in the order (a version with
//! build metadata sorts after the same version without it, as `pub_semver` does).

use std::cmp::Ordering;

use super::semver::{SemVersion, parse_with};
use super::{VersionError, VersionScheme};

#[derive(Debug, Clone)]
pub struct PubVersion(SemVersion);

impl PubVersion {
    pub fn parse(s: &str) -> Result<PubVersion, VersionError> {
        parse_with(VersionScheme::Pub, s).map(PubVersion)
    }
}

impl Ord for PubVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp_precedence(&other.0).then_with(|| {
            match (self.0.build.is_empty(), other.0.build.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => self.0.build.cmp(&other.0.build),
            }
        })
    }
}

impl PartialOrd for PubVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PubVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for PubVersion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_metadata_orders() {
        let v = |s: &str| PubVersion::parse(s).unwrap();
        assert!(v("1.0.0") < v("1.0.0+1"));
        assert!(v("1.0.0+1") < v("1.0.0+a"));
        assert!(v("1.0.0-pre+build") < v("1.0.0"));
    }
}
