//! Vulnerability matching for Palisade: version schemes of every supported ecosystem, the OSV
//! record model and its range evaluation, CVSS scoring, the local vulnerability database, and
//! matching installed packages against it.
//!
//! ```no_run
//! use palisade_vuln::{Database, PackageQuery};
//! let db = Database::open("vuln.db")?;
//! let query = PackageQuery::new("crates.io".parse().unwrap(), "openssl", "0.8.0");
//! for m in db.matches(&query)? {
//!     println!("{} {} fixed in {:?}", m.id, m.severity, m.fixed_versions);
//! }
//! # Ok::<(), palisade_vuln::DbError>(())
//! ```

mod assess;
pub mod cvss;
pub mod db;
pub mod enrich;
mod matching;
pub mod names;
pub mod osv;
mod purl;
pub mod severity;
pub mod version;
pub mod vex;

pub use assess::{AssessOptions, Assessment, Subject, assess};
pub use db::{Database, DbError, DbHeader, DbStatus, ImportReport, SourceInfo, update};
pub use enrich::{Epss, EpssScore, Kev, KevEntry, enrich};
pub use matching::{PackageQuery, QueryResult, Unevaluated, VulnMatch, compare_versions};
pub use purl::package_purl;
pub use severity::{SeverityInfo, SeveritySource};
pub use version::{Version, VersionError, VersionScheme};
pub use vex::{Vex, VexError, VexStatus};
