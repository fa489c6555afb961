//! Import of the real advisories in `shared/vulndata/osv` and matching against them.

use std::path::PathBuf;
use std::sync::OnceLock;

use palisade_core::{Ecosystem, Severity};
use palisade_vuln::db::IssueKind;
use palisade_vuln::{Database, ImportReport, PackageQuery, SeveritySource, VulnMatch};

fn vulndata() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vulndata");
    assert!(
        dir.join("osv").is_dir(),
        "test data missing: {} (the repository's sibling `shared/` checkout is required)",
        dir.display()
    );
    dir
}

fn db() -> &'static (Database, ImportReport) {
    static DB: OnceLock<(Database, ImportReport)> = OnceLock::new();
    DB.get_or_init(|| {
        Database::import(&[vulndata().join("osv")]).expect("import of shared/vulndata/osv")
    })
}

fn query(eco: &str, name: &str, version: &str) -> Vec<VulnMatch> {
    let eco: Ecosystem = eco.parse().unwrap();
    db().0
        .matches(&PackageQuery::new(eco, name, version))
        .unwrap()
}

fn find<'a>(matches: &'a [VulnMatch], id: &str) -> Option<&'a VulnMatch> {
    matches
        .iter()
        .find(|m| m.id == id || m.aliases.iter().any(|a| a == id))
}

#[test]
#[allow(clippy::print_stderr)]
fn whole_tree_imports_with_sane_counts() {
    let (db, report) = db();
    let h = db.header();
    eprintln!(
        "records {} vulnerabilities {} packages {} withdrawn {} invalid {} warnings {} size {}",
        h.records,
        h.vulnerabilities,
        h.packages,
        report.withdrawn(),
        report.invalid(),
        report
            .issues
            .iter()
            .filter(|i| i.kind == IssueKind::Warning)
            .count(),
        db.size()
    );
    for (eco, n) in &h.ecosystems {
        eprintln!("  {eco}: {n}");
    }
    assert!(
        h.records > 14_000 && h.records < 15_100,
        "records: {}",
        h.records
    );
    assert!(h.vulnerabilities < h.records, "aliases merged");
    assert_eq!(
        report.withdrawn(),
        40,
        "30 JSON + 10 YAML withdrawn records"
    );
    assert_eq!(
        report.invalid(),
        0,
        "{:#?}",
        report
            .issues
            .iter()
            .filter(|i| i.kind != IssueKind::Warning)
            .collect::<Vec<_>>()
    );
    // 1,206 RustSec files, 13 of them withdrawn.
    assert_eq!(h.ecosystems["crates.io"], 1193);
    assert_eq!(
        h.ecosystems["AlmaLinux:8"] + h.ecosystems["AlmaLinux:9"] + h.ecosystems["AlmaLinux:10"],
        5680
    );
    assert!(h.ecosystems["Go"] > 4000);
    assert!(h.ecosystems["PyPI"] > 2600);
    assert_eq!(h.ecosystems["Debian:12"], 450);
    assert_eq!(h.ecosystems["Debian:11"], 695);
    assert_eq!(h.ecosystems["kubernetes"], 47);
    // The Kubernetes feed's lower-case ecosystem is a schema warning, not a rejection.
    assert!(
        report
            .issues
            .iter()
            .any(|i| i.kind == IssueKind::Warning && i.message.contains("`kubernetes`"))
    );
}

#[test]
fn rustsec_advisory_matches_vulnerable_versions_only() {
    let hits = query("crates.io", "openssl", "0.8.3");
    let m = find(&hits, "RUSTSEC-2016-0001").expect("RUSTSEC-2016-0001 for openssl 0.8.3");
    assert_eq!(m.id, "RUSTSEC-2016-0001");
    assert!(m.aliases.contains(&"CVE-2016-10931".to_string()));
    assert!(m.aliases.contains(&"GHSA-34p9-f4q3-c4r7".to_string()));
    assert_eq!(m.fixed_versions, vec!["0.9.0"]);
    assert_eq!(m.severity_source, SeveritySource::CvssV3);
    assert_eq!(
        m.severity,
        Severity::High,
        "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H is 8.1"
    );
    assert_eq!(m.package.purl, "pkg:cargo/openssl@0.8.3");
    assert!(find(&query("crates.io", "openssl", "0.9.0"), "RUSTSEC-2016-0001").is_none());
    // crates.io names are looked up case- and `_`/`-`-insensitively.
    assert!(find(&query("crates.io", "OpenSSL", "0.8.3"), "RUSTSEC-2016-0001").is_some());
}

