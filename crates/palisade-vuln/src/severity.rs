//! How bad an advisory is: its CVSS vectors scored locally, else the severity its database
//! states, and where the answer came from.

use std::fmt;

use palisade_core::Severity;
use serde::{Deserialize, Serialize};

use crate::cvss::{self, CvssScore, CvssVersion};
use crate::osv::SeverityScore;

/// Where a severity came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeveritySource {
    CvssV3,
    CvssV4,
    /// The advisory database's own rating (GHSA `database_specific.severity`, Ubuntu priority,
    /// Red Hat style "Important:" summaries).
    Database,
    /// Nothing to go on; the severity is a placeholder (medium).
    Unknown,
}

impl SeveritySource {
    pub fn as_str(self) -> &'static str {
        match self {
            SeveritySource::CvssV3 => "cvss_v3",
            SeveritySource::CvssV4 => "cvss_v4",
            SeveritySource::Database => "database",
            SeveritySource::Unknown => "unknown",
        }
    }

    /// Lower is preferred.
    fn rank(self) -> u8 {
        match self {
            SeveritySource::CvssV3 => 0,
            SeveritySource::CvssV4 => 1,
            SeveritySource::Database => 2,
            SeveritySource::Unknown => 3,
        }
    }
}

impl fmt::Display for SeveritySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resolved severity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeverityInfo {
    pub severity: Severity,
    pub source: SeveritySource,
    /// The CVSS score the severity was derived from, when it was.
    pub cvss: Option<CvssScore>,
}

impl SeverityInfo {
    pub fn unknown() -> SeverityInfo {
        SeverityInfo {
            severity: Severity::Medium,
            source: SeveritySource::Unknown,
            cvss: None,
        }
    }

    /// Picks the better-founded of two answers: CVSS v3 over v4 over the database's word; between
    /// equally founded ones, the higher severity (and score).
    #[must_use]
    pub fn prefer(self, other: SeverityInfo) -> SeverityInfo {
        let key = |s: &SeverityInfo| {
            (
                s.source.rank(),
                std::cmp::Reverse(s.severity),
                s.cvss.as_ref().map(|c| -c.score),
            )
        };
        let (a, b) = (key(&self), key(&other));
        let ordering =
            a.0.cmp(&b.0)
                .then(a.1.cmp(&b.1))
                .then(a.2.partial_cmp(&b.2).unwrap_or(std::cmp::Ordering::Equal));
        if ordering == std::cmp::Ordering::Greater {
            other
        } else {
            self
        }
    }
}

/// A database's wording of a severity: GHSA `MODERATE`, Ubuntu `negligible`, Red Hat `Important`.
pub fn parse_database_severity(text: &str) -> Option<Severity> {
    match text.trim().to_ascii_lowercase().as_str() {
        "critical" => Some(Severity::Critical),
        "high" | "important" => Some(Severity::High),
        "medium" | "moderate" => Some(Severity::Medium),
        "low" => Some(Severity::Low),
        "negligible" | "none" | "info" | "informational" | "unimportant" => Some(Severity::Info),
        _ => None,
    }
}

/// The severity a summary like `Important: kernel security update` states (Red Hat and its
/// rebuilds write their rating there).
pub fn severity_from_summary(summary: &str) -> Option<Severity> {
    let (word, _) = summary.split_once(':')?;
    match word.trim() {
        "Critical" | "Important" | "Moderate" | "Low" => parse_database_severity(word),
        _ => None,
    }
}

/// Resolves the severity of an advisory from its `severity[]` entries and the database's own
/// rating, if any.
pub fn resolve(scores: &[SeverityScore], database: Option<Severity>) -> SeverityInfo {
    let mut best: Option<SeverityInfo> = None;
    for s in scores {
        let info = match s.kind.as_str() {
            "CVSS_V3" | "CVSS_V4" => match cvss::score(&s.score) {
                Ok(score) => SeverityInfo {
                    severity: Severity::from_cvss(score.score),
                    source: if score.version == CvssVersion::V4_0 {
                        SeveritySource::CvssV4
                    } else {
                        SeveritySource::CvssV3
                    },
                    cvss: Some(score),
                },
                Err(_) => continue,
            },
            "Ubuntu" => match parse_database_severity(&s.score) {
                Some(severity) => SeverityInfo {
                    severity,
                    source: SeveritySource::Database,
                    cvss: None,
                },
                None => continue,
            },
            _ => continue,
        };
        best = Some(match best {
            Some(b) => b.prefer(info),
            None => info,
        });
    }
    if let Some(severity) = database {
        let info = SeverityInfo {
            severity,
            source: SeveritySource::Database,
            cvss: None,
        };
        best = Some(match best {
            Some(b) => b.prefer(info),
            None => info,
        });
    }
    best.unwrap_or_else(SeverityInfo::unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(kind: &str, score: &str) -> SeverityScore {
        SeverityScore {
            kind: kind.into(),
            score: score.into(),
        }
    }

    #[test]
    fn cvss_v3_wins_then_v4_then_database() {
        let v3 = score("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N");
        let v4 = score(
            "CVSS_V4",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        );
        let got = resolve(&[v4.clone(), v3], Some(Severity::High));
        assert_eq!(
            (got.severity, got.source),
            (Severity::Medium, SeveritySource::CvssV3)
        );
        let got = resolve(&[v4], Some(Severity::Low));
        assert_eq!(
            (got.severity, got.source),
            (Severity::Critical, SeveritySource::CvssV4)
        );
        let got = resolve(&[], parse_database_severity("MODERATE"));
        assert_eq!(
            (got.severity, got.source),
            (Severity::Medium, SeveritySource::Database)
        );
        let got = resolve(&[score("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P")], None);
        assert_eq!(got.source, SeveritySource::Unknown);
    }

    #[test]
    fn summaries_and_ubuntu_priorities() {
        assert_eq!(
            severity_from_summary("Important: kernel update"),
            Some(Severity::High)
        );
        assert_eq!(severity_from_summary("Fix: something"), None);
        let got = resolve(&[score("Ubuntu", "negligible")], None);
        assert_eq!(
            (got.severity, got.source),
            (Severity::Info, SeveritySource::Database)
        );
    }
}
