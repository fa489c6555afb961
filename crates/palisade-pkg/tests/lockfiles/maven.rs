use palisade_pkg::LockFileKind::MavenPom;
use palisade_pkg::Scope::{Optional, Runtime, Test, Unknown};

use crate::{assert_rows, assert_warnings, load, purls};

#[test]
fn pom_properties_management_scopes_and_unresolved_versions() {
    let lock = load(MavenPom, "maven/pom.xml");
    assert_rows(
        &lock,
        &[
            (
                "org.apache.logging.log4j:log4j-core",
                "2.14.1",
                47,
                Runtime,
                Some(true),
                true,
            ),
            // A property that refers to another property.
            (
                "com.fasterxml.jackson.core:jackson-databind",
                "2.9.8",
                52,
                Runtime,
                Some(true),
                true,
            ),
            // CDATA property value; <optional>true</optional>.
            (
                "org.springframework:spring-web",
                "5.2.0.RELEASE",
                57,
                Optional,
                Some(true),
                true,
            ),
            // Version from <dependencyManagement>.
            (
                "com.google.guava:guava",
                "24.1.1-jre",
                63,
                Runtime,
                Some(true),
                true,
            ),
            // Version and scope from <dependencyManagement>.
            ("org.yaml:snakeyaml", "1.23", 67, Test, Some(true), true),
            // ${project.groupId} and ${project.version} fall back to <parent>.
            (
                "com.example:orders-api",
                "3.1.0",
                71,
                Runtime,
                Some(true),
                true,
            ),
            ("junit:junit", "4.12", 76, Test, Some(true), true),
            (
                "javax.servlet:javax.servlet-api",
                "3.0.1",
                82,
                Unknown,
                Some(true),
                true,
            ),
            (
                "com.example:unresolved",
                "${missing.version}",
                88,
                Runtime,
                Some(true),
                false,
            ),
            (
                "org.example:ranged",
                "[1.0,2.0)",
                93,
                Runtime,
                Some(true),
                false,
            ),
        ],
    );
    assert_eq!(
        purls(&lock)[0],
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    );
    assert_eq!(purls(&lock)[8], "pkg:maven/com.example/unresolved");
    assert_eq!(lock.packages[0].location.column, 7);
    assert_warnings(&lock, &[(96, "without groupId or artifactId")]);
}

#[test]
fn pom_errors_are_located() {
    let err = palisade_pkg::parse(
        MavenPom,
        "pom.xml",
        b"<project>\n  <dependencies>\n  </dependency>\n</project>\n",
    )
    .unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    let err = palisade_pkg::parse(MavenPom, "pom.xml", b"<settings/>\n").unwrap_err();
    assert!(err.message.contains("not a Maven POM"), "{err}");
    let err =
        palisade_pkg::parse(MavenPom, "pom.xml", b"<project>\n  <dependencies>\n").unwrap_err();
    assert!(err.message.contains("not closed"), "{err}");
}

#[test]
fn pom_property_cycles_terminate() {
    let text = b"<project><properties><a>${b}</a><b>${a}</b></properties><dependencies><dependency>\
<groupId>g</groupId><artifactId>x</artifactId><version>${a}</version></dependency></dependencies></project>";
    let lock = palisade_pkg::parse(MavenPom, "pom.xml", text).unwrap();
    assert!(!lock.packages[0].pinned);
    assert!(lock.packages[0].version.contains("${"));
}

#[test]
fn pom_property_expansion_is_bounded() {
    let big = "x".repeat(3000);
    let text = format!(
        "<project><properties><p>{big}</p><q>${{p}}${{p}}</q></properties><dependencies><dependency>\
<groupId>g</groupId><artifactId>x</artifactId><version>${{q}}</version></dependency></dependencies></project>"
    );
    let lock = palisade_pkg::parse(MavenPom, "pom.xml", text.as_bytes()).unwrap();
    assert_eq!(lock.packages[0].version, "${q}");
    assert!(!lock.packages[0].pinned);
}
