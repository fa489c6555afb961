use palisade_pkg::LockFileKind::{GradleLockfile, NugetLock};
use palisade_pkg::Scope::{Runtime, Test, Unknown};

use crate::{assert_rows, assert_warnings, load, purls};

#[test]
fn nuget_lock_direct_transitive_and_frameworks() {
    let lock = load(NugetLock, "nuget/packages.lock.json");
    assert_rows(
        &lock,
        &[
            // Locked again for net6.0/linux-x64 on line 29: reported once.
            ("Newtonsoft.Json", "12.0.1", 5, Unknown, Some(true), true),
            (
                "System.Text.Encodings.Web",
                "4.5.0",
                11,
                Unknown,
                Some(false),
                true,
            ),
            (
                "Microsoft.Extensions.Logging",
                "2.1.0",
                22,
                Unknown,
                Some(false),
                true,
            ),
            (
                "runtime.native.System",
                "4.3.0",
                34,
                Unknown,
                Some(false),
                true,
            ),
        ],
    );
    assert_eq!(purls(&lock)[0], "pkg:nuget/Newtonsoft.Json@12.0.1");
    assert_eq!(lock.packages[0].location.column, 7);
    assert_warnings(&lock, &[]);
}

#[test]
fn gradle_lockfile_configurations_to_scopes() {
    let lock = load(GradleLockfile, "gradle/gradle.lockfile");
    assert_rows(
        &lock,
        &[
            (
                "com.fasterxml.jackson.core:jackson-databind",
                "2.9.8",
                4,
                Runtime,
                None,
                true,
            ),
            ("junit:junit", "4.12", 5, Test, None, true),
            (
                "org.apache.logging.log4j:log4j-core",
                "2.14.1",
                6,
                Runtime,
                None,
                true,
            ),
            ("org.projectlombok:lombok", "1.18.4", 7, Unknown, None, true),
        ],
    );
    assert_eq!(
        purls(&lock),
        [
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8",
            "pkg:maven/junit/junit@4.12",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            "pkg:maven/org.projectlombok/lombok@1.18.4",
        ]
    );
    assert_warnings(&lock, &[(8, "group:artifact:version")]);
}
