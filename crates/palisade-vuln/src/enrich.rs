//! Optional enrichment of matches by CVE ID: the CISA Known Exploited Vulnerabilities catalog
//! (JSON) and FIRST EPSS scores (CSV: a `#` comment line, a `cve,epss,percentile` header, rows).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::matching::VulnMatch;

#[derive(Debug, thiserror::Error)]
pub enum EnrichError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("KEV catalog is not valid: {0}")]
    Kev(String),
    #[error("EPSS file line {line}: {reason}")]
    Epss { line: usize, reason: String },
}

/// One KEV catalog entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevEntry {
    #[serde(rename = "cveID")]
    pub cve_id: String,
    #[serde(rename = "vendorProject", default)]
    pub vendor_project: String,
    #[serde(default)]
    pub product: String,
    #[serde(rename = "vulnerabilityName", default)]
    pub vulnerability_name: String,
    #[serde(rename = "dateAdded", default)]
    pub date_added: String,
    #[serde(rename = "dueDate", default)]
    pub due_date: String,
    #[serde(rename = "requiredAction", default)]
    pub required_action: String,
    #[serde(rename = "knownRansomwareCampaignUse", default)]
    pub known_ransomware_campaign_use: String,
}

#[derive(Deserialize)]
struct KevCatalog {
    #[serde(rename = "catalogVersion", default)]
    catalog_version: String,
    vulnerabilities: Vec<KevEntry>,
}

/// The KEV catalog, keyed by CVE ID.
#[derive(Debug, Clone, Default)]
pub struct Kev {
    pub catalog_version: String,
    entries: HashMap<String, KevEntry>,
}

impl Kev {
    pub fn from_json(bytes: &[u8]) -> Result<Kev, EnrichError> {
        let catalog: KevCatalog =
            serde_json::from_slice(bytes).map_err(|e| EnrichError::Kev(e.to_string()))?;
        Ok(Kev {
            catalog_version: catalog.catalog_version,
            entries: catalog
                .vulnerabilities
                .into_iter()
                .map(|e| (e.cve_id.trim().to_ascii_uppercase(), e))
                .collect(),
        })
    }

    pub fn load(path: impl AsRef<Path>) -> Result<Kev, EnrichError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| EnrichError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Kev::from_json(&bytes)
    }

    pub fn get(&self, cve: &str) -> Option<&KevEntry> {
        self.entries.get(&cve.to_ascii_uppercase())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// An EPSS probability and its percentile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpssScore {
    pub epss: f64,
    pub percentile: f64,
}

/// EPSS scores keyed by CVE ID.
#[derive(Debug, Clone, Default)]
pub struct Epss {
    /// The comment line (model version and score date).
    pub comment: String,
    scores: HashMap<String, EpssScore>,
}

impl Epss {
    pub fn parse(text: &str) -> Result<Epss, EnrichError> {
        let mut epss = Epss::default();
        let mut saw_header = false;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if let Some(comment) = line.strip_prefix('#') {
                epss.comment = comment.trim().to_string();
                continue;
            }
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            if !saw_header {
                saw_header = true;
                if fields
                    .first()
                    .is_some_and(|f| f.eq_ignore_ascii_case("cve"))
                {
                    continue;
                }
            }
            let err = |reason: &str| EnrichError::Epss {
                line: i + 1,
                reason: reason.to_string(),
            };
            let [cve, score, percentile] = fields[..] else {
                return Err(err("expected 3 comma-separated fields"));
            };
            let epss_value: f64 = score.parse().map_err(|_| err("epss is not a number"))?;
            let pct: f64 = percentile
                .parse()
                .map_err(|_| err("percentile is not a number"))?;
            if !(0.0..=1.0).contains(&epss_value) || !(0.0..=1.0).contains(&pct) {
                return Err(err("values must be between 0 and 1"));
            }
            epss.scores.insert(
                cve.to_ascii_uppercase(),
                EpssScore {
                    epss: epss_value,
                    percentile: pct,
                },
            );
        }
        Ok(epss)
    }

    pub fn load(path: impl AsRef<Path>) -> Result<Epss, EnrichError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| EnrichError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Epss::parse(&text)
    }

    pub fn get(&self, cve: &str) -> Option<EpssScore> {
        self.scores.get(&cve.to_ascii_uppercase()).copied()
    }

    pub fn len(&self) -> usize {
        self.scores.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }
}

/// Fills `kev` and `epss` of each match from its CVE IDs (the highest EPSS when several).
pub fn enrich(matches: &mut [VulnMatch], kev: Option<&Kev>, epss: Option<&Epss>) {
    for m in matches {
        let cves: Vec<String> = m.cve_ids().map(str::to_string).collect();
        if let Some(kev) = kev {
            m.kev = cves.iter().find_map(|c| kev.get(c)).cloned();
        }
        if let Some(epss) = epss {
            m.epss = cves.iter().filter_map(|c| epss.get(c)).max_by(|a, b| {
                a.epss
                    .partial_cmp(&b.epss)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_epss_csv() {
        let text = "#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z\ncve,epss,percentile\nCVE-2021-44228,0.94358,0.99957\ncve-2020-0001,0.00012,0.01\n";
        let e = Epss::parse(text).unwrap();
        assert_eq!(e.len(), 2);
        assert!(e.comment.starts_with("model_version"));
        assert!((e.get("CVE-2020-0001").unwrap().percentile - 0.01).abs() < 1e-12);
        assert!(Epss::parse("cve,epss,percentile\nCVE-1,x,0.1\n").is_err());
        assert!(Epss::parse("CVE-1,2.0,0.1\n").is_err());
    }

    #[test]
    fn parses_kev() {
        let json = br#"{"catalogVersion":"1","vulnerabilities":[{"cveID":"CVE-2021-44228","dateAdded":"2021-12-10"}]}"#;
        let kev = Kev::from_json(json).unwrap();
        assert_eq!(kev.get("cve-2021-44228").unwrap().date_added, "2021-12-10");
        assert!(Kev::from_json(b"{}").is_err());
    }
}
