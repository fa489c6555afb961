//! Shared types every Palisade crate speaks: severities, findings, locations and reports.
//!
//! This crate does no I/O; it is the vocabulary between the loaders, the rule engine and the
//! report writers.

mod ecosystem;
mod finding;
mod location;
pub mod purl;
mod redact;
mod report;
pub mod sbom_property;
mod scores;
mod severity;
mod signature;

pub use ecosystem::{Ecosystem, UnknownEcosystem};
pub use finding::{
    Exploit, Finding, LayerRef, Origin, PackageRef, References, ResourceRef, Suppression,
};
pub use location::{Location, Position, Span};
pub use redact::redact;
pub use report::{REPORT_SCHEMA_VERSION, Report, ScanSummary, ToolInfo};
pub use scores::{ControlScore, FrameworkScore, Scores};
pub use severity::{ParseSeverityError, Severity};
pub use signature::{SignatureChecker, SignatureVerdict, SignatureVerdicts};
