use palisade_pkg::LockFileKind::GoMod;
use palisade_pkg::Scope::Unknown;

use crate::{assert_rows, assert_warnings, load, purls};

#[test]
fn go_mod_requires_indirect_and_replacements() {
    let lock = load(GoMod, "go/go.mod");
    assert_rows(
        &lock,
        &[
            (
                "github.com/gin-gonic/gin",
                "v1.6.0",
                6,
                Unknown,
                Some(true),
                true,
            ),
            (
                "github.com/gorilla/websocket",
                "v1.4.0",
                7,
                Unknown,
                Some(false),
                true,
            ),
            // `replace golang.org/x/text v0.3.5 => golang.org/x/text v0.3.3`
            ("golang.org/x/text", "v0.3.3", 8, Unknown, Some(true), true),
            // Replaced by a fork for every version.
            (
                "github.com/golang-jwt/jwt",
                "v3.2.1+incompatible",
                9,
                Unknown,
                Some(true),
                true,
            ),
            ("gopkg.in/yaml.v2", "v2.2.2", 11, Unknown, Some(false), true),
            (
                "golang.org/x/crypto",
                "v0.0.0-20200622213623-75b288015ac9",
                14,
                Unknown,
                Some(false),
                true,
            ),
            (
                "github.com/Example/Quoted",
                "v1.0.0",
                16,
                Unknown,
                Some(true),
                true,
            ),
        ],
    );
    assert_eq!(
        purls(&lock),
        [
            "pkg:golang/github.com/gin-gonic/gin@v1.6.0",
            "pkg:golang/github.com/gorilla/websocket@v1.4.0",
            "pkg:golang/golang.org/x/text@v0.3.3",
            "pkg:golang/github.com/golang-jwt/jwt@v3.2.1%2Bincompatible",
            "pkg:golang/gopkg.in/yaml.v2@v2.2.2",
            "pkg:golang/golang.org/x/crypto@v0.0.0-20200622213623-75b288015ac9",
            "pkg:golang/github.com/Example/Quoted@v1.0.0",
        ]
    );
    let columns: Vec<u32> = lock.packages.iter().map(|p| p.location.column).collect();
    assert_eq!(columns, [2, 2, 2, 2, 2, 9, 9]);
    assert_warnings(&lock, &[(10, "replaced by local directory")]);
}

#[test]
fn go_mod_version_specific_replace_leaves_other_versions() {
    let text = b"module m\n\nrequire golang.org/x/text v0.3.7\n\nreplace golang.org/x/text v0.3.5 => golang.org/x/text v0.3.3\n";
    let lock = palisade_pkg::parse(GoMod, "go.mod", text).unwrap();
    assert_eq!(lock.packages[0].version, "v0.3.7");
}

#[test]
fn go_mod_malformed_lines() {
    let err =
        palisade_pkg::parse(GoMod, "go.mod", b"module m\n\nrequire (\n\ta v1.0.0\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 1), "{err}");
    let lock = palisade_pkg::parse(GoMod, "go.mod", b"module m\nrequire a\nreplace b\n").unwrap();
    assert!(lock.packages.is_empty());
    assert_warnings(&lock, &[(2, "malformed require"), (3, "malformed replace")]);
}
