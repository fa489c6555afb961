//! Namespace controls: the Pod Security Admission labels that decide which pods a namespace
//! admits.

mod support;

mod enforce_below_baseline;
mod enforce_below_restricted;
mod enforce_version_pinned;
mod missing_enforce_label;

pub use enforce_below_baseline::ENFORCE_BELOW_BASELINE;
pub use enforce_below_restricted::ENFORCE_BELOW_RESTRICTED;
pub use enforce_version_pinned::ENFORCE_VERSION_PINNED;
pub use missing_enforce_label::MISSING_ENFORCE_LABEL;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[
    &MISSING_ENFORCE_LABEL,
    &ENFORCE_BELOW_BASELINE,
    &ENFORCE_BELOW_RESTRICTED,
    &ENFORCE_VERSION_PINNED,
];