#[test]
fn go_pseudo_version_fix() {
    // GO-2022-0965: k8s.io/apimachinery fixed in the pseudo-version v0.0.0-20190927203648-9ce6eca90e73.
    let before = query(
        "Go",
        "k8s.io/apimachinery",
        "v0.0.0-20190101000000-aaaaaaaaaaaa",
    );
    let m = find(&before, "GO-2022-0965").expect("older pseudo-version is affected");
    assert_eq!(m.fixed_versions, vec!["0.0.0-20190927203648-9ce6eca90e73"]);
    assert!(
        find(
            &query(
                "Go",
                "k8s.io/apimachinery",
                "v0.0.0-20190927203648-9ce6eca90e73"
            ),
            "GO-2022-0965"
        )
        .is_none()
    );
    assert!(
        find(
            &query("Go", "k8s.io/apimachinery", "v0.15.0"),
            "GO-2022-0965"
        )
        .is_none(),
        "a release sorts after every v0.0.0 pseudo-version"
    );
    // Go module paths are case-sensitive.
    assert!(
        find(
            &query(
                "Go",
                "K8s.io/apimachinery",
                "v0.0.0-20190101000000-aaaaaaaaaaaa"
            ),
            "GO-2022-0965"
        )
        .is_none()
    );
}

#[test]
fn pypa_yaml_record_with_git_and_ecosystem_ranges() {
    // PYSEC-2021-335: accesscontrol, ECOSYSTEM 4.0–4.3 and 5.0–5.2 plus a GIT range.
    for (version, fix) in [
        ("4.2", Some("4.3")),
        ("5.1", Some("5.2")),
        ("4.0", Some("4.3")),
    ] {
        let hits = query("PyPI", "AccessControl", version);
        let m = find(&hits, "PYSEC-2021-335").unwrap_or_else(|| panic!("accesscontrol {version}"));
        assert_eq!(m.fixed_versions.first().map(String::as_str), fix);
        assert!(m.aliases.contains(&"CVE-2021-32807".to_string()));
    }
    for version in ["4.3", "5.2", "3.9", "6.0"] {
        assert!(
            find(&query("PyPI", "accesscontrol", version), "PYSEC-2021-335").is_none(),
            "{version}"
        );
    }
}

#[test]
fn pypa_last_affected() {
    // PYSEC-2022-42969: py, introduced 0, last_affected 1.11.0.
    assert!(find(&query("PyPI", "py", "1.11.0"), "PYSEC-2022-42969").is_some());
    let m = query("PyPI", "py", "1.10.0");
    assert!(
        find(&m, "PYSEC-2022-42969")
            .unwrap()
            .fixed_versions
            .is_empty(),
        "no fix exists"
    );
    assert!(find(&query("PyPI", "py", "1.11.1"), "PYSEC-2022-42969").is_none());
}

#[test]
fn almalinux_rpm_advisory() {
    // ALSA-2024:0310, openssl fixed in 1:3.0.7-25.el9_3, rated Moderate in its summary.
    let hits = query("AlmaLinux:9", "openssl", "1:3.0.7-24.el9");
    let m = find(&hits, "ALSA-2024:0310").expect("openssl 1:3.0.7-24.el9 is affected");
    assert_eq!(m.fixed_versions, vec!["1:3.0.7-25.el9_3"]);
    assert_eq!(
        (m.severity, m.severity_source),
        (Severity::Medium, SeveritySource::Database)
    );
    assert_eq!(
        m.package.purl,
        "pkg:rpm/almalinux/openssl@1%3A3.0.7-24.el9?distro=almalinux-9"
    );
    for fixed in ["1:3.0.7-25.el9_3", "1:3.0.7-27.el9", "1:3.1.0-1.el9"] {
        assert!(
            find(&query("AlmaLinux:9", "openssl", fixed), "ALSA-2024:0310").is_none(),
            "{fixed}"
        );
    }
    // The release scopes advisories: AlmaLinux 8 has its own.
    assert!(
        find(
            &query("AlmaLinux:8", "openssl", "1:3.0.7-24.el9"),
            "ALSA-2024:0310"
        )
        .is_none()
    );
}

