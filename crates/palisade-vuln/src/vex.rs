//! OpenVEX documents: statements that a product is, or is not, affected by a vulnerability.
//!
//! A statement applies to a finding when it names the finding's vulnerability (its ID or one of
//! its aliases) and one of its products (or a product's subcomponents) is the finding's package.
//! Packages are compared by purl without qualifiers and subpath; a product purl without a version
//! covers every version. Statements are read in order, so a later statement about the same
//! vulnerability and package overrides an earlier one, as a VEX document's history does.
//!
//! Both the v0.2 layout (`vulnerability: {name, aliases}`, `products: [{"@id", subcomponents}]`)
//! and the earlier one (`vulnerability: "CVE-…"`, `products: ["pkg:…"]`, statement-level
//! `subcomponents`) are read.

use std::path::Path;

use palisade_core::purl::Purl;
use palisade_core::{Finding, Suppression};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum VexError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: not an OpenVEX document: {message}")]
    Syntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: statement {index}: {message}")]
    Statement {
        path: String,
        index: usize,
        message: String,
    },
}

/// What a statement says about the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexStatus {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl VexStatus {
    fn parse(text: &str) -> Option<VexStatus> {
        Some(match text {
            "not_affected" => VexStatus::NotAffected,
            "affected" => VexStatus::Affected,
            "fixed" => VexStatus::Fixed,
            "under_investigation" => VexStatus::UnderInvestigation,
            _ => return None,
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }

    /// Whether the statement takes the finding out of the count.
    fn suppresses(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }
}

#[derive(Debug, Clone)]
struct Statement {
    /// The vulnerability name and its aliases, as written.
    vulnerabilities: Vec<String>,
    /// Product and subcomponent purls, normalised by [`PurlKey::parse`].
    products: Vec<PurlKey>,
    status: VexStatus,
    /// Justification or impact statement, for the suppression reason.
    why: String,
    source: String,
}

/// Statements from one or more OpenVEX documents.
#[derive(Debug, Clone, Default)]
pub struct Vex {
    statements: Vec<Statement>,
}

#[derive(Deserialize)]
struct RawDocument {
    #[serde(default)]
    statements: Vec<RawStatement>,
}

#[derive(Deserialize)]
struct RawStatement {
    vulnerability: Value,
    #[serde(default)]
    products: Vec<Value>,
    #[serde(default)]
    subcomponents: Vec<Value>,
    status: String,
    #[serde(default)]
    justification: Option<String>,
    #[serde(default)]
    impact_statement: Option<String>,
    #[serde(default)]
    status_notes: Option<String>,
}

impl Vex {
    pub fn load(path: &Path) -> Result<Vex, VexError> {
        let display = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| VexError::Io {
            path: display.clone(),
            source,
        })?;
        Vex::parse(&bytes, &display)
    }

    /// Reads one document; `source` names it in errors and suppression reasons.
    pub fn parse(bytes: &[u8], source: &str) -> Result<Vex, VexError> {
        let raw: RawDocument = serde_json::from_slice(bytes).map_err(|e| VexError::Syntax {
            path: source.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let mut statements = Vec::with_capacity(raw.statements.len());
        for (index, statement) in raw.statements.into_iter().enumerate() {
            let invalid = |message: String| VexError::Statement {
                path: source.to_string(),
                index,
                message,
            };
            let status = VexStatus::parse(&statement.status)
                .ok_or_else(|| invalid(format!("unknown status `{}`", statement.status)))?;
            let vulnerabilities = vulnerability_names(&statement.vulnerability);
            if vulnerabilities.is_empty() {
                return Err(invalid("the vulnerability has no name".into()));
            }
            let mut products = Vec::new();
            for product in statement.products.iter().chain(&statement.subcomponents) {
                collect_purls(product, &mut products);
            }
            let why = [
                statement.justification,
                statement.impact_statement,
                statement.status_notes,
            ]
            .into_iter()
            .flatten()
            .find(|s| !s.is_empty())
            .unwrap_or_default();
            statements.push(Statement {
                vulnerabilities,
                products,
                status,
                why,
                source: source.to_string(),
            });
        }
        Ok(Vex { statements })
    }

    pub fn extend(&mut self, other: Vex) {
        self.statements.extend(other.statements);
    }

    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// Suppresses every finding a `not_affected` or `fixed` statement covers (findings already
    /// suppressed keep their first reason). Returns how many were suppressed.
    pub fn apply(&self, findings: &mut [Finding]) -> usize {
        let mut suppressed = 0;
        for finding in findings.iter_mut().filter(|f| !f.suppressed) {
            let Some(statement) = self.statement_for(finding) else {
                continue;
            };
            if !statement.status.suppresses() {
                continue;
            }
            let mut reason = format!("VEX {}", statement.status.as_str());
            if !statement.why.is_empty() {
                reason.push_str(": ");
                reason.push_str(&statement.why);
            }
            reason.push_str(" (");
            reason.push_str(&statement.source);
            reason.push(')');
            finding.suppressed = true;
            finding.suppression = Some(Box::new(Suppression {
                kind: "vex".to_string(),
                reason,
            }));
            suppressed += 1;
        }
        suppressed
    }

    /// The last statement that names this finding's vulnerability and package.
    fn statement_for(&self, finding: &Finding) -> Option<&Statement> {
        let package = PurlKey::parse(&finding.package.as_ref()?.purl)?;
        self.statements.iter().rev().find(|s| {
            s.vulnerabilities.iter().any(|v| {
                v.eq_ignore_ascii_case(&finding.id)
                    || finding.aliases.iter().any(|a| v.eq_ignore_ascii_case(a))
            }) && s.products.iter().any(|p| p.covers(&package))
        })
    }
}

fn vulnerability_names(value: &Value) -> Vec<String> {
    match value {
        Value::String(name) => vec![name.clone()],
        Value::Object(map) => {
            let mut names: Vec<String> = ["name", "@id"]
                .iter()
                .filter_map(|k| map.get(*k).and_then(Value::as_str))
                .map(str::to_string)
                .collect();
            if let Some(aliases) = map.get("aliases").and_then(Value::as_array) {
                names.extend(aliases.iter().filter_map(Value::as_str).map(str::to_string));
            }
            names
        }
        _ => Vec::new(),
    }
}

/// A product is a purl string or an object with `@id` (and `identifiers.purl`), possibly with
/// subcomponents of the same shape.
fn collect_purls(product: &Value, out: &mut Vec<PurlKey>) {
    match product {
        Value::String(id) => out.extend(PurlKey::parse(id)),
        Value::Object(map) => {
            for id in [
                map.get("@id"),
                map.get("identifiers").and_then(|i| i.get("purl")),
            ]
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            {
                out.extend(PurlKey::parse(id));
            }
            if let Some(subs) = map.get("subcomponents").and_then(Value::as_array) {
                for sub in subs {
                    collect_purls(sub, out);
                }
            }
        }
        _ => {}
    }
}

/// A purl reduced to what identifies a package version: type, namespace/name, version.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PurlKey {
    /// `type/namespace/name`, percent-decoded, type lower-cased.
    package: String,
    version: Option<String>,
}

impl PurlKey {
    fn parse(text: &str) -> Option<PurlKey> {
        let purl = Purl::parse(text)?;
        let package = match &purl.namespace {
            Some(namespace) => format!("{}/{namespace}/{}", purl.ty, purl.name),
            None => format!("{}/{}", purl.ty, purl.name),
        };
        Some(PurlKey {
            package,
            version: purl.version,
        })
    }

    /// A product without a version covers every version of the package.
    fn covers(&self, package: &PurlKey) -> bool {
        self.package == package.package
            && self
                .version
                .as_ref()
                .is_none_or(|v| package.version.as_ref() == Some(v))
    }
}

#[cfg(test)]
mod tests;
