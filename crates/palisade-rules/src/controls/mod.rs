//! Every built-in control, one file each, grouped in families (one module per family).

use crate::Control;

mod api;
pub(crate) mod file;
pub(crate) mod image;
mod namespace;
mod network;
mod node;
pub(crate) mod pod;
mod rbac;
mod references;
mod sandbox;
mod secrets;
mod workload;

/// The controls of every family; the registry sorts them by ID.
pub(crate) static FAMILIES: &[&[&Control]] = &[
    file::CONTROLS,
    pod::CONTROLS,
    namespace::CONTROLS,
    network::CONTROLS,
    rbac::CONTROLS,
    references::CONTROLS,
    workload::CONTROLS,
    image::CONTROLS,
    secrets::CONTROLS,
    node::CONTROLS,
    sandbox::CONTROLS,
    api::CONTROLS,
];
