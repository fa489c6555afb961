//! Every built-in control, one file each, grouped in families (one module per family).

use crate::Control;

pub(crate) mod file;
pub(crate) mod pod;
mod namespace;
mod network;
mod rbac;

/// The controls of every family; the registry sorts them by ID.
pub(crate) static FAMILIES: &[&[&Control]] = &[file::CONTROLS, pod::CONTROLS, namespace::CONTROLS, network::CONTROLS, rbac::CONTROLS];
