use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A package ecosystem, named as OSV names it (`affected[].package.ecosystem`).
///
/// Distribution ecosystems carry their release (`Debian:12`, `Alpine:v3.19`) because advisories
/// are per release.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ecosystem {
    CratesIo,
    Npm,
    Go,
    PyPI,
    Maven,
    RubyGems,
    NuGet,
    Packagist,
    Pub,
    Hackage,
    Cran,
    Debian(Option<String>),
    Ubuntu(Option<String>),
    Alpine(Option<String>),
    AlmaLinux(Option<String>),
    RockyLinux(Option<String>),
    RedHat(Option<String>),
    Wolfi,
    Chainguard,
    /// Any other ecosystem string, kept verbatim.
    Other(String),
}

impl Ecosystem {
    /// The ecosystem without its release suffix (`Debian:12` → `Debian`).
    pub fn base_name(&self) -> &str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::Go => "Go",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Maven => "Maven",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Pub => "Pub",
            Ecosystem::Hackage => "Hackage",
            Ecosystem::Cran => "CRAN",
            Ecosystem::Debian(_) => "Debian",
            Ecosystem::Ubuntu(_) => "Ubuntu",
            Ecosystem::Alpine(_) => "Alpine",
            Ecosystem::AlmaLinux(_) => "AlmaLinux",
            Ecosystem::RockyLinux(_) => "Rocky Linux",
            Ecosystem::RedHat(_) => "Red Hat",
            Ecosystem::Wolfi => "Wolfi",
            Ecosystem::Chainguard => "Chainguard",
            Ecosystem::Other(s) => s.split(':').next().unwrap_or(s),
        }
    }

    /// The release part of a distribution ecosystem (`Debian:12` → `12`).
    pub fn release(&self) -> Option<&str> {
        match self {
            Ecosystem::Debian(r)
            | Ecosystem::Ubuntu(r)
            | Ecosystem::Alpine(r)
            | Ecosystem::AlmaLinux(r)
            | Ecosystem::RockyLinux(r)
            | Ecosystem::RedHat(r) => r.as_deref(),
            _ => None,
        }
    }

    /// The package-URL type for packages of this ecosystem (purl-spec `PURL-TYPES`).
    pub fn purl_type(&self) -> &str {
        match self {
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::Go => "golang",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Maven => "maven",
            Ecosystem::RubyGems => "gem",
            Ecosystem::NuGet => "nuget",
            Ecosystem::Packagist => "composer",
            Ecosystem::Pub => "pub",
            Ecosystem::Hackage => "hackage",
            Ecosystem::Cran => "cran",
            Ecosystem::Debian(_) | Ecosystem::Ubuntu(_) => "deb",
            Ecosystem::Alpine(_) | Ecosystem::Wolfi | Ecosystem::Chainguard => "apk",
            Ecosystem::AlmaLinux(_) | Ecosystem::RockyLinux(_) | Ecosystem::RedHat(_) => "rpm",
            Ecosystem::Other(_) => "generic",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.release()) {
            (Ecosystem::Other(s), _) => f.write_str(s),
            (_, Some(release)) => write!(f, "{}:{release}", self.base_name()),
            _ => f.write_str(self.base_name()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("empty ecosystem name")]
pub struct UnknownEcosystem;

impl FromStr for Ecosystem {
    type Err = UnknownEcosystem;

    /// Parses an OSV ecosystem string. Unknown names are kept as [`Ecosystem::Other`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err(UnknownEcosystem);
        }
        let (base, release) = match s.split_once(':') {
            Some((b, r)) => (b, Some(r.to_string()).filter(|r| !r.is_empty())),
            None => (s, None),
        };
        Ok(match base {
            "crates.io" => Ecosystem::CratesIo,
            "npm" => Ecosystem::Npm,
            "Go" => Ecosystem::Go,
            "PyPI" => Ecosystem::PyPI,
            "Maven" => Ecosystem::Maven,
            "RubyGems" => Ecosystem::RubyGems,
            "NuGet" => Ecosystem::NuGet,
            "Packagist" => Ecosystem::Packagist,
            "Pub" => Ecosystem::Pub,
            "Hackage" => Ecosystem::Hackage,
            "CRAN" => Ecosystem::Cran,
            "Debian" => Ecosystem::Debian(release),
            "Ubuntu" => Ecosystem::Ubuntu(release),
            "Alpine" => Ecosystem::Alpine(release),
            "AlmaLinux" => Ecosystem::AlmaLinux(release),
            "Rocky Linux" => Ecosystem::RockyLinux(release),
            "Red Hat" => Ecosystem::RedHat(release),
            "Wolfi" => Ecosystem::Wolfi,
            "Chainguard" => Ecosystem::Chainguard,
            _ => Ecosystem::Other(s.to_string()),
        })
    }
}

impl Serialize for Ecosystem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ecosystem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_osv_names() {
        for name in [
            "crates.io",
            "Debian:12",
            "Alpine:v3.19",
            "Rocky Linux:9",
            "PyPI",
            "SUSE:Linux Enterprise 15",
        ] {
            let eco: Ecosystem = name.parse().unwrap();
            assert_eq!(eco.to_string(), name);
        }
        assert_eq!(
            "Debian:12".parse::<Ecosystem>().unwrap().release(),
            Some("12")
        );
        assert_eq!("Debian".parse::<Ecosystem>().unwrap().purl_type(), "deb");
    }
}
