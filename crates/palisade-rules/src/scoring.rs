//! Compliance and risk scores (formulas: docs/scoring.md).
//!
//! - Control compliance = passed / (passed + failed) over the resources the control applies
//!   to; a resource fails when it has at least one finding of the control that counts
//!   (suppressed findings count as passed, and are tallied separately).
//! - Framework compliance = mean compliance of its controls that ran and applied to at least
//!   one resource (a control with nothing to judge says nothing about compliance).
//! - Overall compliance = the same mean over every control that ran.
//! - Risk = 100 × Σ weight(severity) × failed / Σ weight(severity) × (passed + failed): the
//!   severity-weighted share of failing resource checks. 0 is none failing, 100 all failing.

use std::collections::{HashMap, HashSet};

use palisade_core::{ControlScore, Finding, FrameworkScore, ResourceRef, Scores};
use palisade_k8s::{Object, PodView};

use crate::{Check, Framework, Selection, Targets};

/// Per control, how many resources it applied to. Built per object during the scan and
/// merged across files.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    applicable: HashMap<&'static str, usize>,
}

impl Tally {
    /// Counts `object` for every selected control whose targets include it.
    pub fn count(&mut self, selection: &Selection, object: &Object) {
        let is_workload = PodView::of(object).is_some();
        for control in selection.controls() {
            let applies = match control.targets {
                Targets::Workloads => is_workload,
                Targets::Kinds(kinds) => kinds.contains(&object.kind()),
                Targets::Files => false,
            };
            if applies && !matches!(control.check, Check::Pipeline) {
                *self.applicable.entry(control.id).or_default() += 1;
            }
        }
    }

    pub fn merge(&mut self, other: Tally) {
        for (id, n) in other.applicable {
            *self.applicable.entry(id).or_default() += n;
        }
    }

    pub fn applicable(&self, control_id: &str) -> usize {
        self.applicable.get(control_id).copied().unwrap_or(0)
    }
}

/// Identity of the resource a finding is about, for counting distinct failed resources.
/// A resource as scores count it: the same object in two files is two resources. Borrowed:
/// this runs once per finding.
fn resource_key(finding: &Finding) -> (&str, Option<&ResourceRef>) {
    (
        finding.location.as_ref().map_or("", |l| l.path.as_str()),
        finding.resource.as_deref(),
    )
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[allow(clippy::cast_precision_loss)]
fn percentage(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        round2(part as f64 * 100.0 / whole as f64)
    }
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        100.0
    } else {
        #[allow(clippy::cast_precision_loss)]
        round2(values.iter().sum::<f64>() / values.len() as f64)
    }
}

/// Computes the scores of a scan from its tally and its final (suppression-applied)
/// findings. `frameworks` are the ones to report on.
#[allow(clippy::cast_precision_loss)]
pub fn score(
    selection: &Selection,
    tally: &Tally,
    findings: &[Finding],
    frameworks: &[&Framework],
) -> Scores {
    let mut failed: HashMap<&str, HashSet<(&str, Option<&ResourceRef>)>> = HashMap::new();
    let mut suppressed: HashMap<&str, HashSet<(&str, Option<&ResourceRef>)>> = HashMap::new();
    for finding in findings.iter().filter(|f| f.resource.is_some()) {
        let target = if finding.suppressed {
            &mut suppressed
        } else {
            &mut failed
        };
        target
            .entry(&*finding.id)
            .or_default()
            .insert(resource_key(finding));
    }

    let mut controls = Vec::new();
    let (mut weighted_failed, mut weighted_total) = (0.0, 0.0);
    for control in selection.controls() {
        if matches!(control.check, Check::Pipeline) {
            continue;
        }
        let failed_set = failed.get(control.id);
        let n_failed = failed_set.map_or(0, HashSet::len);
        let n_suppressed = suppressed.get(control.id).map_or(0, |s| {
            s.iter()
                .filter(|k| failed_set.is_none_or(|f| !f.contains(*k)))
                .count()
        });
        let applicable = tally.applicable(control.id).max(n_failed + n_suppressed);
        let weight = control.severity.weight();
        weighted_failed += weight * n_failed as f64;
        weighted_total += weight * applicable as f64;
        controls.push(ControlScore {
            id: control.id.to_string(),
            slug: control.slug.to_string(),
            severity: control.severity,
            passed: applicable - n_failed,
            failed: n_failed,
            suppressed: n_suppressed,
            compliance: percentage(applicable - n_failed, applicable),
        });
    }

    let judged = |c: &&ControlScore| c.passed + c.failed > 0;
    let overall: Vec<f64> = controls
        .iter()
        .filter(judged)
        .map(|c| c.compliance)
        .collect();
    let frameworks = frameworks
        .iter()
        .map(|fw| {
            let members: Vec<&ControlScore> = controls
                .iter()
                .filter(|c| fw.contains(&c.id))
                .filter(judged)
                .collect();
            let values: Vec<f64> = members.iter().map(|c| c.compliance).collect();
            FrameworkScore {
                id: fw.id.to_string(),
                name: fw.name.to_string(),
                compliance: mean(&values),
                controls: members.len(),
                failed_controls: members.iter().filter(|c| c.failed > 0).count(),
            }
        })
        .collect();
    Scores {
        compliance: mean(&overall),
        risk: if weighted_total > 0.0 {
            round2(100.0 * weighted_failed / weighted_total)
        } else {
            0.0
        },
        frameworks,
        controls,
    }
}
