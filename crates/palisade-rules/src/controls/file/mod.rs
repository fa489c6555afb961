//! Controls about the files themselves, reported by the scan pipeline while loading.

mod ambiguous_value;
mod duplicate_key;
mod invalid_manifest;
mod unknown_ignored_control;

pub use ambiguous_value::AMBIGUOUS_VALUE;
pub use duplicate_key::DUPLICATE_KEY;
pub use invalid_manifest::INVALID_MANIFEST;
pub use unknown_ignored_control::UNKNOWN_IGNORED_CONTROL;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[
    &INVALID_MANIFEST,
    &DUPLICATE_KEY,
    &AMBIGUOUS_VALUE,
    &UNKNOWN_IGNORED_CONTROL,
];
