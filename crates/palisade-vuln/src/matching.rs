//! Matching packages against the database, and turning matches into findings.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use std::sync::Arc;

use palisade_core::{Ecosystem, Exploit, Finding, PackageRef, References, Severity};
use serde::{Deserialize, Serialize};

use crate::cvss::CvssScore;
use crate::db::{Database, DbError, StoredRecord};
use crate::enrich::{EpssScore, KevEntry};
use crate::names::{package_key, package_prefix};
use crate::osv::{Evaluation, QueryVersion, Reference, evaluate_query};
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
    /// Positions of the matched records in the database they came from.
    #[serde(skip)]
    records: Vec<u32>,
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
        let mut unknown: BTreeMap<u32, (u32, String)> = BTreeMap::new();
        let mut version = QueryVersion::new(&query.version);
        for posting in postings {
            match evaluate_query(&posting.spec, &mut version) {
                Evaluation::Affected(detail) => {
                    let h = hits.entry(posting.group).or_default();
                    if !h.records.contains(&posting.record) {
                        h.records.push(posting.record);
                    }
                    for f in detail.fixed_versions {
                        push_unique(&mut h.fixed, f);
                    }
                    for r in detail.ranges {
                        push_unique(&mut h.ranges, r);
                    }
                }
                Evaluation::Unknown(reason) => {
                    unknown
                        .entry(posting.group)
                        .or_insert((posting.record, reason));
                }
                Evaluation::NotAffected => {}
            }
        }
        let scheme = VersionScheme::for_ecosystem(&query.ecosystem);
        let mut result = QueryResult::default();
        let matched_groups: Vec<u32> = hits.keys().copied().collect();
        let purl = package_purl(&query.ecosystem, &query.name, &query.version);
        for (group, h) in hits {
            result
                .matches
                .push(self.build_match(query, scheme, group, h, &purl)?);
        }
        for (group, (record, reason)) in unknown {
            // Something else in the vulnerability already matched: it is reported once, above.
            if matched_groups.contains(&group) {
                continue;
            }
            let g = self.group(group)?;
            let id = self.record(record)?.id;
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
        purl: &str,
    ) -> Result<VulnMatch, DbError> {
        let g = self.group(group)?;
        let mut matched: Vec<StoredRecord> = Vec::with_capacity(hits.records.len());
        for r in &hits.records {
            matched.push(self.record(*r)?);
        }
        matched.sort_by(|a, b| a.id.cmp(&b.id));
        let Some(primary) = matched.first() else {
            return Err(DbError::Corrupt("empty match".into()));
        };
        let (primary_id, published) = (primary.id.clone(), primary.published.clone());

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
                let other = self.record_severity(*r)?;
                if other.source != SeveritySource::Unknown {
                    severity = Some(match severity {
                        Some(s) => s.prefer(other),
                        None => other,
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

        Ok(VulnMatch {
            id: primary_id.clone(),
            aliases: g
                .ids
                .iter()
                .filter(|i| **i != primary_id)
                .cloned()
                .collect(),
            record_ids: matched.iter().map(|r| r.id.clone()).collect(),
            summary,
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
                purl: purl.to_string(),
                source_name: None,
                source_version: None,
            },
            published,
            modified: matched
                .iter()
                .map(|r| r.modified.clone())
                .max()
                .unwrap_or_default(),
            kev: None,
            epss: None,
            records: hits.records.clone(),
        })
    }
}

impl Database {
    /// The long description of a match (the `details` of its first matched record that has
    /// one), read only when asked for. Empty for a match that did not come from this database.
    pub fn details(&self, m: &VulnMatch) -> Result<String, DbError> {
        let mut records = m.records.clone();
        records.sort_by_key(|r| self.record(*r).map(|rec| rec.id).unwrap_or_default());
        for r in records {
            let record = self.full_record(r)?;
            if !record.details.is_empty() {
                return Ok(record.details);
            }
        }
        Ok(String::new())
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
        finding.title = self.summary.clone().into();
        finding.remediation = match self.lowest_fix() {
            Some(fix) => format!("upgrade {} to ≥ {fix}", pkg.name),
            None => format!("no fixed version of {} is known", pkg.name),
        }
        .into();
        let mut evidence = format!(
            "{} {} matches {}",
            pkg.name,
            pkg.version,
            self.affected_ranges.join("; ")
        );
        // Say where the severity came from, so a placeholder is never mistaken for a rating.
        match (&self.cvss, self.severity_source) {
            (Some(c), _) => {
                let _ = write!(
                    evidence,
                    " (CVSS {} {:.1}, {})",
                    c.version, c.score, c.vector
                );
            }
            (None, SeveritySource::Unknown) => {
                evidence.push_str(" (the advisory rates no severity; medium assumed)");
            }
            (None, _) => evidence.push_str(" (severity as rated by the advisory database)"),
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
        finding.references = Arc::new(References {
            urls: self.references.iter().map(|r| r.url.clone()).collect(),
            ..References::default()
        });
        finding.package = Some(Box::new(pkg.clone()));
        finding.aliases.clone_from(&self.aliases);
        finding.fixed_versions.clone_from(&self.fixed_versions);
        if self.kev.is_some() || self.epss.is_some() {
            finding.exploit = Some(Box::new(Exploit {
                kev: self.kev.is_some(),
                kev_date_added: self.kev.as_ref().map(|k| k.date_added.clone()),
                epss: self.epss.map(|e| e.epss),
                epss_percentile: self.epss.map(|e| e.percentile),
            }));
        }
        finding
    }
}

/// Orders two versions of one ecosystem; falls back to text order when they do not parse.
pub fn compare_versions(ecosystem: &Ecosystem, a: &str, b: &str) -> Ordering {
    VersionScheme::for_ecosystem(ecosystem)
        .and_then(|s| s.compare(a, b).ok())
        .unwrap_or_else(|| a.cmp(b))
}
