//! CRAN versions (R `package_version`): non-negative numbers separated by `.` or `-`, compared as
//! lists of numbers, so `0.1-0` equals `0.01.0` and `0.1.0 < 0.1.0.0`.

use std::cmp::Ordering;

use super::num::{Num, all_digits};
use super::{VersionError, VersionScheme};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CranVersion(Vec<Num>);

impl CranVersion {
    pub fn parse(s: &str) -> Result<CranVersion, VersionError> {
        let parts: Vec<&str> = s.trim().split(['.', '-']).collect();
        if !parts.iter().all(|p| all_digits(p)) {
            return Err(VersionError::new(
                VersionScheme::Cran,
                s,
                "expected numbers separated by `.` or `-`",
            ));
        }
        Ok(CranVersion(parts.into_iter().map(Num::new).collect()))
    }
}

impl Ord for CranVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for CranVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_order() {
        let v = |s: &str| CranVersion::parse(s).unwrap();
        assert_eq!(v("0.1-0"), v("0.01.0"));
        assert!(v("0.9") < v("0.75"));
        assert!(CranVersion::parse("1.0a").is_err());
    }
}
