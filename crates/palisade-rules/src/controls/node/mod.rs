//! Node controls (`NODE-0NN`): what Node objects (from a cluster export) report about
//! themselves.

mod kubelet_version;

pub use kubelet_version::KUBELET_VERSION;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[&KUBELET_VERSION];
