//! Whether a version of a package is affected, exactly as the OSV specification's evaluation
//! algorithm says:
//!
//! - a version listed in `versions` is affected;
//! - every `SEMVER` / `ECOSYSTEM` range is evaluated on its own (GIT ranges need commit history and
//!   are skipped without dropping the others): events are sorted by version (`introduced: "0"`
//!   first), then walked — `introduced <= v` makes `v` affected, `fixed <= v` or
//!   `last_affected < v` makes it not affected; when `limit` events exist, `v` must also be below
//!   one of them;
//! - any range or listed version that affects `v` makes the package affected.
//!
//! A range whose versions cannot be ordered (unknown ecosystem, a version the scheme rejects) makes
//! the answer [`Evaluation::Unknown`] unless something else already says "affected".

use std::cmp::Ordering;

use palisade_core::Ecosystem;
use serde::{Deserialize, Serialize};

use super::model::{Affected, Event, EventKind, RangeKind};
use crate::version::{Version, VersionScheme};

/// One evaluable range: `SEMVER` or `ECOSYSTEM`, with validated events in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeSpec {
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

/// The part of an `affected[]` entry that matching needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedSpec {
    pub ecosystem: String,
    pub name: String,
    pub purl: Option<String>,
    pub ranges: Vec<RangeSpec>,
    pub versions: Vec<String>,
    /// How many GIT ranges the entry had (skipped by evaluation).
    pub git_ranges: u32,
}

impl AffectedSpec {
    /// The evaluable parts of an `affected[]` entry; `None` when it names no package.
    pub fn from_affected(affected: &Affected) -> Option<AffectedSpec> {
        let package = affected.package.as_ref()?;
        let mut ranges = Vec::new();
        let mut git_ranges = 0;
        for range in &affected.ranges {
            match RangeKind::parse(&range.kind) {
                Some(RangeKind::Git) => git_ranges += 1,
                Some(kind) => ranges.push(RangeSpec {
                    kind,
                    events: range
                        .events
                        .iter()
                        .filter_map(super::RawEvent::event)
                        .collect(),
                }),
                None => {}
            }
        }
        Some(AffectedSpec {
            ecosystem: package.ecosystem.clone(),
            name: package.name.clone(),
            purl: package.purl.clone(),
            ranges,
            versions: affected.versions.clone(),
            git_ranges,
        })
    }

    /// The scheme of this entry's `ECOSYSTEM` ranges.
    pub fn scheme(&self) -> Option<VersionScheme> {
        self.ecosystem
            .parse::<Ecosystem>()
            .ok()
            .as_ref()
            .and_then(VersionScheme::for_ecosystem)
    }
}

/// The outcome for one affected entry and one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evaluation {
    Affected(AffectedDetail),
    NotAffected,
    /// The entry could not be evaluated for this version; the reason says why.
    Unknown(String),
}

/// Why a version is affected and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AffectedDetail {
    /// The lowest `fixed` version above the queried one, per affecting range.
    pub fixed_versions: Vec<String>,
    /// Human-readable text of the ranges (or `versions` list) that matched.
    pub ranges: Vec<String>,
}

#[derive(Debug)]
enum Bound {
    Zero,
    At(Version),
    Infinity,
}

fn cmp_bound(v: &Version, b: &Bound) -> Ordering {
    match b {
        Bound::Zero => Ordering::Greater,
        Bound::Infinity => Ordering::Less,
        Bound::At(x) => v.compare(x).unwrap_or(Ordering::Equal),
    }
}

fn order_bounds(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Zero, Bound::Zero) | (Bound::Infinity, Bound::Infinity) => Ordering::Equal,
        (Bound::Zero, _) | (_, Bound::Infinity) => Ordering::Less,
        (_, Bound::Zero) | (Bound::Infinity, _) => Ordering::Greater,
        (Bound::At(x), Bound::At(y)) => x.compare(y).unwrap_or(Ordering::Equal),
    }
}

