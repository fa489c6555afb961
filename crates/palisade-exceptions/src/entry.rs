//! One exception entry: what it matches and why.

use std::collections::BTreeMap;

use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use palisade_core::Finding;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::Date;

/// A field that takes one string or a list of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(this: Option<Self>) -> Vec<String> {
        match this {
            None => Vec::new(),
            Some(OneOrMany::One(s)) => vec![s],
            Some(OneOrMany::Many(v)) => v,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EntryModel {
    #[serde(default, alias = "control")]
    controls: Option<OneOrMany>,
    #[serde(default, alias = "vulnerability")]
    vulnerabilities: Option<OneOrMany>,
    #[serde(default, alias = "kind")]
    kinds: Option<OneOrMany>,
    #[serde(default, alias = "namespace")]
    namespaces: Option<OneOrMany>,
    #[serde(default, alias = "name")]
    names: Option<OneOrMany>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default, alias = "path")]
    paths: Option<OneOrMany>,
    #[serde(default, alias = "package")]
    packages: Option<OneOrMany>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    expires: Option<Value>,
}

/// A list of globs matched as one, keeping the patterns for display.
#[derive(Debug, Clone)]
struct Patterns {
    set: GlobSet,
    patterns: Vec<String>,
}

impl Patterns {
    /// `separator_aware`: `*` stops at `/` (paths); otherwise it matches anything (names).
    fn new(patterns: Vec<String>, separator_aware: bool) -> Result<Self, String> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &patterns {
            let glob = if separator_aware {
                GlobBuilder::new(pattern).literal_separator(true).build()
            } else {
                Glob::new(pattern)
            }
            .map_err(|e| format!("invalid glob `{pattern}`: {e}"))?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| e.to_string())?;
        Ok(Patterns { set, patterns })
    }

    /// No patterns means no constraint.
    fn allows(&self, value: Option<&str>) -> bool {
        self.patterns.is_empty() || value.is_some_and(|v| self.set.is_match(v))
    }
}

/// One accepted finding pattern.
#[derive(Debug, Clone)]
pub struct Entry {
    controls: Vec<String>,
    vulnerabilities: Vec<String>,
    kinds: Vec<String>,
    namespaces: Patterns,
    names: Patterns,
    labels: Vec<(String, GlobMatcher)>,
    paths: Patterns,
    packages: Patterns,
    reason: String,
    expires: Option<Date>,
    source: String,
    line: u32,
}

impl Entry {
    /// Validates a parsed entry. Errors name the offending field.
    pub(crate) fn new(
        model: EntryModel,
        source: &str,
        line: u32,
    ) -> Result<Entry, (&'static str, String)> {
        let reason = model.reason.unwrap_or_default().trim().to_string();
        if reason.is_empty() {
            return Err((
                "reason",
                "every exception needs a non-empty `reason`".into(),
            ));
        }
        let expires = match model.expires {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(Date::parse(&text).ok_or((
                "expires",
                format!("`expires` must be a date YYYY-MM-DD, got `{text}`"),
            ))?),
            Some(other) => {
                return Err((
                    "expires",
                    format!("`expires` must be a date YYYY-MM-DD, got `{other}`"),
                ));
            }
        };
        let labels = model
            .labels
            .into_iter()
            .map(|(key, value)| {
                Glob::new(&value)
                    .map(|g| (key, g.compile_matcher()))
                    .map_err(|e| ("labels", format!("invalid glob `{value}`: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let entry = Entry {
            controls: OneOrMany::into_vec(model.controls),
            vulnerabilities: OneOrMany::into_vec(model.vulnerabilities),
            kinds: OneOrMany::into_vec(model.kinds),
            namespaces: Patterns::new(OneOrMany::into_vec(model.namespaces), false)
                .map_err(|m| ("namespaces", m))?,
            names: Patterns::new(OneOrMany::into_vec(model.names), false)
                .map_err(|m| ("names", m))?,
            labels,
            paths: Patterns::new(OneOrMany::into_vec(model.paths), true)
                .map_err(|m| ("paths", m))?,
            packages: Patterns::new(OneOrMany::into_vec(model.packages), false)
                .map_err(|m| ("packages", m))?,
            reason,
            expires,
            source: source.to_string(),
            line,
        };
        if entry.is_unconstrained() {
            return Err((
                "reason",
                "an exception must name at least one of controls, vulnerabilities, kinds, \
                 namespaces, names, labels, paths, packages"
                    .into(),
            ));
        }
        Ok(entry)
    }

    fn is_unconstrained(&self) -> bool {
        self.controls.is_empty()
            && self.vulnerabilities.is_empty()
            && self.kinds.is_empty()
            && self.namespaces.patterns.is_empty()
            && self.names.patterns.is_empty()
            && self.labels.is_empty()
            && self.paths.patterns.is_empty()
            && self.packages.patterns.is_empty()
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }

    pub fn expires(&self) -> Option<Date> {
        self.expires
    }

    /// The file the entry was read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The line of the entry in its file.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// Control names as written (IDs, slugs, Kubescape IDs), for validation by the caller.
    pub fn controls(&self) -> &[String] {
        &self.controls
    }

    pub fn vulnerabilities(&self) -> &[String] {
        &self.vulnerabilities
    }

    /// True from the day after `expires`.
    pub fn is_expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|d| d < today)
    }

    /// Whether the entry covers `finding` (expiry aside).
    pub fn matches(&self, finding: &Finding, labels: Option<&Map<String, Value>>) -> bool {
        self.matches_id(finding)
            && self.matches_resource(finding, labels)
            && self.paths.allows(
                finding
                    .location
                    .as_ref()
                    .map(|l| l.path.strip_prefix("./").unwrap_or(&l.path)),
            )
            && self
                .packages
                .allows(finding.package.as_ref().map(|p| p.name.as_str()))
    }

    /// A finding is named by its ID, its slug, its advisory aliases or its Kubescape IDs.
    fn matches_id(&self, finding: &Finding) -> bool {
        if self.controls.is_empty() && self.vulnerabilities.is_empty() {
            return true;
        }
        let names_finding = |name: &String| {
            name.eq_ignore_ascii_case(&finding.id)
                || (!finding.slug.is_empty() && name.eq_ignore_ascii_case(&finding.slug))
                || finding.aliases.iter().any(|a| name.eq_ignore_ascii_case(a))
                || finding
                    .references
                    .kubescape
                    .iter()
                    .any(|k| name.eq_ignore_ascii_case(k))
        };
        self.controls.iter().any(names_finding) || self.vulnerabilities.iter().any(names_finding)
    }

    fn matches_resource(&self, finding: &Finding, labels: Option<&Map<String, Value>>) -> bool {
        let resource = finding.resource.as_ref();
        let kind_ok = self.kinds.is_empty()
            || resource.is_some_and(|r| self.kinds.iter().any(|k| k.eq_ignore_ascii_case(&r.kind)));
        kind_ok
            && self
                .namespaces
                .allows(resource.and_then(|r| r.namespace.as_deref()))
            && self.names.allows(resource.and_then(|r| r.name.as_deref()))
            && (self.labels.is_empty()
                || labels.is_some_and(|have| {
                    self.labels.iter().all(|(key, glob)| {
                        have.get(key)
                            .and_then(Value::as_str)
                            .is_some_and(|v| glob.is_match(v))
                    })
                }))
    }
}
