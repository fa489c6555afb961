//! Version schemes: how each ecosystem orders its version strings.
//!
//! Every scheme lives in its own module and exposes a parsed type with a total order. Parsing
//! never panics; a string the scheme cannot read is a [`VersionError`].

mod apk;
mod cran;
mod dpkg;
mod hackage;
mod maven;
mod nuget;
mod num;
mod packagist;
mod pep440;
mod pub_;
mod rpm;
mod rubygems;
mod semver;

use std::cmp::Ordering;
use std::fmt;

use palisade_core::Ecosystem;

pub use apk::ApkVersion;
pub use cran::CranVersion;
pub use dpkg::DpkgVersion;
pub use hackage::HackageVersion;
pub use maven::MavenVersion;
pub use nuget::NuGetVersion;
pub use packagist::PackagistVersion;
pub use pep440::Pep440Version;
pub use pub_::PubVersion;
pub use rpm::RpmVersion;
pub use rubygems::GemVersion;
pub use semver::SemVersion;

/// Why a version string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {scheme} version `{version}`: {reason}")]
pub struct VersionError {
    pub scheme: &'static str,
    pub version: String,
    pub reason: String,
}

impl VersionError {
    pub(crate) fn new(scheme: VersionScheme, version: &str, reason: impl Into<String>) -> Self {
        VersionError {
            scheme: scheme.name(),
            version: version.to_string(),
            reason: reason.into(),
        }
    }
}

/// The ordering rules of one ecosystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VersionScheme {
    /// Semantic Versioning 2.0 (npm, crates.io, OSV `SEMVER` ranges); a `v` prefix is accepted.
    SemVer,
    /// Go modules: semver with a mandatory-in-practice `v`, `+incompatible`, pseudo-versions and
    /// toolchain spellings such as `go1.21.3`.
    Go,
    /// Python, PEP 440 (with the pre-PEP-440 "legacy" ordering for strings it rejects).
    Pep440,
    /// Maven `ComparableVersion` ordering.
    Maven,
    /// `Gem::Version`.
    RubyGems,
    /// NuGet: up to four numeric parts, case-insensitive pre-release labels.
    NuGet,
    /// Composer / PHP `version_compare`.
    Packagist,
    /// Debian and Ubuntu (`dpkg --compare-versions`).
    Debian,
    /// Alpine, Wolfi, Chainguard (`apk version -t`).
    Alpine,
    /// RPM distributions (`rpmvercmp` on epoch:version-release).
    Rpm,
    /// Dart `pub_semver`.
    Pub,
    /// Haskell `Data.Version`.
    Hackage,
    /// R `package_version`.
    Cran,
}

impl VersionScheme {
    pub const ALL: [VersionScheme; 13] = [
        VersionScheme::SemVer,
        VersionScheme::Go,
        VersionScheme::Pep440,
        VersionScheme::Maven,
        VersionScheme::RubyGems,
        VersionScheme::NuGet,
        VersionScheme::Packagist,
        VersionScheme::Debian,
        VersionScheme::Alpine,
        VersionScheme::Rpm,
        VersionScheme::Pub,
        VersionScheme::Hackage,
        VersionScheme::Cran,
    ];

