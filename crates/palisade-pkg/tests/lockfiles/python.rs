use palisade_pkg::LockFileKind::{PipfileLock, PoetryLock, Requirements, UvLock};
use palisade_pkg::Scope::{Dev, Optional, Runtime, Test, Unknown};

use crate::{assert_rows, assert_warnings, load, purls};

#[test]
fn requirements_pins_continuations_markers_and_includes() {
    let lock = load(Requirements, "python/requirements.txt");
    assert_rows(
        &lock,
        &[
            ("Django", "2.2.0", 5, Unknown, None, true),
            ("requests", "2.19.0", 6, Unknown, None, true),
            ("celery", "4.3.0", 9, Unknown, None, true),
            ("Jinja2", ">= 2.10, < 3", 10, Unknown, None, false),
            ("urllib3", "==1.24.*", 11, Unknown, None, false),
            ("PyYAML", "5.1", 12, Unknown, None, true),
            (
                "pip",
                "https://example.invalid/pip-19.0.zip",
                14,
                Unknown,
                None,
                false,
            ),
            ("pyjwt", "1.5.0", 16, Unknown, None, true),
            ("Flask", "", 17, Unknown, None, false),
        ],
    );
    assert_eq!(
        purls(&lock),
        [
            "pkg:pypi/django@2.2.0",
            "pkg:pypi/requests@2.19.0",
            "pkg:pypi/celery@4.3.0",
            "pkg:pypi/jinja2",
            "pkg:pypi/urllib3",
            "pkg:pypi/pyyaml@5.1",
            "pkg:pypi/pip",
            "pkg:pypi/pyjwt@1.5.0",
            "pkg:pypi/flask",
        ]
    );
    assert_eq!(lock.packages[7].location.column, 3);
    assert_warnings(
        &lock,
        &[
            (2, "base.txt"),
            (13, "editable"),
            (15, "not a `name==version` requirement"),
            (18, "constraints.txt"),
        ],
    );
}

#[test]
fn requirements_continuation_at_end_of_file_and_crlf() {
    let lock = palisade_pkg::parse(Requirements, "r.txt", b"a==1.0\r\nb==2.0 \\").unwrap();
    let got: Vec<_> = lock
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.location.line))
        .collect();
    assert_eq!(got, [("a", "1.0", 1), ("b", "2.0", 2)]);
}

#[test]
fn pipfile_lock_default_and_develop() {
    let lock = load(PipfileLock, "python/pipenv/Pipfile.lock");
    assert_rows(
        &lock,
        &[
            ("django", "2.2.0", 19, Runtime, None, true),
            ("requests", "2.19.0", 30, Runtime, None, true),
            ("pytest", "3.6.0", 40, Dev, None, true),
            ("py", "1.5.3", 43, Dev, None, true),
        ],
    );
    assert_eq!(lock.packages[0].location.column, 9);
    assert_eq!(purls(&lock)[0], "pkg:pypi/django@2.2.0");
    assert_warnings(&lock, &[(34, "no version")]);
}

#[test]
fn poetry_lock_categories() {
    let lock = load(PoetryLock, "python/poetry-old/poetry.lock");
    assert_rows(
        &lock,
        &[
            ("django", "2.2.0", 2, Runtime, None, true),
            ("pytest", "3.6.0", 14, Dev, None, true),
            ("pytz", "2019.1", 22, Runtime, None, true),
            ("PyYAML", "5.1", 30, Optional, None, true),
        ],
    );
    assert_eq!(purls(&lock)[3], "pkg:pypi/pyyaml@5.1");
}

#[test]
fn poetry_lock_groups_and_local_sources() {
    let lock = load(PoetryLock, "python/poetry/poetry.lock");
    assert_rows(
        &lock,
        &[
            ("coverage", "4.5.1", 4, Test, None, true),
            ("mkdocs", "1.0.4", 29, Dev, None, true),
            ("requests", "2.19.0", 38, Runtime, None, true),
            ("urllib3", "1.24.1", 47, Runtime, None, true),
        ],
    );
}

#[test]
fn uv_lock_declared_groups_and_local_projects() {
    let lock = load(UvLock, "python/uv/uv.lock");
    assert_rows(
        &lock,
        &[
            ("django", "2.2.0", 6, Runtime, Some(true), true),
            ("pytest", "3.6.0", 37, Test, Some(true), true),
            ("pytz", "2019.1", 42, Unknown, Some(false), true),
            ("pyyaml", "5.1", 47, Optional, Some(true), true),
            ("requests", "2.19.0", 52, Runtime, Some(true), true),
            ("ruff", "0.0.100", 57, Dev, Some(true), true),
        ],
    );
}

#[test]
fn python_toml_and_json_errors_are_located() {
    let err = palisade_pkg::parse(
        PoetryLock,
        "poetry.lock",
        b"[[package]]\nname = \"a\"\nversion = 2.0.0\n",
    )
    .unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    let err = palisade_pkg::parse(UvLock, "uv.lock", b"version = 1\n[[package]\n").unwrap_err();
    assert_eq!(err.line, 2, "{err}");
    let err = palisade_pkg::parse(
        PipfileLock,
        "Pipfile.lock",
        b"{\"default\": {\"a\": {\"version\": \"==1\"}}",
    )
    .unwrap_err();
    assert_eq!(err.line, 1, "{err}");
}