struct Parsed<'a> {
    bound: Bound,
    kind: EventKind,
    text: &'a str,
}

fn parse_events(scheme: VersionScheme, events: &[Event]) -> Result<Vec<Parsed<'_>>, String> {
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let bound = match (e.kind, e.version.as_str()) {
            (EventKind::Introduced, "0") => Bound::Zero,
            (EventKind::Limit, "*") => Bound::Infinity,
            (_, text) => Bound::At(scheme.parse(text).map_err(|err| err.to_string())?),
        };
        out.push(Parsed {
            bound,
            kind: e.kind,
            text: &e.version,
        });
    }
    // Stable: events at the same version keep their order in the file.
    out.sort_by(|a, b| order_bounds(&a.bound, &b.bound));
    Ok(out)
}

/// A range that affects the queried version.
struct RangeMatch {
    /// The lowest `fixed` event above the version, if any.
    fixed: Option<String>,
    text: String,
}

/// Evaluates one range with sorted events; `Some` (with the fix above `v`, if any) when `v` is
/// affected.
fn evaluate_sorted(events: &[Parsed<'_>], v: &Version) -> Option<RangeMatch> {
    let mut affected = false;
    for e in events {
        match e.kind {
            EventKind::Introduced if cmp_bound(v, &e.bound) != Ordering::Less => affected = true,
            EventKind::Fixed if cmp_bound(v, &e.bound) != Ordering::Less => affected = false,
            EventKind::LastAffected if cmp_bound(v, &e.bound) == Ordering::Greater => {
                affected = false;
            }
            _ => {}
        }
    }
    let limits: Vec<&Parsed<'_>> = events
        .iter()
        .filter(|e| e.kind == EventKind::Limit)
        .collect();
    if !limits.is_empty()
        && !limits
            .iter()
            .any(|l| cmp_bound(v, &l.bound) == Ordering::Less)
    {
        affected = false;
    }
    if !affected {
        return None;
    }
    let fixed = events
        .iter()
        .find(|e| e.kind == EventKind::Fixed && cmp_bound(v, &e.bound) == Ordering::Less)
        .map(|e| e.text.to_string());
    Some(RangeMatch {
        fixed,
        text: describe(events),
    })
}

/// Text of a range from its sorted events: `>= 4.0, < 4.3 || >= 5.0, < 5.2`.
fn describe(events: &[Parsed<'_>]) -> String {
    let mut parts = Vec::new();
    let mut open: Option<&str> = None;
    let lower = |start: &str| {
        if start == "0" {
            String::new()
        } else {
            format!(">= {start}, ")
        }
    };
    for e in events {
        match e.kind {
            EventKind::Introduced => {
                if open.is_none() {
                    open = Some(e.text);
                }
            }
            EventKind::Fixed => {
                if let Some(start) = open.take() {
                    parts.push(format!("{}< {}", lower(start), e.text));
                }
            }
            EventKind::LastAffected => {
                if let Some(start) = open.take() {
                    parts.push(format!("{}<= {}", lower(start), e.text));
                }
            }
            EventKind::Limit => {}
        }
    }
    if let Some(start) = open {
        parts.push(if start == "0" {
            "all versions".to_string()
        } else {
            format!(">= {start}")
        });
    }
    let mut text = parts.join(" || ");
    let limits: Vec<&str> = events
        .iter()
        .filter(|e| e.kind == EventKind::Limit)
        .map(|e| e.text)
        .collect();
    if !limits.is_empty() {
        text.push_str(" (limit < ");
        text.push_str(&limits.join(", "));
        text.push(')');
    }
    text
}

/// The scheme a range is evaluated in: `SEMVER` ranges in semver (Go's reading of it for Go),
/// `ECOSYSTEM` ranges in the ecosystem's scheme.
fn range_scheme(kind: RangeKind, ecosystem: Option<VersionScheme>) -> Option<VersionScheme> {
    match kind {
        RangeKind::Semver if ecosystem == Some(VersionScheme::Go) => Some(VersionScheme::Go),
        RangeKind::Semver => Some(VersionScheme::SemVer),
        RangeKind::Ecosystem => ecosystem,
        RangeKind::Git => None,
    }
}

/// The queried version parsed once per scheme (and ecosystem names resolved once), shared by all
/// affected entries evaluated for one query.
pub struct QueryVersion<'a> {
    text: &'a str,
    parsed: Vec<(VersionScheme, Result<Version, String>)>,
    schemes: Vec<(String, Option<VersionScheme>)>,
}

impl<'a> QueryVersion<'a> {
    pub fn new(text: &'a str) -> QueryVersion<'a> {
        QueryVersion {
            text,
            parsed: Vec::new(),
            schemes: Vec::new(),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    fn parsed(&mut self, scheme: VersionScheme) -> Result<&Version, String> {
        let i = if let Some(i) = self.parsed.iter().position(|(s, _)| *s == scheme) {
            i
        } else {
            self.parsed
                .push((scheme, scheme.parse(self.text).map_err(|e| e.to_string())));
            self.parsed.len() - 1
        };
        self.parsed[i].1.as_ref().map_err(Clone::clone)
    }

    fn scheme_of(&mut self, spec: &AffectedSpec) -> Option<VersionScheme> {
        if let Some((_, s)) = self.schemes.iter().find(|(e, _)| *e == spec.ecosystem) {
            return *s;
        }
        let scheme = spec.scheme();
        self.schemes.push((spec.ecosystem.clone(), scheme));
        scheme
    }
}

fn attempt(
    range: &RangeSpec,
    scheme: VersionScheme,
    query: &mut QueryVersion<'_>,
) -> Result<Option<RangeMatch>, String> {
    let events = parse_events(scheme, &range.events)?;
    let v = query.parsed(scheme)?;
    Ok(evaluate_sorted(&events, v))
}

/// One range against one version.
fn evaluate_range(
    range: &RangeSpec,
    ecosystem: Option<VersionScheme>,
    query: &mut QueryVersion<'_>,
) -> Result<Option<RangeMatch>, String> {
    let Some(scheme) = range_scheme(range.kind, ecosystem) else {
        return Err("no version ordering is known for this ecosystem".to_string());
    };
    match attempt(range, scheme, query) {
        Err(e) if range.kind == RangeKind::Semver => match ecosystem {
            // A SEMVER range in an ecosystem whose versions are not semver (seen in PyPI data):
            // fall back to the ecosystem's own scheme.
            Some(eco) if eco != scheme => attempt(range, eco, query),
            _ => Err(e),
        },
        other => other,
    }
}

/// Evaluates `version` against one affected entry.
pub fn evaluate(spec: &AffectedSpec, version: &str) -> Evaluation {
    evaluate_query(spec, &mut QueryVersion::new(version))
}

/// [`evaluate`] reusing the parsed query version across entries.
pub fn evaluate_query(spec: &AffectedSpec, query: &mut QueryVersion<'_>) -> Evaluation {
    let ecosystem = query.scheme_of(spec);
    let version = query.text();
    let mut detail = AffectedDetail::default();
    let mut affected = false;
    let mut unknown: Option<String> = None;

    // Listed versions are the registry's own spellings, as installed versions are; compare them
    // by the scheme (`1.0` = `1.0.0`) only when the list is all there is to go on, because parsing
    // long lists for every query is costly.
    let semantic = spec.ranges.is_empty();
    let listed = spec.versions.iter().any(|listed| {
        listed == version
            || semantic
                && ecosystem.is_some_and(|s| {
                    let other = s.parse(listed);
                    match (query.parsed(s), other) {
                        (Ok(v), Ok(l)) => v.compare(&l) == Some(Ordering::Equal),
                        _ => false,
                    }
                })
    });
    if listed {
        affected = true;
        detail.ranges.push(format!("listed version {version}"));
    }
    for range in &spec.ranges {
        match evaluate_range(range, ecosystem, query) {
            Ok(Some(hit)) => {
                affected = true;
                if let Some(fix) = hit.fixed.filter(|f| !detail.fixed_versions.contains(f)) {
                    detail.fixed_versions.push(fix);
                }
                detail.ranges.push(hit.text);
            }
            Ok(None) => {}
            Err(reason) => {
                unknown.get_or_insert(reason);
            }
        }
    }
    if affected {
        Evaluation::Affected(detail)
    } else if let Some(reason) = unknown {
        Evaluation::Unknown(reason)
    } else {
        Evaluation::NotAffected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(ecosystem: &str, kind: RangeKind, events: &[(EventKind, &str)]) -> AffectedSpec {
        AffectedSpec {
            ecosystem: ecosystem.into(),
            name: "pkg".into(),
            purl: None,
            ranges: vec![RangeSpec {
                kind,
                events: events
                    .iter()
                    .map(|(k, v)| Event {
                        kind: *k,
                        version: (*v).into(),
                    })
                    .collect(),
            }],
            versions: vec![],
            git_ranges: 0,
        }
    }

    fn fixed(e: Evaluation) -> Vec<String> {
        match e {
            Evaluation::Affected(d) => d.fixed_versions,
            other => panic!("expected affected, got {other:?}"),
        }
    }

    use EventKind::{Fixed, Introduced, LastAffected, Limit};

    #[test]
    fn unsorted_events_are_sorted_first() {
        let s = spec(
            "kubernetes",
            RangeKind::Semver,
            &[
                (Introduced, "1.17.0"),
                (Fixed, "1.17.3"),
                (Introduced, "1.16.0"),
                (Fixed, "1.16.7"),
            ],
        );
        assert_eq!(fixed(evaluate(&s, "1.16.2")), vec!["1.16.7"]);
        assert_eq!(fixed(evaluate(&s, "1.17.0")), vec!["1.17.3"]);
        assert_eq!(evaluate(&s, "1.16.7"), Evaluation::NotAffected);
        assert_eq!(evaluate(&s, "1.15.0"), Evaluation::NotAffected);
    }

    #[test]
    fn last_affected_and_limit() {
        let s = spec(
            "PyPI",
            RangeKind::Ecosystem,
            &[(Introduced, "0"), (LastAffected, "2.0")],
        );
        assert!(fixed(evaluate(&s, "2.0")).is_empty());
        assert_eq!(evaluate(&s, "2.0.post1"), Evaluation::NotAffected);
        let s = spec(
            "Go",
            RangeKind::Semver,
            &[(Introduced, "0"), (Limit, "1.5.0")],
        );
        assert!(matches!(evaluate(&s, "v1.4.9"), Evaluation::Affected(_)));
        assert_eq!(evaluate(&s, "v1.5.0"), Evaluation::NotAffected);
        let s = spec(
            "Go",
            RangeKind::Semver,
            &[(Introduced, "1.0.0"), (Limit, "*")],
        );
        assert!(matches!(evaluate(&s, "v9.0.0"), Evaluation::Affected(_)));
    }

    #[test]
    fn unknown_ecosystem_cannot_be_evaluated() {
        let s = spec(
            "Ecosystem1",
            RangeKind::Ecosystem,
            &[(Introduced, "0"), (Fixed, "2")],
        );
        assert!(matches!(evaluate(&s, "1"), Evaluation::Unknown(_)));
        let mut s = s;
        s.versions = vec!["1".into()];
        assert!(matches!(evaluate(&s, "1"), Evaluation::Affected(_)));
    }

    #[test]
    fn describes_ranges() {
        let events = [
            Event {
                kind: Introduced,
                version: "4.0".into(),
            },
            Event {
                kind: Fixed,
                version: "4.3".into(),
            },
            Event {
                kind: Introduced,
                version: "5.0".into(),
            },
        ];
        let parsed = parse_events(VersionScheme::Pep440, &events).unwrap();
        assert_eq!(describe(&parsed), ">= 4.0, < 4.3 || >= 5.0");
    }
}
