//! Controls about the files themselves, reported by the scan pipeline while loading.

mod ambiguous_value;
mod duplicate_key;
mod invalid_manifest;

pub use ambiguous_value::AMBIGUOUS_VALUE;
pub use duplicate_key::DUPLICATE_KEY;
pub use invalid_manifest::INVALID_MANIFEST;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] =
    &[&INVALID_MANIFEST, &DUPLICATE_KEY, &AMBIGUOUS_VALUE];
