//! CVSS base scores computed locally from vector strings: v3.0 and v3.1 with the specification's
//! formulas, v4.0 with the MacroVector lookup-and-interpolation method. CVSS v2 vectors are
//! recognised but not scored.

mod v3;
mod v4;
mod v4_table;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use v3::CvssV3;
pub use v4::CvssV4;

/// Which CVSS version a vector is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CvssVersion {
    #[serde(rename = "2.0")]
    V2,
    #[serde(rename = "3.0")]
    V3_0,
    #[serde(rename = "3.1")]
    V3_1,
    #[serde(rename = "4.0")]
    V4_0,
}

impl fmt::Display for CvssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CvssVersion::V2 => "2.0",
            CvssVersion::V3_0 => "3.0",
            CvssVersion::V3_1 => "3.1",
            CvssVersion::V4_0 => "4.0",
        })
    }
}

/// A computed base score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvssScore {
    pub version: CvssVersion,
    pub vector: String,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CvssError {
    #[error("invalid CVSS vector `{vector}`: {reason}")]
    Invalid { vector: String, reason: String },
    #[error("CVSS {version} vectors are not scored (`{vector}`)")]
    Unsupported {
        version: CvssVersion,
        vector: String,
    },
}

impl CvssError {
    fn invalid(vector: &str, reason: impl Into<String>) -> CvssError {
        CvssError::Invalid {
            vector: vector.to_string(),
            reason: reason.into(),
        }
    }
}

/// Scores any supported vector, recognising its version from the prefix.
pub fn score(vector: &str) -> Result<CvssScore, CvssError> {
    let v = vector.trim();
    if v.starts_with("CVSS:3.0/") || v.starts_with("CVSS:3.1/") {
        let parsed = CvssV3::parse(v)?;
        Ok(CvssScore {
            version: parsed.version(),
            vector: v.to_string(),
            score: parsed.base_score(),
        })
    } else if v.starts_with("CVSS:4.0/") {
        let parsed = CvssV4::parse(v)?;
        Ok(CvssScore {
            version: CvssVersion::V4_0,
            vector: v.to_string(),
            score: parsed.score(),
        })
    } else if v.starts_with("AV:") || v.starts_with("(AV:") || v.starts_with("CVSS:2.0/") {
        Err(CvssError::Unsupported {
            version: CvssVersion::V2,
            vector: v.to_string(),
        })
    } else {
        Err(CvssError::invalid(v, "unknown CVSS version prefix"))
    }
}

/// Splits `PREFIX/K:V/K:V…` into metrics, checking each key against `allowed` (key → values) and
/// rejecting repeats.
pub(crate) fn parse_metrics<'a>(
    vector: &'a str,
    prefix: &str,
    allowed: &[(&str, &[&str])],
) -> Result<BTreeMap<&'a str, &'a str>, CvssError> {
    let body = vector
        .strip_prefix(prefix)
        .ok_or_else(|| CvssError::invalid(vector, format!("expected prefix `{prefix}`")))?;
    let mut metrics = BTreeMap::new();
    for part in body.split('/') {
        let (key, value) = part
            .split_once(':')
            .ok_or_else(|| CvssError::invalid(vector, format!("`{part}` is not METRIC:VALUE")))?;
        let Some((_, values)) = allowed.iter().find(|(k, _)| *k == key) else {
            return Err(CvssError::invalid(
                vector,
                format!("unknown metric `{key}`"),
            ));
        };
        if !values.contains(&value) {
            return Err(CvssError::invalid(
                vector,
                format!("`{value}` is not a value of `{key}`"),
            ));
        }
        if metrics.insert(key, value).is_some() {
            return Err(CvssError::invalid(
                vector,
                format!("metric `{key}` repeated"),
            ));
        }
    }
    Ok(metrics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatches_on_prefix() {
        let s = score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
        assert_eq!(s.version, CvssVersion::V3_1);
        assert!((s.score - 9.8).abs() < 1e-9);
        let s = score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").unwrap();
        assert_eq!(s.version, CvssVersion::V4_0);
        assert!((s.score - 9.3).abs() < 1e-9);
        assert!(matches!(
            score("AV:N/AC:L/Au:N/C:P/I:P/A:P"),
            Err(CvssError::Unsupported {
                version: CvssVersion::V2,
                ..
            })
        ));
        assert!(matches!(
            score("CVSS:9.9/AV:N"),
            Err(CvssError::Invalid { .. })
        ));
    }
}
