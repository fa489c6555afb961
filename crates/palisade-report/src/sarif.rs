//! SARIF 2.1.0 (OASIS), the format GitHub code scanning and other CI systems ingest.
//!
//! - one `reportingDescriptor` per rule that has results: controls (documented from the
//!   catalog through [`RuleLookup`](crate::RuleLookup)) and advisories;
//! - artifact URIs relative to the repository root (`--sarif-root`, else the current
//!   directory) under `uriBaseId` `%SRCROOT%`; files outside the root get absolute `file:` URIs;
//! - a full region (start and end line and column; columns count Unicode code points, declared
//!   in `run.columnKind`); findings without a line get no region rather than a dummy one;
//! - `partialFingerprints` from [`fingerprint`](crate::fingerprint), which ignores line numbers;
//! - suppressed findings keep their result with a `suppressions` entry (`inSource` for
//!   annotations in the manifest, `external` for exception files) and its justification.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io;
use std::path::{Component, Path, PathBuf};

use palisade_core::{Finding, Report, Severity};
use serde_json::{Map, Value, json};

use crate::fingerprint::{SARIF_KEY, fingerprint};
use crate::{RenderOptions, RuleDoc};

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

/// Writes the SARIF log of `report`. Results are serialized one at a time (one per line), so
/// large reports do not need the whole log in memory.
pub fn write_sarif(
    report: &Report,
    options: &RenderOptions<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let mut log = SarifLog::new(report, options)?;
    let mut head = serde_json::to_string(&log.run_without_results())?;
    head.pop(); // the run object's closing brace; results follow
    write!(
        out,
        "{{\"$schema\":{},\"version\":\"2.1.0\",\"runs\":[{head},\"results\":[",
        json!(SARIF_SCHEMA)
    )?;
    for (i, finding) in report.findings.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &log.result(finding))?;
    }
    out.write_all(b"\n]}]}\n")
}

/// The SARIF log of `report` as one JSON value.
pub fn sarif_log(report: &Report, options: &RenderOptions<'_>) -> io::Result<Value> {
    let mut log = SarifLog::new(report, options)?;
    let mut run = log.run_without_results();
    let results: Vec<Value> = report.findings.iter().map(|f| log.result(f)).collect();
    run["results"] = Value::Array(results);
    Ok(json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    }))
}

/// What every result needs: the rules, the URI root, and the baseline's fingerprints.
struct SarifLog<'r> {
    report: &'r Report,
    root: PathBuf,
    cwd: PathBuf,
    rules: Vec<Value>,
    rule_index: HashMap<&'r str, usize>,
    /// Fingerprint counts of the baseline's findings that count, consumed as results match.
    baseline: Option<HashMap<String, usize>>,
}

impl<'r> SarifLog<'r> {
    fn new(report: &'r Report, options: &RenderOptions<'_>) -> io::Result<Self> {
        let root = absolute(options.sarif_root.unwrap_or(Path::new(".")))?;
        let cwd = std::env::current_dir()?;
        let mut rule_docs: BTreeMap<&str, RuleDoc> = BTreeMap::new();
        for finding in &report.findings {
            rule_docs.entry(&*finding.id).or_insert_with(|| {
                options
                    .rule_docs
                    .and_then(|lookup| lookup(&finding.id))
                    .unwrap_or_else(|| RuleDoc::from_finding(finding))
            });
        }
        let rule_index = rule_docs
            .keys()
            .enumerate()
            .map(|(i, id)| (*id, i))
            .collect();
        let rules = rule_docs.values().map(rule).collect();
        let baseline = options.baseline.map(|base| {
            let mut counts: HashMap<String, usize> = HashMap::new();
            for f in base.findings.iter().filter(|f| !f.suppressed) {
                *counts.entry(fingerprint(f)).or_default() += 1;
            }
            counts
        });
        Ok(SarifLog {
            report,
            root,
            cwd,
            rules,
            rule_index,
            baseline,
        })
    }

    fn run_without_results(&self) -> Value {
        let report = self.report;
        let mut run = json!({
            "tool": {
                "driver": {
                    "name": "Palisade",
                    "version": report.tool.version,
                    "semanticVersion": report.tool.version,
                    "rules": self.rules,
                }
            },
            "originalUriBaseIds": {
                SRCROOT: { "uri": directory_uri(&self.root) }
            },
            "columnKind": "unicodeCodePoints",
            "properties": {
                "command": report.command,
                "summary": report.summary,
            }
        });
        if let Some(scores) = &report.scores {
            run["properties"]["scores"] = json!(scores);
        }
        run
    }

    fn result(&mut self, finding: &Finding) -> Value {
        let mut value = result(
            finding,
            self.rule_index[&*finding.id],
            &self.root,
            &self.cwd,
        );
        if let Some(counts) = self.baseline.as_mut()
            && !finding.suppressed
        {
            let state = match counts.get_mut(&fingerprint(finding)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    "unchanged"
                }
                _ => "new",
            };
            value["baselineState"] = json!(state);
        }
        value
    }
}

fn rule(doc: &RuleDoc) -> Value {
    let mut tags = vec!["security".to_string()];
    if !doc.category.is_empty() {
        tags.push(doc.category.clone());
    }
    tags.extend(doc.frameworks.iter().cloned());
    let name = if doc.slug.is_empty() {
        doc.id.clone()
    } else {
        doc.slug.clone()
    };
    let mut help_text = doc.docs.trim().to_string();
    if help_text.is_empty() {
        help_text.clone_from(&doc.title);
    }
    let mut value = json!({
        "id": doc.id,
        "name": name,
        "shortDescription": { "text": doc.title },
        "fullDescription": { "text": doc.summary() },
        "help": { "text": help_text, "markdown": help_text },
        "defaultConfiguration": { "level": level(doc.severity) },
        "properties": {
            "security-severity": security_severity(doc.severity),
            "problem.severity": problem_severity(doc.severity),
            "precision": "very-high",
            "tags": tags,
        }
    });
    if let Some(uri) = &doc.help_uri {
        value["helpUri"] = json!(uri);
    }
    value
}

