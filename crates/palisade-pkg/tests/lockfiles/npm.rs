use palisade_pkg::LockFileKind::NpmPackageLock;
use palisade_pkg::Scope::{Dev, Optional, Runtime};

use crate::{assert_rows, assert_warnings, load, purls};

#[test]
fn package_lock_v3_scopes_direct_aliases_and_workspaces() {
    let lock = load(NpmPackageLock, "npm/package-lock.json");
    assert_rows(
        &lock,
        &[
            ("@babel/code-frame", "7.8.3", 26, Runtime, Some(true), true),
            ("@babel/highlight", "7.9.0", 34, Runtime, Some(false), true),
            ("fsevents", "2.1.2", 39, Optional, Some(true), true),
            // devOptional; declared by the workspace member and hoisted to the root.
            ("kind-of", "6.0.2", 47, Optional, Some(true), true),
            // Also installed under packages/ui (line 86): reported once.
            ("lodash", "4.17.15", 51, Runtime, Some(true), true),
            ("minimist", "1.2.0", 55, Dev, Some(true), true),
            ("mkdirp", "0.5.1", 59, Dev, Some(true), true),
            ("minimist", "0.0.8", 66, Dev, Some(false), true),
            // Installed as string-width-cjs, an alias of string-width.
            ("string-width", "4.2.0", 70, Runtime, Some(true), true),
        ],
    );
    assert_eq!(purls(&lock)[0], "pkg:npm/%40babel/code-frame@7.8.3");
    assert_eq!(purls(&lock)[4], "pkg:npm/lodash@4.17.15");
    assert_eq!(lock.packages[0].location.column, 5);
    assert_warnings(&lock, &[]);
}

#[test]
fn package_lock_v1_nested_tree() {
    let lock = load(NpmPackageLock, "npm/v1/package-lock.json");
    assert_rows(
        &lock,
        &[
            ("@types/node", "12.12.14", 7, Dev, None, true),
            (
                "from-git",
                "github:example/from-git#5a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
                12,
                Runtime,
                None,
                false,
            ),
            ("lodash", "4.17.15", 16, Runtime, None, true),
            ("minimist", "1.2.0", 21, Dev, None, true),
            ("mkdirp", "0.5.1", 25, Dev, None, true),
            ("minimist", "0.0.8", 32, Dev, None, true),
            ("string-width", "4.2.0", 44, Optional, None, true),
        ],
    );
    assert_eq!(purls(&lock)[0], "pkg:npm/%40types/node@12.12.14");
    // An unpinned package's purl has no version.
    assert_eq!(purls(&lock)[1], "pkg:npm/from-git");
    assert_warnings(&lock, &[(41, "no version")]);
}

#[test]
fn package_lock_v2_uses_packages_not_legacy_section() {
    let lock = load(NpmPackageLock, "npm/v2/package-lock.json");
    assert_rows(
        &lock,
        &[("minimist", "1.2.0", 14, Runtime, Some(true), true)],
    );
}

#[test]
fn npm_shrinkwrap_single_line_json() {
    let lock = load(NpmPackageLock, "npm/shrinkwrap/npm-shrinkwrap.json");
    assert_rows(
        &lock,
        &[("minimist", "1.2.0", 2, Runtime, Some(true), true)],
    );
    assert_eq!(lock.packages[0].location.column, 1);
}

#[test]
fn package_lock_errors() {
    let err = palisade_pkg::parse(
        NpmPackageLock,
        "package-lock.json",
        b"{\n  \"packages\": {\n    \"x\": [1,]\n}",
    )
    .unwrap_err();
    assert_eq!((err.line, err.column), (3, 13), "{err}");
    let err = palisade_pkg::parse(NpmPackageLock, "package-lock.json", b"[]").unwrap_err();
    assert_eq!((err.line, err.column), (1, 1));
    let lock = palisade_pkg::parse(
        NpmPackageLock,
        "package-lock.json",
        b"{\"packages\": {\"node_modules/a\": 5}}",
    )
    .unwrap();
    assert!(lock.packages.is_empty());
    assert_warnings(&lock, &[(1, "not an object")]);
}
