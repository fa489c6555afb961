//! What the database keeps per record, per vulnerability (alias group) and per affected package,
//! and how each is encoded.

use palisade_core::Severity;

use super::DbError;
use super::codec::{Reader, Writer};
use crate::cvss::{CvssScore, CvssVersion};
use crate::osv::{AffectedSpec, Event, EventKind, RangeKind, RangeSpec, Reference};
use crate::severity::{SeverityInfo, SeveritySource};

/// One imported OSV record, reduced to what findings show.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredRecord {
    pub id: String,
    pub group: u32,
    pub modified: String,
    pub published: Option<String>,
    pub summary: String,
    pub details: String,
    pub severity: SeverityInfo,
    pub references: Vec<Reference>,
}

/// One vulnerability: every ID its records and their aliases name, and its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredGroup {
    pub ids: Vec<String>,
    pub records: Vec<u32>,
}

/// One `affected[]` entry of one record, filed under its package key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Posting {
    pub record: u32,
    /// The vulnerability (alias group) of the record, so matching need not decode the record.
    pub group: u32,
    pub spec: AffectedSpec,
}

fn severity_code(s: Severity) -> u8 {
    match s {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

fn severity_from(code: u8) -> Result<Severity, DbError> {
    Severity::ALL
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| DbError::Corrupt("bad severity".into()))
}

fn source_code(s: SeveritySource) -> u8 {
    match s {
        SeveritySource::CvssV3 => 0,
        SeveritySource::CvssV4 => 1,
        SeveritySource::Database => 2,
        SeveritySource::Unknown => 3,
    }
}

fn source_from(code: u8) -> Result<SeveritySource, DbError> {
    Ok(match code {
        0 => SeveritySource::CvssV3,
        1 => SeveritySource::CvssV4,
        2 => SeveritySource::Database,
        3 => SeveritySource::Unknown,
        _ => return Err(DbError::Corrupt("bad severity source".into())),
    })
}

fn version_code(v: CvssVersion) -> u8 {
    match v {
        CvssVersion::V2 => 0,
        CvssVersion::V3_0 => 1,
        CvssVersion::V3_1 => 2,
        CvssVersion::V4_0 => 3,
    }
}

fn version_from(code: u8) -> Result<CvssVersion, DbError> {
    Ok(match code {
        0 => CvssVersion::V2,
        1 => CvssVersion::V3_0,
        2 => CvssVersion::V3_1,
        3 => CvssVersion::V4_0,
        _ => return Err(DbError::Corrupt("bad CVSS version".into())),
    })
}

impl StoredRecord {
    pub(crate) fn encode(&self, w: &mut Writer) {
        w.str(&self.id);
        w.u32(self.group);
        w.str(&self.modified);
        w.opt_str(self.published.as_deref());
        w.str(&self.summary);
        w.str(&self.details);
        w.u8(severity_code(self.severity.severity));
        w.u8(source_code(self.severity.source));
        match &self.severity.cvss {
            Some(c) => {
                w.u8(1);
                w.u8(version_code(c.version));
                w.str(&c.vector);
                w.f64(c.score);
            }
            None => w.u8(0),
        }
        w.len(self.references.len());
        for r in &self.references {
            w.str(&r.kind);
            w.str(&r.url);
        }
    }

    /// Decodes a record; `details` (the long text) only when asked for.
    /// Only the group and severity of a record.
    pub(crate) fn decode_severity(r: &mut Reader<'_>) -> Result<SeverityInfo, DbError> {
        r.skip_str()?;
        r.u32()?;
        r.skip_str()?;
        if r.u8()? == 1 {
            r.skip_str()?;
        }
        r.skip_str()?;
        r.skip_str()?;
        let severity = severity_from(r.u8()?)?;
        let source = source_from(r.u8()?)?;
        let cvss = match r.u8()? {
            0 => None,
            1 => Some(CvssScore {
                version: version_from(r.u8()?)?,
                vector: r.string()?,
                score: r.f64()?,
            }),
            _ => return Err(DbError::Corrupt("bad CVSS flag".into())),
        };
        Ok(SeverityInfo {
            severity,
            source,
            cvss,
        })
    }

    pub(crate) fn decode(r: &mut Reader<'_>, with_details: bool) -> Result<StoredRecord, DbError> {
        let id = r.string()?;
        let group = r.u32()?;
        let modified = r.string()?;
        let published = r.opt_string()?;
        let summary = r.string()?;
        let details = if with_details {
            r.string()?
        } else {
            r.skip_str()?;
            String::new()
        };
        let severity = severity_from(r.u8()?)?;
        let source = source_from(r.u8()?)?;
        let cvss = match r.u8()? {
            0 => None,
            1 => Some(CvssScore {
                version: version_from(r.u8()?)?,
                vector: r.string()?,
                score: r.f64()?,
            }),
            _ => return Err(DbError::Corrupt("bad CVSS flag".into())),
        };
        let n = r.len()?;
        let mut references = Vec::with_capacity(n);
        for _ in 0..n {
            references.push(Reference {
                kind: r.string()?,
                url: r.string()?,
            });
        }
        Ok(StoredRecord {
            id,
            group,
            modified,
            published,
            summary,
            details,
            severity: SeverityInfo {
                severity,
                source,
                cvss,
            },
            references,
        })
    }
}

impl StoredGroup {
    pub(crate) fn encode(&self, w: &mut Writer) {
        w.strs(&self.ids);
        w.len(self.records.len());
        for r in &self.records {
            w.u32(*r);
        }
    }

    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<StoredGroup, DbError> {
        let ids = r.strings()?;
        let n = r.len()?;
        let records = (0..n).map(|_| r.u32()).collect::<Result<_, _>>()?;
        Ok(StoredGroup { ids, records })
    }
}

fn range_code(k: RangeKind) -> u8 {
    match k {
        RangeKind::Semver => 0,
        RangeKind::Ecosystem => 1,
        RangeKind::Git => 2,
    }
}

fn event_code(k: EventKind) -> u8 {
    match k {
        EventKind::Introduced => 0,
        EventKind::Fixed => 1,
        EventKind::LastAffected => 2,
        EventKind::Limit => 3,
    }
}

impl Posting {
    pub(crate) fn encode(&self, w: &mut Writer) {
        let s = &self.spec;
        w.u32(self.record);
        w.u32(self.group);
        w.str(&s.ecosystem);
        w.str(&s.name);
        w.opt_str(s.purl.as_deref());
        w.len(s.ranges.len());
        for range in &s.ranges {
            w.u8(range_code(range.kind));
            w.len(range.events.len());
            for e in &range.events {
                w.u8(event_code(e.kind));
                w.str(&e.version);
            }
        }
        w.strs(&s.versions);
        w.u32(s.git_ranges);
    }

    /// Decodes a posting; the package name and purl (not needed to evaluate it) only when
    /// `full`.
    pub(crate) fn decode(r: &mut Reader<'_>, full: bool) -> Result<Posting, DbError> {
        let record = r.u32()?;
        let group = r.u32()?;
        let ecosystem = r.string()?;
        let (name, purl) = if full {
            (r.string()?, r.opt_string()?)
        } else {
            r.skip_str()?;
            if r.u8()? == 1 {
                r.skip_str()?;
            }
            (String::new(), None)
        };
        let n = r.len()?;
        let mut ranges = Vec::with_capacity(n);
        for _ in 0..n {
            let kind = match r.u8()? {
                0 => RangeKind::Semver,
                1 => RangeKind::Ecosystem,
                2 => RangeKind::Git,
                _ => return Err(DbError::Corrupt("bad range type".into())),
            };
            let m = r.len()?;
            let mut events = Vec::with_capacity(m);
            for _ in 0..m {
                let kind = match r.u8()? {
                    0 => EventKind::Introduced,
                    1 => EventKind::Fixed,
                    2 => EventKind::LastAffected,
                    3 => EventKind::Limit,
                    _ => return Err(DbError::Corrupt("bad event kind".into())),
                };
                events.push(Event {
                    kind,
                    version: r.string()?,
                });
            }
            ranges.push(RangeSpec { kind, events });
        }
        let versions = r.strings()?;
        let git_ranges = r.u32()?;
        Ok(Posting {
            record,
            group,
            spec: AffectedSpec {
                ecosystem,
                name,
                purl,
                ranges,
                versions,
                git_ranges,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let rec = StoredRecord {
            id: "GHSA-1".into(),
            group: 3,
            modified: "2024-01-01T00:00:00Z".into(),
            published: None,
            summary: "s".into(),
            details: "d".into(),
            severity: SeverityInfo {
                severity: Severity::High,
                source: SeveritySource::CvssV3,
                cvss: Some(CvssScore {
                    version: CvssVersion::V3_1,
                    vector: "CVSS:3.1/x".into(),
                    score: 7.5,
                }),
            },
            references: vec![Reference {
                kind: "WEB".into(),
                url: "https://x".into(),
            }],
        };
        let mut w = Writer::default();
        rec.encode(&mut w);
        assert_eq!(
            StoredRecord::decode(&mut Reader::new(&w.buf), true).unwrap(),
            rec
        );
        let brief = StoredRecord::decode(&mut Reader::new(&w.buf), false).unwrap();
        assert!(brief.details.is_empty());
        assert_eq!(brief.references, rec.references);
        let posting = Posting {
            record: 9,
            group: 4,
            spec: AffectedSpec {
                ecosystem: "PyPI".into(),
                name: "x".into(),
                purl: Some("pkg:pypi/x".into()),
                ranges: vec![RangeSpec {
                    kind: RangeKind::Ecosystem,
                    events: vec![Event {
                        kind: EventKind::LastAffected,
                        version: "1".into(),
                    }],
                }],
                versions: vec!["1".into()],
                git_ranges: 2,
            },
        };
        let mut w = Writer::default();
        posting.encode(&mut w);
        assert_eq!(
            Posting::decode(&mut Reader::new(&w.buf), true).unwrap(),
            posting
        );
        let brief = Posting::decode(&mut Reader::new(&w.buf), false).unwrap();
        assert_eq!(
            (brief.spec.name.as_str(), brief.spec.purl.as_ref()),
            ("", None)
        );
        assert_eq!(brief.spec.ranges, posting.spec.ranges);
    }
}
