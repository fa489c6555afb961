//! Every format against hand-written fixtures: names, versions, purls, scopes, directness and
//! the exact line of each package.

mod cargo;
mod garbage;
mod go;
mod maven;
mod npm;
mod nuget_gradle;
mod php;
mod pnpm;
mod python;
mod ruby;
mod snapshots;
mod yarn;

use std::path::{Path, PathBuf};

use palisade_pkg::{LockFile, LockFileKind, Scope, detect, parse};

/// A package as the tests compare it: name, version, line, scope, direct, pinned.
pub type Row<'a> = (&'a str, &'a str, u32, Scope, Option<bool>, bool);

pub fn fixture_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Parses a fixture, checking that its file name is detected as `kind` and that every package
/// is in that kind's ecosystem and points at the fixture.
pub fn load(kind: LockFileKind, rel: &str) -> LockFile {
    let path = fixture_path(rel);
    assert_eq!(detect(&path), Some(kind), "detect({rel})");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {rel}: {e}"));
    let lock = parse(kind, rel, &bytes).unwrap_or_else(|e| panic!("parsing {rel}: {e}"));
    assert_eq!(lock.kind, kind);
    assert_eq!(lock.path, rel);
    for pkg in &lock.packages {
        assert_eq!(pkg.ecosystem, kind.ecosystem(), "{pkg:?}");
        assert_eq!(pkg.location.path, rel);
        assert!(pkg.location.column >= 1);
    }
    lock
}

pub fn rows(lock: &LockFile) -> Vec<Row<'_>> {
    lock.packages
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.version.as_str(),
                p.location.line,
                p.scope,
                p.direct,
                p.pinned,
            )
        })
        .collect()
}

pub fn assert_rows(lock: &LockFile, expected: &[Row<'_>]) {
    let actual = rows(lock);
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(a, e, "package #{i} of {}", lock.path);
    }
    assert_eq!(
        actual.len(),
        expected.len(),
        "package count of {}: {actual:#?}",
        lock.path
    );
}

pub fn purls(lock: &LockFile) -> Vec<&str> {
    lock.packages.iter().map(|p| p.purl.as_str()).collect()
}

/// The warnings as `(line, message contains)` checks.
pub fn assert_warnings(lock: &LockFile, expected: &[(u32, &str)]) {
    let got: Vec<(u32, &str)> = lock
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(
        got.len(),
        expected.len(),
        "warnings of {}: {got:#?}",
        lock.path
    );
    for ((line, message), (want_line, want_text)) in got.iter().zip(expected) {
        assert_eq!(line, want_line, "{message}");
        assert!(
            message.contains(want_text),
            "{message:?} should mention {want_text:?}"
        );
    }
}
