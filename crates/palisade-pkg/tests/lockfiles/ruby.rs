use palisade_pkg::LockFileKind::GemfileLock;
use palisade_pkg::Scope::Unknown;

use crate::{assert_rows, assert_warnings, load, purls};

#[test]
fn gemfile_lock_gem_and_git_specs_with_platforms() {
    let lock = load(GemfileLock, "ruby/Gemfile.lock");
    assert_rows(
        &lock,
        &[
            ("forked-gem", "0.4.0", 5, Unknown, Some(true), true),
            ("actionpack", "5.2.0", 17, Unknown, Some(true), true),
            ("mini_portile2", "2.4.0", 20, Unknown, Some(false), true),
            // The x86_64-linux build on line 23 is the same version.
            ("nokogiri", "1.10.0", 21, Unknown, Some(true), true),
            ("rack", "2.0.6", 24, Unknown, Some(false), true),
            ("rack-test", "1.1.0", 25, Unknown, Some(false), true),
            ("sqlite3", "1.4.1", 27, Unknown, Some(true), true),
        ],
    );
    assert_eq!(purls(&lock)[3], "pkg:gem/nokogiri@1.10.0");
    assert_eq!(
        purls(&lock)[6],
        "pkg:gem/sqlite3@1.4.1?platform=x86_64-darwin"
    );
    assert_eq!(lock.packages[0].location.column, 5);
    assert_warnings(&lock, &[]);
}

#[test]
fn gems_locked_name_and_bad_spec_lines() {
    let text =
        b"GEM\n  remote: https://rubygems.org/\n  specs:\n    rack 2.0.6\n    rake (12.3.2)\n";
    let lock = palisade_pkg::parse(GemfileLock, "gems.locked", text).unwrap();
    assert_eq!(lock.packages.len(), 1);
    assert_eq!(
        (
            lock.packages[0].name.as_str(),
            lock.packages[0].location.line
        ),
        ("rake", 5)
    );
    // No DEPENDENCIES section: directness unknown.
    assert_eq!(lock.packages[0].direct, None);
    assert_warnings(&lock, &[(4, "cannot read gem spec")]);
}