#[test]
fn debian_source_package_advisory_and_alias_merging() {
    // DEBIAN-CVE-2022-0778 (Debian:11 openssl, fixed 1.1.1k-1+deb11u2) and RUSTSEC-2022-0014
    // (openssl-src) share CVE-2022-0778: one vulnerability, all IDs reported.
    let hits = query("Debian:11", "openssl", "1.1.1k-1+deb11u1");
    let m = find(&hits, "DEBIAN-CVE-2022-0778").expect("openssl 1.1.1k-1+deb11u1 is affected");
    assert_eq!(
        m.id, "DEBIAN-CVE-2022-0778",
        "the matched record's own ID is preferred"
    );
    for alias in ["CVE-2022-0778", "RUSTSEC-2022-0014", "GHSA-x3mh-jvjw-3xwx"] {
        assert!(
            m.aliases.contains(&alias.to_string()),
            "{alias} in {:?}",
            m.aliases
        );
    }
    assert_eq!(m.record_ids, vec!["DEBIAN-CVE-2022-0778"]);
    assert_eq!(
        hits.iter()
            .filter(|x| x.aliases.contains(&"CVE-2022-0778".to_string()))
            .count(),
        1,
        "reported once"
    );
    assert!(
        find(
            &query("Debian:11", "openssl", "1.1.1k-1+deb11u2"),
            "DEBIAN-CVE-2022-0778"
        )
        .is_none()
    );
    // The same CVE from the Rust side names the other record first.
    let rust = query("crates.io", "openssl-src", "111.17.0+1.1.1m");
    let m = find(&rust, "CVE-2022-0778").expect("openssl-src 111.17.0 is affected");
    assert_eq!(m.id, "RUSTSEC-2022-0014");
    assert!(m.aliases.contains(&"DEBIAN-CVE-2022-0778".to_string()));
}

#[test]
fn debian_records_of_both_releases_are_kept() {
    // The derived Debian data uses one ID per CVE for both releases; each release keeps its range.
    // DEBIAN-CVE-2002-0399: tar fixed 1.13.25-4 in Debian 12 (and in Debian 11, where it exists).
    assert!(
        find(
            &query("Debian:12", "tar", "1.13.25-3"),
            "DEBIAN-CVE-2002-0399"
        )
        .is_some()
    );
    assert!(
        find(
            &query("Debian:12", "tar", "1.34+dfsg-1.2+deb12u1"),
            "DEBIAN-CVE-2002-0399"
        )
        .is_none()
    );
    assert!(db().1.duplicates > 0);
}

#[test]
fn withdrawn_records_are_not_matched() {
    // PYSEC-2023-73 (redis) is withdrawn.
    let (db, _) = db();
    for version in ["4.5.2", "4.0.0", "3.0.0"] {
        let hits = db
            .matches(&PackageQuery::new(Ecosystem::PyPI, "redis", version))
            .unwrap();
        assert!(find(&hits, "PYSEC-2023-73").is_none());
    }
}

#[test]
fn kubernetes_feed_with_unsorted_events() {
    // CVE-2020-8551: kubelet, events listed 1.17 range first, then 1.16, then 1.15.
    let hits = query("kubernetes", "k8s.io/kubelet", "1.16.3");
    let m = find(&hits, "CVE-2020-8551").expect("kubelet 1.16.3 is affected");
    assert_eq!(m.fixed_versions, vec!["1.16.7"]);
    assert!(
        find(
            &query("kubernetes", "k8s.io/kubelet", "1.16.7"),
            "CVE-2020-8551"
        )
        .is_none()
    );
}