    /// The scheme an ecosystem's `ECOSYSTEM` ranges are written in; `None` when Palisade does not
    /// know how that ecosystem orders versions (its ranges cannot be evaluated).
    pub fn for_ecosystem(ecosystem: &Ecosystem) -> Option<VersionScheme> {
        Some(match ecosystem {
            Ecosystem::CratesIo | Ecosystem::Npm => VersionScheme::SemVer,
            Ecosystem::Go => VersionScheme::Go,
            Ecosystem::PyPI => VersionScheme::Pep440,
            Ecosystem::Maven => VersionScheme::Maven,
            Ecosystem::RubyGems => VersionScheme::RubyGems,
            Ecosystem::NuGet => VersionScheme::NuGet,
            Ecosystem::Packagist => VersionScheme::Packagist,
            Ecosystem::Pub => VersionScheme::Pub,
            Ecosystem::Hackage => VersionScheme::Hackage,
            Ecosystem::Cran => VersionScheme::Cran,
            Ecosystem::Debian(_) | Ecosystem::Ubuntu(_) => VersionScheme::Debian,
            Ecosystem::Alpine(_) | Ecosystem::Wolfi | Ecosystem::Chainguard => {
                VersionScheme::Alpine
            }
            Ecosystem::AlmaLinux(_) | Ecosystem::RockyLinux(_) | Ecosystem::RedHat(_) => {
                VersionScheme::Rpm
            }
            Ecosystem::Other(name) => match name.split(':').next().unwrap_or_default() {
                "SUSE" | "openSUSE" | "Mageia" | "openEuler" | "Azure Linux" | "Photon OS"
                | "Oracle Linux" | "Amazon Linux" | "CentOS" | "Fedora" => VersionScheme::Rpm,
                "Alpaquita" | "BellSoft Hardened Containers" | "MinimOS" | "CleanStart" => {
                    VersionScheme::Alpine
                }
                "Echo" => VersionScheme::Debian,
                "Kubernetes" | "kubernetes" | "Bitnami" | "GitHub Actions" | "Hex" | "SwiftURL" => {
                    VersionScheme::SemVer
                }
                _ => return None,
            },
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            VersionScheme::SemVer => "semver",
            VersionScheme::Go => "go",
            VersionScheme::Pep440 => "pep440",
            VersionScheme::Maven => "maven",
            VersionScheme::RubyGems => "rubygems",
            VersionScheme::NuGet => "nuget",
            VersionScheme::Packagist => "packagist",
            VersionScheme::Debian => "dpkg",
            VersionScheme::Alpine => "apk",
            VersionScheme::Rpm => "rpm",
            VersionScheme::Pub => "pub",
            VersionScheme::Hackage => "hackage",
            VersionScheme::Cran => "cran",
        }
    }

    /// Parses `s` under this scheme.
    pub fn parse(self, s: &str) -> Result<Version, VersionError> {
        Ok(match self {
            VersionScheme::SemVer => Version::SemVer(SemVersion::parse(s)?),
            VersionScheme::Go => Version::SemVer(SemVersion::parse_go(s)?),
            VersionScheme::Pep440 => Version::Pep440(Pep440Version::parse(s)?),
            VersionScheme::Maven => Version::Maven(MavenVersion::parse(s)?),
            VersionScheme::RubyGems => Version::RubyGems(GemVersion::parse(s)?),
            VersionScheme::NuGet => Version::NuGet(NuGetVersion::parse(s)?),
            VersionScheme::Packagist => Version::Packagist(PackagistVersion::parse(s)?),
            VersionScheme::Debian => Version::Dpkg(DpkgVersion::parse(s)?),
            VersionScheme::Alpine => Version::Apk(ApkVersion::parse(s)?),
            VersionScheme::Rpm => Version::Rpm(RpmVersion::parse(s)?),
            VersionScheme::Pub => Version::Pub(PubVersion::parse(s)?),
            VersionScheme::Hackage => Version::Hackage(HackageVersion::parse(s)?),
            VersionScheme::Cran => Version::Cran(CranVersion::parse(s)?),
        })
    }

    /// Compares two version strings under this scheme.
    pub fn compare(self, a: &str, b: &str) -> Result<Ordering, VersionError> {
        let a = self.parse(a)?;
        let b = self.parse(b)?;
        Ok(a.compare(&b).unwrap_or(Ordering::Equal))
    }
}

impl fmt::Display for VersionScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed version of some scheme.
#[derive(Debug, Clone)]
pub enum Version {
    SemVer(SemVersion),
    Pep440(Pep440Version),
    Maven(MavenVersion),
    RubyGems(GemVersion),
    NuGet(NuGetVersion),
    Packagist(PackagistVersion),
    Dpkg(DpkgVersion),
    Apk(ApkVersion),
    Rpm(RpmVersion),
    Pub(PubVersion),
    Hackage(HackageVersion),
    Cran(CranVersion),
}

impl Version {
    /// Orders two versions of the same scheme; `None` when the schemes differ.
    pub fn compare(&self, other: &Version) -> Option<Ordering> {
        Some(match (self, other) {
            (Version::SemVer(a), Version::SemVer(b)) => a.cmp(b),
            (Version::Pep440(a), Version::Pep440(b)) => a.cmp(b),
            (Version::Maven(a), Version::Maven(b)) => a.cmp(b),
            (Version::RubyGems(a), Version::RubyGems(b)) => a.cmp(b),
            (Version::NuGet(a), Version::NuGet(b)) => a.cmp(b),
            (Version::Packagist(a), Version::Packagist(b)) => a.cmp(b),
            (Version::Dpkg(a), Version::Dpkg(b)) => a.cmp(b),
            (Version::Apk(a), Version::Apk(b)) => a.cmp(b),
            (Version::Rpm(a), Version::Rpm(b)) => a.cmp(b),
            (Version::Pub(a), Version::Pub(b)) => a.cmp(b),
            (Version::Hackage(a), Version::Hackage(b)) => a.cmp(b),
            (Version::Cran(a), Version::Cran(b)) => a.cmp(b),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_follow_ecosystems() {
        let scheme = |s: &str| VersionScheme::for_ecosystem(&s.parse().unwrap());
        assert_eq!(scheme("crates.io"), Some(VersionScheme::SemVer));
        assert_eq!(scheme("Debian:12"), Some(VersionScheme::Debian));
        assert_eq!(scheme("AlmaLinux:9"), Some(VersionScheme::Rpm));
        assert_eq!(scheme("Alpine:v3.20"), Some(VersionScheme::Alpine));
        assert_eq!(scheme("SUSE:Linux Enterprise 15"), Some(VersionScheme::Rpm));
        assert_eq!(scheme("Ecosystem1"), None);
    }

    #[test]
    fn cross_scheme_versions_do_not_compare() {
        let a = VersionScheme::SemVer.parse("1.0.0").unwrap();
        let b = VersionScheme::Debian.parse("1.0.0").unwrap();
        assert_eq!(a.compare(&b), None);
        assert_eq!(
            VersionScheme::Debian.compare("1:1.0", "2.0"),
            Ok(Ordering::Greater)
        );
    }
}
