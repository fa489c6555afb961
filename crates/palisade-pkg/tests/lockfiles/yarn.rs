use palisade_pkg::LockFileKind::YarnLock;
use palisade_pkg::Scope::Unknown;

use crate::{assert_rows, assert_warnings, load, purls};

#[test]
fn yarn_classic_multi_range_keys_aliases_and_local_entries() {
    let lock = load(YarnLock, "yarn/classic/yarn.lock");
    assert_rows(
        &lock,
        &[
            ("@babel/code-frame", "7.8.3", 5, Unknown, None, true),
            ("lodash", "4.17.15", 12, Unknown, None, true),
            ("minimist", "0.0.8", 19, Unknown, None, true),
            ("minimist", "1.2.0", 23, Unknown, None, true),
            ("string-width", "4.2.0", 27, Unknown, None, true),
        ],
    );
    assert_eq!(
        purls(&lock),
        [
            "pkg:npm/%40babel/code-frame@7.8.3",
            "pkg:npm/lodash@4.17.15",
            "pkg:npm/minimist@0.0.8",
            "pkg:npm/minimist@1.2.0",
            "pkg:npm/string-width@4.2.0",
        ]
    );
    assert_warnings(&lock, &[(30, "no version")]);
}

#[test]
fn yarn_berry_resolutions_patches_and_workspaces() {
    let lock = load(YarnLock, "yarn/berry/yarn.lock");
    assert_rows(
        &lock,
        &[
            ("@babel/code-frame", "7.8.3", 8, Unknown, None, true),
            ("lodash", "4.17.15", 17, Unknown, None, true),
            // The patched copy at line 30 is the same package.
            ("resolve", "1.12.0", 24, Unknown, None, true),
            ("string-width", "4.2.0", 36, Unknown, None, true),
        ],
    );
    assert_eq!(purls(&lock)[0], "pkg:npm/%40babel/code-frame@7.8.3");
    assert_warnings(&lock, &[]);
}

#[test]
fn yarn_classic_syntax_error_is_located() {
    let text = b"# yarn lockfile v1\n\nlodash@^4.17.15:\n  version \"4.17.15\"\nnot a header\n";
    let err = palisade_pkg::parse(YarnLock, "yarn.lock", text).unwrap_err();
    assert_eq!((err.line, err.column), (5, 1), "{err}");
}

#[test]
fn yarn_berry_yaml_error_is_located() {
    let text = b"__metadata:\n  version: 6\n\n\"a@npm:1\":\n  version: [1\n";
    let err = palisade_pkg::parse(YarnLock, "yarn.lock", text).unwrap_err();
    assert!(err.line >= 5, "{err}");
}
