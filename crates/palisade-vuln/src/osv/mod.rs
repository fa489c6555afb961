//! The OSV format: record model, validation, loading, and range evaluation.

pub mod eval;
mod load;
mod model;
mod validate;

pub use eval::{
    AffectedDetail, AffectedSpec, Evaluation, QueryVersion, RangeSpec, evaluate, evaluate_query,
};
pub use load::{Format, parse_records};
pub use model::{
    Affected, Credit, Event, EventKind, OsvRecord, Package, Range, RangeKind, RawEvent, Reference,
    SeverityScore,
};
pub use validate::{Validation, validate};
