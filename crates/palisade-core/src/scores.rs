use serde::{Deserialize, Serialize};

use crate::Severity;

/// Compliance of one control over the resources it applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlScore {
    pub id: String,
    pub slug: String,
    pub severity: Severity,
    /// Resources the control applies to with no counting finding.
    pub passed: usize,
    /// Resources with at least one counting (unsuppressed) finding.
    pub failed: usize,
    /// Resources whose only findings were suppressed (counted as passed).
    pub suppressed: usize,
    /// `passed / (passed + failed)` as a percentage; 100 when the control applied to nothing.
    pub compliance: f64,
}

/// Compliance of a framework: the mean of its controls' compliance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameworkScore {
    pub id: String,
    pub name: String,
    /// Mean control compliance, as a percentage.
    pub compliance: f64,
    /// Controls of the framework that ran.
    pub controls: usize,
    /// Of those, controls with at least one failed resource.
    pub failed_controls: usize,
}

/// Scores of a misconfiguration scan (formulas: docs/scoring.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Mean compliance over every control that ran, as a percentage.
    pub compliance: f64,
    /// 0 (no risk) … 100: failed resources weighted by control severity.
    pub risk: f64,
    pub frameworks: Vec<FrameworkScore>,
    pub controls: Vec<ControlScore>,
}
