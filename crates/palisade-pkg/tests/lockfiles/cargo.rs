use palisade_pkg::LockFileKind::CargoLock;
use palisade_pkg::Scope::Unknown;

use crate::{assert_rows, assert_warnings, load, purls};

#[test]
fn cargo_lock_v3_registry_and_git_packages() {
    let lock = load(CargoLock, "cargo/Cargo.lock");
    assert_rows(
        &lock,
        &[
            ("git-dep", "0.2.0", 16, Unknown, Some(true), true),
            ("libc", "0.2.69", 28, Unknown, Some(false), true),
            ("regex", "0.1.80", 34, Unknown, Some(false), true),
            ("regex", "1.3.9", 40, Unknown, Some(true), true),
            ("smallvec", "0.6.9", 46, Unknown, Some(true), true),
            ("time", "0.1.43", 52, Unknown, Some(true), true),
            ("winapi", "0.3.8", 63, Unknown, Some(false), true),
        ],
    );
    assert_eq!(
        purls(&lock),
        [
            "pkg:cargo/git-dep@0.2.0",
            "pkg:cargo/libc@0.2.69",
            "pkg:cargo/regex@0.1.80",
            "pkg:cargo/regex@1.3.9",
            "pkg:cargo/smallvec@0.6.9",
            "pkg:cargo/time@0.1.43",
            "pkg:cargo/winapi@0.3.8",
        ]
    );
    // The column is that of the quoted name.
    assert_eq!(lock.packages[4].location.column, 8);
    assert_warnings(&lock, &[]);
}

#[test]
fn cargo_lock_v1_with_root_table() {
    let lock = load(CargoLock, "cargo/v1/Cargo.lock");
    assert_rows(
        &lock,
        &[
            ("smallvec", "0.6.9", 9, Unknown, Some(true), true),
            ("unsafe-any", "0.4.2", 14, Unknown, Some(false), true),
        ],
    );
}

#[test]
fn cargo_lock_v4_other_registry_and_build_metadata() {
    let lock = load(CargoLock, "cargo/v4/Cargo.lock");
    assert_rows(
        &lock,
        &[
            ("hyper", "0.14.9", 6, Unknown, Some(true), true),
            (
                "weird-build",
                "1.0.0+build.7",
                19,
                Unknown,
                Some(false),
                true,
            ),
        ],
    );
    assert_eq!(purls(&lock)[1], "pkg:cargo/weird-build@1.0.0%2Bbuild.7");
}

#[test]
fn cargo_lock_errors_are_located() {
    let err = palisade_pkg::parse(
        CargoLock,
        "Cargo.lock",
        b"version = 3\n\n[[package]]\nname = \"x\"\nversion = \n",
    )
    .unwrap_err();
    assert_eq!(err.line, 5, "{err}");
    let err = palisade_pkg::parse(CargoLock, "Cargo.lock", b"[[package]]\nname = 5\n").unwrap_err();
    assert_eq!(err.line, 2, "{err}");
}

#[test]
fn cargo_lock_entry_without_version_is_a_warning() {
    let text = b"[[package]]\nname = \"a\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
    let lock = palisade_pkg::parse(CargoLock, "Cargo.lock", text).unwrap();
    assert!(lock.packages.is_empty());
    assert_warnings(&lock, &[(1, "without name or version")]);
}
