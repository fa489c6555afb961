use palisade_pkg::LockFileKind::ComposerLock;
use palisade_pkg::Scope::{Dev, Runtime};

use crate::{assert_rows, assert_warnings, load, purls};

#[test]
fn composer_lock_packages_and_dev_packages() {
    let lock = load(ComposerLock, "php/composer.lock");
    assert_rows(
        &lock,
        &[
            ("guzzlehttp/guzzle", "6.3.3", 10, Runtime, None, true),
            ("laravel/framework", "v8.0.0", 23, Runtime, None, true),
            // A branch, not a release.
            ("acme/internal", "dev-main", 33, Runtime, None, false),
            ("phpunit/phpunit", "7.5.0", 40, Dev, None, true),
        ],
    );
    assert_eq!(
        purls(&lock),
        [
            "pkg:composer/guzzlehttp/guzzle@6.3.3",
            "pkg:composer/laravel/framework@v8.0.0",
            "pkg:composer/acme/internal",
            "pkg:composer/phpunit/phpunit@7.5.0",
        ]
    );
    assert_eq!(lock.packages[0].location.column, 13);
    assert_warnings(&lock, &[(44, "without name")]);
}
