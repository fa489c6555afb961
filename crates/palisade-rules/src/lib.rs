//! Palisade's built-in controls, the frameworks that group them, and the engine that runs them
//! over Kubernetes objects.
//!
//! Each control lives in its own file under `controls/` with its documentation as doc comments
//! (What it checks / Why it matters / How to fix / Example) and its check function.

mod control;
mod controls;
mod engine;
mod frameworks;
mod params;
mod pss_version;
mod registry;
mod scoring;
mod suppress;

pub use control::{
    Check, CheckContext, Control, ControlRefs, ObjectCheckFn, SetCheckFn, SetViolation, Targets,
    Violation,
};
pub use engine::{
    REGISTRY_CONTROLS, Selection, SelectionError, evaluate_object, evaluate_set,
    evaluate_set_indexed, resolve_control,
};
pub use frameworks::{FRAMEWORKS, Framework, Membership, framework};
pub use params::ControlParams;
pub use pss_version::{LATEST_PSS_MINOR, ParsePssVersionError, PssVersion};
pub use registry::{all_controls, find_control};
pub use scoring::{Tally, score};
pub use suppress::{IGNORE_ANNOTATION, IGNORE_REASON_ANNOTATION, Suppressor};

/// IDs of the file-level controls the scan pipeline reports itself.
pub mod file_controls {
    pub use crate::controls::file::{
        AMBIGUOUS_VALUE, DUPLICATE_KEY, INVALID_MANIFEST, UNKNOWN_IGNORED_CONTROL,
    };
}
