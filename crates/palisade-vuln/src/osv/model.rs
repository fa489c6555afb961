//! Serde model of an OSV record (<https://ossf.github.io/osv-schema/>), read permissively: list
//! fields may be missing or `null`, unknown fields are ignored, and enumerations stay strings so
//! that [`super::validate`] can say precisely what is wrong with a record.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// One OSV record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OsvRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    pub id: String,
    pub modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub related: Vec<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub upstream: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<SeverityScore>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub affected: Vec<Affected>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<Reference>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub credits: Vec<Credit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// `severity[]`: a scoring system (`CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`) and its score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityScore {
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

/// `affected[]`: one package and the versions of it the vulnerability affects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<SeverityScore>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ranges: Vec<Range>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// `ranges[]`: `SEMVER`, `ECOSYSTEM` or `GIT`, with its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub events: Vec<RawEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// One event object as written; a valid one has exactly one of the four fields.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RawEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    pub name: String,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub contact: Vec<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// The kind of an OSV range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RangeKind {
    #[serde(rename = "SEMVER")]
    Semver,
    #[serde(rename = "ECOSYSTEM")]
    Ecosystem,
    #[serde(rename = "GIT")]
    Git,
}

impl RangeKind {
    pub fn parse(s: &str) -> Option<RangeKind> {
        match s {
            "SEMVER" => Some(RangeKind::Semver),
            "ECOSYSTEM" => Some(RangeKind::Ecosystem),
            "GIT" => Some(RangeKind::Git),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RangeKind::Semver => "SEMVER",
            RangeKind::Ecosystem => "ECOSYSTEM",
            RangeKind::Git => "GIT",
        }
    }
}

/// The four event kinds, in the order the evaluation algorithm cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Introduced => "introduced",
            EventKind::Fixed => "fixed",
            EventKind::LastAffected => "last_affected",
            EventKind::Limit => "limit",
        }
    }
}

/// A validated event: one kind, one version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Event {
    pub kind: EventKind,
    pub version: String,
}

impl RawEvent {
    /// The event if exactly one of its fields is set.
    pub fn event(&self) -> Option<Event> {
        let fields = [
            (EventKind::Introduced, &self.introduced),
            (EventKind::Fixed, &self.fixed),
            (EventKind::LastAffected, &self.last_affected),
            (EventKind::Limit, &self.limit),
        ];
        let mut set = fields
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (*k, v)));
        let (kind, version) = set.next()?;
        if set.next().is_some() {
            return None;
        }
        Some(Event {
            kind,
            version: version.clone(),
        })
    }
}

impl OsvRecord {
    /// Every ID the record answers to: its own and its aliases.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The `database_specific.severity` value (GitHub advisories and others), when present.
    pub fn database_severity(&self) -> Option<&str> {
        self.database_specific.as_ref()?.get("severity")?.as_str()
    }
}