fn result(finding: &Finding, rule_index: usize, root: &Path, cwd: &Path) -> Value {
    let mut result = json!({
        "ruleId": finding.id,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": { "text": message(finding) },
        "locations": [location(finding, root, cwd)],
        "partialFingerprints": { SARIF_KEY: fingerprint(finding) },
    });
    let mut properties = Map::new();
    properties.insert("severity".into(), json!(finding.severity));
    if let Some(resource) = &finding.resource {
        properties.insert("resource".into(), json!(resource));
    }
    if let Some(location) = &finding.location
        && !location.pointer.is_empty()
    {
        properties.insert("pointer".into(), json!(location.pointer));
    }
    if let Some(package) = &finding.package {
        properties.insert("package".into(), json!(package));
    }
    if !finding.fixed_versions.is_empty() {
        properties.insert("fixedVersions".into(), json!(finding.fixed_versions));
    }
    if let Some(origin) = &finding.origin {
        properties.insert("origin".into(), json!(origin));
    }
    result["properties"] = Value::Object(properties);
    if finding.suppressed {
        let (kind, reason) = finding.suppression.as_ref().map_or(("external", ""), |s| {
            let kind = if s.kind == "annotation" {
                "inSource"
            } else {
                "external"
            };
            (kind, s.reason.as_str())
        });
        // No review status: the OASIS standard calls it `status`, the schema in the spec
        // repository `state`; both are optional, and leaving it out is valid under either.
        let mut suppression = json!({ "kind": kind });
        if !reason.is_empty() {
            suppression["justification"] = json!(reason);
        }
        result["suppressions"] = json!([suppression]);
    }
    result
}

fn message(finding: &Finding) -> String {
    let mut text = finding.message.clone();
    if let Some(evidence) = &finding.evidence {
        let _ = write!(text, " (found: {evidence})");
    }
    if !finding.remediation.is_empty() {
        let _ = write!(text, " Fix: {}", finding.remediation);
    }
    text
}

fn location(finding: &Finding, root: &Path, cwd: &Path) -> Value {
    let mut value = json!({});
    if let Some(loc) = &finding.location
        && !loc.path.is_empty()
        && !loc.path.starts_with('<')
    {
        let mut physical = json!({ "artifactLocation": artifact_location(&loc.path, root, cwd) });
        if loc.line > 0 {
            let mut region = Map::new();
            region.insert("startLine".into(), json!(loc.line));
            let (end_line, end_column) = if (loc.end_line, loc.end_column) >= (loc.line, loc.column)
            {
                (loc.end_line, loc.end_column)
            } else {
                (loc.line, loc.column)
            };
            region.insert("endLine".into(), json!(end_line));
            if loc.column > 0 {
                region.insert("startColumn".into(), json!(loc.column));
                region.insert("endColumn".into(), json!(end_column.max(1)));
            }
            physical["region"] = Value::Object(region);
        }
        value["physicalLocation"] = physical;
    }
    let mut logical = Vec::new();
    if let Some(resource) = &finding.resource {
        logical.push(json!({
            "name": resource.name.clone().unwrap_or_default(),
            "fullyQualifiedName": resource.display_name(),
            "kind": "resource",
        }));
    }
    if let Some(package) = &finding.package {
        logical.push(json!({
            "name": package.name,
            "fullyQualifiedName": if package.purl.is_empty() {
                format!("{}@{}", package.name, package.version)
            } else {
                package.purl.clone()
            },
            "kind": "module",
        }));
    }
    if !logical.is_empty() {
        value["logicalLocations"] = json!(logical);
    }
    value
}

/// A path relative to `root` under `%SRCROOT%` when it lies inside, an absolute `file:` URI
/// otherwise.
fn artifact_location(path: &str, root: &Path, cwd: &Path) -> Value {
    let absolute_path = normalize(&cwd.join(path));
    match absolute_path.strip_prefix(root) {
        Ok(relative) => json!({
            "uri": encode_path(&relative.to_string_lossy()),
            "uriBaseId": SRCROOT,
        }),
        Err(_) => json!({ "uri": file_uri(&absolute_path) }),
    }
}

fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    Ok(normalize(&joined))
}

/// Removes `.` and resolves `..` lexically (the files may not exist any more).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    if text.starts_with('/') {
        format!("file://{}", encode_path(&text))
    } else {
        format!("file:///{}", encode_path(&text))
    }
}

fn directory_uri(path: &Path) -> String {
    let mut uri = file_uri(path);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes everything but unreserved characters and `/` (RFC 3986).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity`: critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low < 4.0.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn problem_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "recommendation",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_the_root_and_encoded() {
        let root = Path::new("/repo");
        let cwd = Path::new("/repo/sub");
        assert_eq!(
            artifact_location("../k8s/my app.yaml", root, cwd),
            json!({"uri": "k8s/my%20app.yaml", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("/elsewhere/x.yaml", root, cwd),
            json!({"uri": "file:///elsewhere/x.yaml"})
        );
        assert_eq!(directory_uri(root), "file:///repo/");
    }
}
