//! Matching packages against the database, and turning matches into findings.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use palisade_core::{Ecosystem, Finding, PackageRef, Severity};
use serde::{Deserialize, Serialize};

use crate::cvss::CvssScore;
use crate::db::{Database, DbError, StoredRecord};
use crate::enrich::{EpssScore, KevEntry};
use crate::names::{package_key, package_prefix};
use crate::osv::{Evaluation, Reference, evaluate};
use crate::purl::package_purl;
use crate::severity::{SeverityInfo, SeveritySource};
use crate::version::VersionScheme;

/// One installed package to check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PackageQuery {
    /// For distributions, the release decides which advisories apply (`Debian:12`); without a
    /// release, advisories of every release match. Distribution packages are looked up by their
    /// SOURCE package name.
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
}

impl PackageQuery {
    pub fn new(ecosystem: Ecosystem, name: impl Into<String>, version: impl Into<String>) -> Self {
        PackageQuery {
            ecosystem,
            name: name.into(),
            version: version.into(),
        }
    }
}

/// A vulnerability that affects the queried package version; reported once however many of its
/// records (GHSA, CVE, PYSEC, …) matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VulnMatch {
    /// The preferred ID: the first, in sorted order, of the records that matched.
    pub id: String,
    /// Every other ID of the vulnerability (other records and all aliases), sorted.
    pub aliases: Vec<String>,
    /// The records that matched this package.
    pub record_ids: Vec<String>,
    pub summary: String,
    pub details: String,
    pub severity: Severity,
    pub severity_source: SeveritySource,
    pub cvss: Option<CvssScore>,
    /// Versions that fix it, lowest first (in the package's version order).
    pub fixed_versions: Vec<String>,
    /// The ranges (or listed versions) that matched, as text.
    pub affected_ranges: Vec<String>,
    pub references: Vec<Reference>,
    pub package: PackageRef,
    pub published: Option<String>,
    pub modified: String,
    /// CISA Known Exploited Vulnerabilities entry, when enrichment was applied and it is listed.
    pub kev: Option<KevEntry>,
    /// FIRST EPSS score, when enrichment was applied and it is scored.
    pub epss: Option<EpssScore>,
}

/// A vulnerability whose ranges could not be evaluated for the queried version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unevaluated {
    pub id: String,
    pub aliases: Vec<String>,
    pub reason: String,
}

/// Everything a lookup found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryResult {
    pub matches: Vec<VulnMatch>,
    pub unevaluated: Vec<Unevaluated>,
}

#[derive(Default)]
struct GroupHits {
    records: Vec<u32>,
    fixed: Vec<String>,
    ranges: Vec<String>,
    purl: Option<String>,
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

impl Database {
    /// Vulnerabilities affecting one package version.
    pub fn matches(&self, query: &PackageQuery) -> Result<Vec<VulnMatch>, DbError> {
        self.query(query).map(|r| r.matches)
    }

