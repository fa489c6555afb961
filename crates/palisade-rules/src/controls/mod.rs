//! Every built-in control, one file each.

pub(crate) mod file;
pub(crate) mod pod;
