//! API controls (`API-0NN`): what an object's `apiVersion` and `kind` say about whether a
//! cluster can still accept it.

mod removed_api_version;

pub use removed_api_version::REMOVED_API_VERSION;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[&REMOVED_API_VERSION];
