//! From installed packages to vulnerability findings: the step `deps`, `image` and `sbom scan`
//! share after their catalogers.

use palisade_core::{Finding, LayerRef, Location, PackageRef};

use crate::db::{Database, DbError};
use crate::enrich::{Epss, Kev, enrich};
use crate::matching::PackageQuery;

/// One installed package to check, with where it was found.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The package as reported. Distribution packages carry their source package, which is what
    /// distribution advisories name.
    pub package: PackageRef,
    pub location: Option<Location>,
    pub layer: Option<LayerRef>,
}

impl Subject {
    /// The lookup key: distribution advisories are keyed by source package and source version.
    fn query(&self) -> PackageQuery {
        let p = &self.package;
        PackageQuery::new(
            p.ecosystem.clone(),
            p.source_name.as_deref().unwrap_or(&p.name),
            p.source_version.as_deref().unwrap_or(&p.version),
        )
    }
}

/// What matching needs besides the database.
#[derive(Debug, Clone, Copy, Default)]
pub struct AssessOptions<'a> {
    pub kev: Option<&'a Kev>,
    pub epss: Option<&'a Epss>,
    /// Leave out vulnerabilities without a fixed version.
    pub ignore_unfixed: bool,
}

/// The findings of an assessment and what could not be decided.
#[derive(Debug, Clone, Default)]
pub struct Assessment {
    pub findings: Vec<Finding>,
    /// Vulnerabilities whose ranges could not be evaluated for a package version, as messages.
    pub unevaluated: Vec<String>,
    /// Vulnerabilities left out by `ignore_unfixed`.
    pub unfixed_hidden: usize,
}

/// Matches every subject against `db`. One finding per vulnerability and package occurrence,
/// located at the occurrence and carrying the reported package (binary name for distributions).
pub fn assess(
    db: &Database,
    subjects: &[Subject],
    options: AssessOptions<'_>,
) -> Result<Assessment, DbError> {
    let mut assessment = Assessment::default();
    for subject in subjects {
        let query = subject.query();
        let mut result = db.query(&query)?;
        enrich(&mut result.matches, options.kev, options.epss);
        for unevaluated in result.unevaluated {
            assessment.unevaluated.push(format!(
                "{} {} {}: {} not evaluated: {}",
                query.ecosystem, query.name, query.version, unevaluated.id, unevaluated.reason
            ));
        }
        for vuln in result.matches {
            if options.ignore_unfixed && vuln.fixed_versions.is_empty() {
                assessment.unfixed_hidden += 1;
                continue;
            }
            let mut finding = vuln.to_finding();
            finding.package = Some(Box::new(subject.package.clone()));
            finding.location.clone_from(&subject.location);
            finding.layer = subject.layer.clone().map(Box::new);
            assessment.findings.push(finding);
        }
    }
    Ok(assessment)
}
