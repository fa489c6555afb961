use std::fmt::Write as _;

use palisade_core::{Finding, Severity};

/// What a report writer may say about a rule (a control or an advisory) beyond what each
/// finding carries. The CLI builds these from the control catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    pub id: String,
    /// Kebab-case name (`privileged-container`).
    pub slug: String,
    pub title: String,
    pub severity: Severity,
    /// Family of the control (`pod-security`, `rbac`, …).
    pub category: String,
    /// Frameworks the control belongs to.
    pub frameworks: Vec<String>,
    /// Markdown documentation: What it checks / Why it matters / How to fix / Example.
    pub docs: String,
    /// One-line fix advice.
    pub remediation: String,
    /// Where to read more.
    pub help_uri: Option<String>,
}

/// Looks a rule up by ID; `None` for IDs the catalog does not know (advisories).
pub type RuleLookup = fn(&str) -> Option<RuleDoc>;

impl RuleDoc {
    /// The documentation the writers fall back on when the catalog has nothing: what the
    /// finding itself says about its rule.
    pub fn from_finding(finding: &Finding) -> RuleDoc {
        let is_advisory = finding.package.is_some();
        let title = if finding.title.is_empty() {
            finding.id.clone()
        } else {
            finding.title.clone()
        };
        let mut docs = format!("{title}\n");
        if !finding.remediation.is_empty() {
            let _ = write!(docs, "\n**How to fix**: {}\n", finding.remediation);
        }
        if !finding.fixed_versions.is_empty() {
            let _ = write!(docs, "\nFixed in: {}\n", finding.fixed_versions.join(", "));
        }
        if !finding.aliases.is_empty() {
            let _ = write!(docs, "\nAliases: {}\n", finding.aliases.join(", "));
        }
        RuleDoc {
            id: finding.id.to_string(),
            slug: finding.slug.to_string(),
            title: title.to_string(),
            severity: finding.severity,
            category: if is_advisory {
                "vulnerability".to_string()
            } else {
                String::new()
            },
            frameworks: Vec::new(),
            docs,
            remediation: finding.remediation.to_string(),
            help_uri: help_uri_of(finding),
        }
    }

    /// The first paragraph of "What it checks" (or of the docs), as plain text.
    pub fn summary(&self) -> String {
        let mut lines = self.docs.lines().map(str::trim).peekable();
        // Skip to the body of "What it checks" when the docs use the fixed headings.
        let has_heading = self
            .docs
            .lines()
            .any(|l| l.trim().trim_start_matches('#').trim() == "What it checks");
        if has_heading {
            for line in lines.by_ref() {
                if line.trim_start_matches('#').trim() == "What it checks" {
                    break;
                }
            }
        }
        while lines.peek().is_some_and(|l| l.is_empty()) {
            lines.next();
        }
        let paragraph: Vec<&str> = lines
            .take_while(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        if paragraph.is_empty() {
            self.title.clone()
        } else {
            paragraph.join(" ")
        }
    }
}

/// A page about the finding's rule: its own reference URLs first, then the advisory database
/// for vulnerabilities.
fn help_uri_of(finding: &Finding) -> Option<String> {
    if let Some(url) = finding.references.urls.first() {
        return Some(url.clone());
    }
    finding
        .package
        .is_some()
        .then(|| format!("https://osv.dev/vulnerability/{}", finding.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_the_first_paragraph_of_what_it_checks() {
        let doc = RuleDoc {
            id: "POD-001".into(),
            slug: "privileged-container".into(),
            title: "Privileged container".into(),
            severity: Severity::High,
            category: "pod-security".into(),
            frameworks: vec![],
            docs: "## What it checks\n\nContainers with\n`privileged: true`.\n\n## Why it matters\n\nRoot on the node."
                .into(),
            remediation: String::new(),
            help_uri: None,
        };
        assert_eq!(doc.summary(), "Containers with `privileged: true`.");
    }

    #[test]
    fn advisories_link_to_their_database_entry() {
        let mut finding = Finding::new("GHSA-xxxx-yyyy-zzzz", Severity::High, "vulnerable");
        finding.package = Some(Box::new(palisade_core::PackageRef {
            ecosystem: palisade_core::Ecosystem::Npm,
            name: "lodash".into(),
            version: "4.17.0".into(),
            purl: "pkg:npm/lodash@4.17.0".into(),
            source_name: None,
            source_version: None,
        }));
        let doc = RuleDoc::from_finding(&finding);
        assert_eq!(
            doc.help_uri.as_deref(),
            Some("https://osv.dev/vulnerability/GHSA-xxxx-yyyy-zzzz")
        );
        assert_eq!(doc.category, "vulnerability");
    }
}
