use palisade_pkg::LockFileKind::PnpmLock;
use palisade_pkg::Scope::{Dev, Optional, Runtime, Unknown};

use crate::{assert_rows, assert_warnings, load, purls};

#[test]
fn pnpm_v5_slash_keys_with_peer_suffixes() {
    let lock = load(PnpmLock, "pnpm/v5/pnpm-lock.yaml");
    assert_rows(
        &lock,
        &[
            ("@babel/core", "7.12.3", 19, Runtime, Some(true), true),
            ("debug", "4.3.1", 26, Runtime, Some(false), true),
            ("fsevents", "2.1.2", 33, Optional, Some(false), true),
            ("lodash", "4.17.15", 39, Runtime, Some(true), true),
            ("react-dom", "17.0.2", 43, Runtime, Some(true), true),
            // No dev flag written: the format does not say.
            ("supports-color", "5.5.0", 49, Unknown, Some(false), true),
            ("typescript", "4.0.5", 52, Dev, Some(true), true),
        ],
    );
    assert_eq!(purls(&lock)[0], "pkg:npm/%40babel/core@7.12.3");
    assert_eq!(lock.packages[0].location.column, 3);
    assert_warnings(&lock, &[]);
}

#[test]
fn pnpm_v6_at_keys_peer_variants_aliases_and_tarballs() {
    let lock = load(PnpmLock, "pnpm/v6/pnpm-lock.yaml");
    assert_rows(
        &lock,
        &[
            ("lodash", "4.17.15", 25, Runtime, Some(true), true),
            ("minimist", "1.2.0", 29, Dev, Some(true), true),
            // Two peer variants (lines 33 and 42) are one package.
            ("react-dom", "18.2.0", 33, Runtime, Some(true), true),
            // Declared through the alias string-width-cjs.
            ("string-width", "4.2.0", 46, Runtime, Some(true), true),
            ("tarball-dep", "0.3.1", 50, Runtime, Some(false), true),
        ],
    );
}

#[test]
fn pnpm_v9_importers_packages_and_snapshots() {
    let lock = load(PnpmLock, "pnpm/v9/pnpm-lock.yaml");
    assert_rows(
        &lock,
        &[
            ("@babel/code-frame", "7.8.3", 33, Runtime, Some(true), true),
            ("@babel/highlight", "7.9.0", 36, Unknown, Some(false), true),
            ("lodash", "4.17.15", 39, Runtime, Some(true), true),
            ("minimist", "1.2.0", 42, Dev, Some(true), true),
            ("react-dom", "18.2.0", 45, Runtime, Some(true), true),
            ("react", "18.2.0", 50, Unknown, Some(false), true),
        ],
    );
    assert_eq!(purls(&lock)[4], "pkg:npm/react-dom@18.2.0");
}

#[test]
fn pnpm_bad_keys_warn_and_bad_yaml_errors() {
    let text = b"lockfileVersion: '9.0'\npackages:\n  nonsense:\n    resolution: {integrity: x}\n";
    let lock = palisade_pkg::parse(PnpmLock, "pnpm-lock.yaml", text).unwrap();
    assert!(lock.packages.is_empty());
    assert_warnings(&lock, &[(3, "cannot read name and version")]);
    let err = palisade_pkg::parse(
        PnpmLock,
        "pnpm-lock.yaml",
        b"packages:\n  a@1.0.0: {x: [}\n",
    )
    .unwrap_err();
    assert_eq!(err.line, 2, "{err}");
    let err = palisade_pkg::parse(PnpmLock, "pnpm-lock.yaml", b"- just\n- a list\n").unwrap_err();
    assert_eq!((err.line, err.column), (1, 1), "{err}");
}