    /// Vulnerabilities affecting one package version, and those that could not be evaluated.
    pub fn query(&self, query: &PackageQuery) -> Result<QueryResult, DbError> {
        let eco_text = query.ecosystem.to_string();
        let postings = if eco_text.contains(':') {
            self.postings(&package_key(&eco_text, &query.name))?
        } else {
            self.postings_with_prefix(&package_prefix(&query.ecosystem, &query.name))?
        };
        if postings.is_empty() {
            return Ok(QueryResult::default());
        }
        let mut hits: BTreeMap<u32, GroupHits> = BTreeMap::new();
        let mut unknown: BTreeMap<u32, String> = BTreeMap::new();
        let mut record_cache: BTreeMap<u32, StoredRecord> = BTreeMap::new();
        for posting in postings {
            let outcome = evaluate(&posting.spec, &query.version);
            if matches!(outcome, Evaluation::NotAffected) {
                continue;
            }
            let record = if let Some(r) = record_cache.get(&posting.record) {
                r.clone()
            } else {
                let r = self.record(posting.record)?;
                record_cache.insert(posting.record, r.clone());
                r
            };
            match outcome {
                Evaluation::Affected(detail) => {
                    let h = hits.entry(record.group).or_default();
                    if !h.records.contains(&posting.record) {
                        h.records.push(posting.record);
                    }
                    for f in detail.fixed_versions {
                        push_unique(&mut h.fixed, f);
                    }
                    for r in detail.ranges {
                        push_unique(&mut h.ranges, r);
                    }
                    if h.purl.is_none() {
                        h.purl.clone_from(&posting.spec.purl);
                    }
                }
                Evaluation::Unknown(reason) => {
                    unknown
                        .entry(record.group)
                        .or_insert(format!("{}: {reason}", record.id));
                }
                Evaluation::NotAffected => {}
            }
        }
        let scheme = VersionScheme::for_ecosystem(&query.ecosystem);
        let mut result = QueryResult::default();
        let matched_groups: Vec<u32> = hits.keys().copied().collect();
        for (group, h) in hits {
            result
                .matches
                .push(self.build_match(query, scheme, group, h, &mut record_cache)?);
        }
        for (group, reason) in unknown {
            // Something else in the vulnerability already matched: it is reported once, above.
            if matched_groups.contains(&group) {
                continue;
            }
            let g = self.group(group)?;
            let first = g
                .records
                .first()
                .copied()
                .map(|r| self.record(r))
                .transpose()?;
            let id = first.map_or_else(|| g.ids.first().cloned().unwrap_or_default(), |r| r.id);
            let aliases = g.ids.iter().filter(|i| **i != id).cloned().collect();
            result.unevaluated.push(Unevaluated {
                id,
                aliases,
                reason,
            });
        }
        result
            .matches
            .sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id)));
        Ok(result)
    }

    fn build_match(
        &self,
        query: &PackageQuery,
        scheme: Option<VersionScheme>,
        group: u32,
        hits: GroupHits,
        cache: &mut BTreeMap<u32, StoredRecord>,
    ) -> Result<VulnMatch, DbError> {
        let g = self.group(group)?;
        let mut matched: Vec<StoredRecord> = Vec::new();
        for r in &hits.records {
            matched.push(match cache.get(r) {
                Some(rec) => rec.clone(),
                None => self.record(*r)?,
            });
        }
        matched.sort_by(|a, b| a.id.cmp(&b.id));
        let primary = matched
            .first()
            .cloned()
            .ok_or_else(|| DbError::Corrupt("empty match".into()))?;

        // Severity: the best-founded among the matched records, else among the others of the
        // vulnerability (a Debian record without a rating shares its CVE with a GHSA that has one).
        let mut severity: Option<SeverityInfo> = None;
        for r in &matched {
            severity = Some(match severity {
                Some(s) => s.prefer(r.severity.clone()),
                None => r.severity.clone(),
            });
        }
        if severity
            .as_ref()
            .is_none_or(|s| s.source == SeveritySource::Unknown)
        {
            for r in &g.records {
                if hits.records.contains(r) {
                    continue;
                }
                let other = self.record(*r)?;
                if other.severity.source != SeveritySource::Unknown {
                    severity = Some(match severity {
                        Some(s) => s.prefer(other.severity),
                        None => other.severity,
                    });
                }
            }
        }
        let severity = severity.unwrap_or_else(SeverityInfo::unknown);

        let mut fixed = hits.fixed;
        fixed.sort_by(|a, b| match scheme {
            Some(s) => s.compare(a, b).unwrap_or_else(|_| a.cmp(b)),
            None => a.cmp(b),
        });
        let mut references: Vec<Reference> = Vec::new();
        for r in &matched {
            for reference in &r.references {
                if !references.iter().any(|x| x.url == reference.url) {
                    references.push(reference.clone());
                }
            }
        }
        let summary = matched
            .iter()
            .map(|r| r.summary.clone())
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        let details = matched
            .iter()
            .map(|r| r.details.clone())
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        let purl = package_purl(&query.ecosystem, &query.name, &query.version);
        Ok(VulnMatch {
            id: primary.id.clone(),
            aliases: g
                .ids
                .iter()
                .filter(|i| **i != primary.id)
                .cloned()
                .collect(),
            record_ids: matched.iter().map(|r| r.id.clone()).collect(),
            summary,
            details,
            severity: severity.severity,
            severity_source: severity.source,
            cvss: severity.cvss,
            fixed_versions: fixed,
            affected_ranges: hits.ranges,
            references,
            package: PackageRef {
                ecosystem: query.ecosystem.clone(),
                name: query.name.clone(),
                version: query.version.clone(),
                purl,
            },
            published: primary.published.clone(),
            modified: matched
                .iter()
                .map(|r| r.modified.clone())
                .max()
                .unwrap_or_default(),
            kev: None,
            epss: None,
        })
    }
}

impl VulnMatch {
    /// All IDs that look like CVE IDs (the primary one included).
    pub fn cve_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .filter(|id| id.starts_with("CVE-"))
    }

    /// The lowest fixed version, if any is known.
    pub fn lowest_fix(&self) -> Option<&str> {
        self.fixed_versions.first().map(String::as_str)
    }

    /// The finding a report shows for this match.
    pub fn to_finding(&self) -> Finding {
        let pkg = &self.package;
        let what = if self.summary.is_empty() {
            self.id.clone()
        } else {
            self.summary.clone()
        };
        let message = format!(
            "{}@{} is affected by {}: {what}",
            pkg.name, pkg.version, self.id
        );
        let mut finding = Finding::new(self.id.clone(), self.severity, message);
        finding.title.clone_from(&self.summary);
        finding.remediation = match self.lowest_fix() {
            Some(fix) => format!("upgrade {} to ≥ {fix}", pkg.name),
            None => format!("no fixed version of {} is known", pkg.name),
        };
        let mut evidence = format!(
            "{} {} matches {}",
            pkg.name,
            pkg.version,
            self.affected_ranges.join("; ")
        );
        if let Some(c) = &self.cvss {
            let _ = write!(
                evidence,
                " (CVSS {} {:.1}, {})",
                c.version, c.score, c.vector
            );
        }
        if let Some(k) = &self.kev {
            let _ = write!(evidence, "; in CISA KEV since {}", k.date_added);
        }
        if let Some(e) = &self.epss {
            let _ = write!(
                evidence,
                "; EPSS {:.5} (percentile {:.5})",
                e.epss, e.percentile
            );
        }
        finding.evidence = Some(evidence);
        finding.references.urls = self.references.iter().map(|r| r.url.clone()).collect();
        finding.package = Some(pkg.clone());
        finding.aliases.clone_from(&self.aliases);
        finding.fixed_versions.clone_from(&self.fixed_versions);
        finding
    }
}

/// Orders two versions of one ecosystem; falls back to text order when they do not parse.
pub fn compare_versions(ecosystem: &Ecosystem, a: &str, b: &str) -> Ordering {
    VersionScheme::for_ecosystem(ecosystem)
        .and_then(|s| s.compare(a, b).ok())
        .unwrap_or_else(|| a.cmp(b))
}
