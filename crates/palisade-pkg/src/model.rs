//! The types every cataloger produces.

use std::fmt;

use palisade_core::{Ecosystem, Location, PackageRef};
use serde::Serialize;

/// What the lock file says a package is needed for. Only what the format records is used; a
/// format that does not say leaves [`Scope::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Runtime,
    Dev,
    Test,
    Optional,
    Unknown,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Runtime => "runtime",
            Scope::Dev => "dev",
            Scope::Test => "test",
            Scope::Optional => "optional",
            Scope::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One package found in a lock file or manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// The name as the ecosystem's advisories spell it: `@scope/name` for npm,
    /// `group:artifact` for Maven, the module path for Go. PyPI names are kept as written;
    /// compare them PEP 503-normalised.
    pub name: String,
    /// The version as the file writes it. When `pinned` is false this is the requirement text
    /// (`>=2.0,<3`, a URL, or empty) and the package cannot be matched against advisories.
    pub version: String,
    /// Package URL (purl-spec); without a version when `pinned` is false.
    pub purl: String,
    /// The file and the line (1-based) of the text that names this package.
    pub location: Location,
    pub scope: Scope,
    /// `Some(true)` for a dependency the project declares itself, `Some(false)` for a
    /// transitive one, `None` when the format does not tell.
    pub direct: Option<bool>,
    /// Whether `version` is one exact version.
    pub pinned: bool,
    /// The image layer (0-based) that installed this package, for packages found in images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
    /// Distribution packages: the source package this binary package was built from, which
    /// distribution advisories name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
}

impl Package {
    /// The part of a package that findings carry.
    pub fn to_package_ref(&self) -> PackageRef {
        PackageRef {
            ecosystem: self.ecosystem.clone(),
            name: self.name.clone(),
            version: self.version.clone(),
            purl: self.purl.clone(),
            source_name: self.source_name.clone(),
            source_version: self.source_version.clone(),
        }
    }
}

/// A problem that did not stop parsing: an entry that was skipped, an include that was not
/// followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// 1-based line the message is about.
    pub line: u32,
    pub message: String,
}

impl Diagnostic {
    pub(crate) fn new(line: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The file could not be read as the format it claims to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ParseError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(line: u32, column: u32, message: impl Into<String>) -> Self {
        ParseError {
            line,
            column,
            message: message.into(),
        }
    }
}

/// The result of parsing one lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LockFile {
    /// The path as given to [`crate::parse`] (for display; never opened).
    pub path: String,
    pub kind: LockFileKind,
    /// Packages in file order.
    pub packages: Vec<Package>,
    pub warnings: Vec<Diagnostic>,
}

/// The lock-file and manifest formats this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LockFileKind {
    /// `Cargo.lock`, versions 1 to 4.
    CargoLock,
    /// `package-lock.json` (v1, v2, v3), `npm-shrinkwrap.json`, `node_modules/.package-lock.json`.
    NpmPackageLock,
    /// `yarn.lock`, classic (v1) and berry (v2+).
    YarnLock,
    /// `pnpm-lock.yaml`, lockfile versions 5, 6 and 9.
    PnpmLock,
    /// pip `requirements*.txt`.
    Requirements,
    /// Pipenv `Pipfile.lock`.
    PipfileLock,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
    /// `go.mod`.
    GoMod,
    /// Bundler `Gemfile.lock` / `gems.locked`.
    GemfileLock,
    /// `composer.lock`.
    ComposerLock,
    /// NuGet `packages.lock.json`.
    NugetLock,
    /// `gradle.lockfile`.
    GradleLockfile,
    /// Maven `pom.xml` (declared dependencies).
    MavenPom,
}

impl LockFileKind {
    /// Every kind, in a stable order.
    pub const ALL: [LockFileKind; 14] = [
        LockFileKind::CargoLock,
        LockFileKind::NpmPackageLock,
        LockFileKind::YarnLock,
        LockFileKind::PnpmLock,
        LockFileKind::Requirements,
        LockFileKind::PipfileLock,
        LockFileKind::PoetryLock,
        LockFileKind::UvLock,
        LockFileKind::GoMod,
        LockFileKind::GemfileLock,
        LockFileKind::ComposerLock,
        LockFileKind::NugetLock,
        LockFileKind::GradleLockfile,
        LockFileKind::MavenPom,
    ];

    /// A short stable name (`cargo-lock`, `npm-package-lock`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            LockFileKind::CargoLock => "cargo-lock",
            LockFileKind::NpmPackageLock => "npm-package-lock",
            LockFileKind::YarnLock => "yarn-lock",
            LockFileKind::PnpmLock => "pnpm-lock",
            LockFileKind::Requirements => "requirements",
            LockFileKind::PipfileLock => "pipfile-lock",
            LockFileKind::PoetryLock => "poetry-lock",
            LockFileKind::UvLock => "uv-lock",
            LockFileKind::GoMod => "go-mod",
            LockFileKind::GemfileLock => "gemfile-lock",
            LockFileKind::ComposerLock => "composer-lock",
            LockFileKind::NugetLock => "nuget-lock",
            LockFileKind::GradleLockfile => "gradle-lockfile",
            LockFileKind::MavenPom => "maven-pom",
        }
    }

    /// The ecosystem of every package this format lists.
    pub fn ecosystem(self) -> Ecosystem {
        match self {
            LockFileKind::CargoLock => Ecosystem::CratesIo,
            LockFileKind::NpmPackageLock | LockFileKind::YarnLock | LockFileKind::PnpmLock => {
                Ecosystem::Npm
            }
            LockFileKind::Requirements
            | LockFileKind::PipfileLock
            | LockFileKind::PoetryLock
            | LockFileKind::UvLock => Ecosystem::PyPI,
            LockFileKind::GoMod => Ecosystem::Go,
            LockFileKind::GemfileLock => Ecosystem::RubyGems,
            LockFileKind::ComposerLock => Ecosystem::Packagist,
            LockFileKind::NugetLock => Ecosystem::NuGet,
            LockFileKind::GradleLockfile | LockFileKind::MavenPom => Ecosystem::Maven,
        }
    }
}

impl fmt::Display for LockFileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
