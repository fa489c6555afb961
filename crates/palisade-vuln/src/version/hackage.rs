//! Hackage versions (Haskell `Data.Version`): dot-separated non-negative numbers compared as
//! lists, so `1.0 < 1.0.0`.

use std::cmp::Ordering;

use super::num::{Num, all_digits};
use super::{VersionError, VersionScheme};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HackageVersion(Vec<Num>);

impl HackageVersion {
    pub fn parse(s: &str) -> Result<HackageVersion, VersionError> {
        let parts: Vec<&str> = s.trim().split('.').collect();
        if !parts.iter().all(|p| all_digits(p)) {
            return Err(VersionError::new(
                VersionScheme::Hackage,
                s,
                "expected dot-separated numbers",
            ));
        }
        Ok(HackageVersion(parts.into_iter().map(Num::new).collect()))
    }
}

impl Ord for HackageVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for HackageVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_order() {
        let v = |s: &str| HackageVersion::parse(s).unwrap();
        assert!(v("1.0") < v("1.0.0"));
        assert!(v("0.11.3.0") < v("1"));
        assert!(HackageVersion::parse("1.0-beta").is_err());
    }
}
