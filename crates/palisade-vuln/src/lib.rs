//! Vulnerability matching for Palisade: version schemes of every supported ecosystem, the OSV
//! record model and its range evaluation, CVSS scoring, and the local vulnerability database.

pub mod cvss;
pub mod osv;
pub mod version;

pub use version::{Version, VersionError, VersionScheme};
