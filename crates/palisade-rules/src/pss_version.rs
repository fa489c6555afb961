use std::fmt;
use std::str::FromStr;

/// The newest Pod Security Standards policy version Palisade knows. Newer requested versions
/// are evaluated as this one, as Pod Security Admission treats versions newer than itself.
pub const LATEST_PSS_MINOR: u32 = 37;

/// A Pod Security Standards policy version (`v1.N`), as in PSA's `enforce-version` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PssVersion {
    minor: u32,
}

impl PssVersion {
    pub fn latest() -> Self {
        PssVersion {
            minor: LATEST_PSS_MINOR,
        }
    }

    /// `v1.minor`; minors newer than the latest known one are clamped to it.
    pub fn v1(minor: u32) -> Self {
        PssVersion {
            minor: minor.min(LATEST_PSS_MINOR),
        }
    }

    /// True when this policy version is `v1.minor` or newer.
    pub fn at_least(self, minor: u32) -> bool {
        self.minor >= minor
    }

    pub fn minor(self) -> u32 {
        self.minor
    }
}

impl fmt::Display for PssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v1.{}", self.minor)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid Pod Security Standards version `{0}` (expected v1.0 … v1.{LATEST_PSS_MINOR} or latest)"
)]
pub struct ParsePssVersionError(pub String);

impl FromStr for PssVersion {
    type Err = ParsePssVersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("latest") {
            return Ok(PssVersion::latest());
        }
        let error = || ParsePssVersionError(s.to_string());
        let digits = s.strip_prefix('v').unwrap_or(s);
        let (major, minor) = digits.split_once('.').ok_or_else(error)?;
        if major != "1" || minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error());
        }
        Ok(PssVersion::v1(minor.parse().map_err(|_| error())?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_policy_versions() {
        assert_eq!("v1.25".parse::<PssVersion>().unwrap().minor(), 25);
        assert_eq!("1.0".parse::<PssVersion>().unwrap().minor(), 0);
        assert_eq!(
            "latest".parse::<PssVersion>().unwrap(),
            PssVersion::latest()
        );
        assert_eq!("v1.99".parse::<PssVersion>().unwrap(), PssVersion::latest());
        for bad in ["v2.1", "v1", "v1.x", "", "v1.-1", "1.2.3"] {
            assert!(bad.parse::<PssVersion>().is_err(), "{bad}");
        }
    }
}
