//! Database behaviour on small, hand-written records: import accounting, evaluation edge cases,
//! alias merging, findings, enrichment, the file format and its failure modes.

use std::io::Write;
use std::path::{Path, PathBuf};

use palisade_core::{Ecosystem, Severity};
use palisade_vuln::osv::OsvRecord;
use palisade_vuln::{Database, DbError, Epss, Kev, PackageQuery, SeveritySource, enrich};

fn record(json: &str) -> OsvRecord {
    serde_json::from_str(json).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn vulndata() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vulndata");
    assert!(
        dir.is_dir(),
        "test data missing: {} (sibling `shared/` checkout required)",
        dir.display()
    );
    dir
}

const GHSA: &str = r#"{
  "id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-05-01T00:00:00Z", "aliases": ["CVE-2024-0001"],
  "summary": "Template injection in demo-lib",
  "affected": [{"package": {"ecosystem": "PyPI", "name": "Demo_Lib"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"fixed": "1.2.1"}]}]}],
  "references": [{"type": "ADVISORY", "url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc"}],
  "database_specific": {"severity": "HIGH"}
}"#;

const PYSEC: &str = r#"{
  "id": "PYSEC-2024-1", "modified": "2024-05-02T00:00:00Z", "aliases": ["CVE-2024-0001"],
  "details": "A template injection.\nMore text.",
  "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-lib"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]}],
  "references": [{"type": "WEB", "url": "https://example.invalid/pysec"}]
}"#;

#[test]
fn import_counts_invalid_unparseable_and_withdrawn() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good/GHSA.json", GHSA);
    write(dir.path(), "good/PYSEC.yaml", &serde_yaml_ng_like(PYSEC));
    write(dir.path(), "bad/broken.json", "{\"id\": \"X-1\", ");
    write(
        dir.path(),
        "bad/no-id.json",
        r#"{"modified": "2024-01-01T00:00:00Z"}"#,
    );
    write(
        dir.path(),
        "bad/two-kinds.json",
        r#"{"id": "OSV-2024-9", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm", "name": "x"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1.0.0"}]}]}]}"#,
    );
    write(
        dir.path(),
        "old/withdrawn.json",
        r#"{"id": "OSV-2024-8", "modified": "2024-01-01T00:00:00Z", "withdrawn": "2024-02-01T00:00:00Z"}"#,
    );
    write(dir.path(), "README.md", "# not a record");
    let (db, report) = Database::import(&[dir.path()]).unwrap();
    let source = &report.sources[0];
    assert_eq!(source.files, 6, "README.md is not read");
    assert_eq!(source.records, 2);
    assert_eq!(source.unparseable, 2);
    assert_eq!(source.invalid, 1);
    assert_eq!(source.withdrawn, 1);
    assert_eq!(report.invalid(), 3);
    let two_kinds = report
        .issues
        .iter()
        .find(|i| i.path.ends_with("two-kinds.json"))
        .unwrap();
    assert!(
        two_kinds.message.contains("exactly one of"),
        "{}",
        two_kinds.message
    );
    let no_id = report
        .issues
        .iter()
        .find(|i| i.path.ends_with("no-id.json"))
        .unwrap();
    assert!(
        no_id.message.contains("missing field `id`"),
        "{}",
        no_id.message
    );
    assert_eq!(db.header().records, 2);
    assert_eq!(
        db.header().vulnerabilities,
        1,
        "both records alias CVE-2024-0001"
    );
}

/// The PYSEC record as YAML (the PyPA database's format).
fn serde_yaml_ng_like(json: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    serde_yaml_ng::to_string(&value).unwrap()
}

#[test]
fn aliased_records_are_one_vulnerability() {
    let (db, _) = Database::build(vec![record(GHSA), record(PYSEC)]);
    let hits = db
        .matches(&PackageQuery::new(Ecosystem::PyPI, "demo.lib", "1.1"))
        .unwrap();
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let m = &hits[0];
    assert_eq!(m.id, "GHSA-aaaa-bbbb-cccc");
    assert_eq!(m.aliases, vec!["CVE-2024-0001", "PYSEC-2024-1"]);
    assert_eq!(m.record_ids, vec!["GHSA-aaaa-bbbb-cccc", "PYSEC-2024-1"]);
    assert_eq!(
        m.fixed_versions,
        vec!["1.2.0", "1.2.1"],
        "both fixes, in version order"
    );
    assert_eq!(
        (m.severity, m.severity_source),
        (Severity::High, SeveritySource::Database)
    );
    assert_eq!(m.references.len(), 2);
    // Only PYSEC affects 0.9; its summary comes from the first line of its details.
    let hits = db
        .matches(&PackageQuery::new(Ecosystem::PyPI, "demo-lib", "0.9"))
        .unwrap();
    assert_eq!(hits[0].id, "PYSEC-2024-1");
    assert_eq!(hits[0].summary, "A template injection.");
    assert_eq!(
        db.details(&hits[0]).unwrap(),
        "A template injection.\nMore text."
    );
    assert_eq!(
        hits[0].severity,
        Severity::High,
        "severity borrowed from the GHSA record of the same CVE"
    );
    assert!(
        db.matches(&PackageQuery::new(Ecosystem::PyPI, "demo-lib", "1.2.1"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn match_becomes_finding() {
    let (db, _) = Database::build(vec![record(GHSA)]);
    let m = db
        .matches(&PackageQuery::new(Ecosystem::PyPI, "demo-lib", "1.0"))
        .unwrap()
        .remove(0);
    let f = m.to_finding();
    assert_eq!(f.id, "GHSA-aaaa-bbbb-cccc");
    assert_eq!(f.aliases, vec!["CVE-2024-0001"]);
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.remediation, "upgrade demo-lib to ≥ 1.2.1");
    assert_eq!(f.fixed_versions, vec!["1.2.1"]);
    assert_eq!(f.title, "Template injection in demo-lib");
    assert!(
        f.message
            .contains("demo-lib@1.0 is affected by GHSA-aaaa-bbbb-cccc"),
        "{}",
        f.message
    );
    let pkg = f.package.unwrap();
    assert_eq!(pkg.purl, "pkg:pypi/demo-lib@1.0");
    assert_eq!(
        f.references.urls,
        vec!["https://github.com/advisories/GHSA-aaaa-bbbb-cccc"]
    );
    assert!(f.evidence.unwrap().contains(">= 1.0, < 1.2.1"));
}

#[test]
fn git_only_ranges_fall_back_to_the_versions_list() {
    let r = record(
        r#"{"id": "OSV-2024-1", "modified": "2024-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "gitpkg"},
          "ranges": [{"type": "GIT", "repo": "https://example.invalid/r.git",
                      "events": [{"introduced": "0"}, {"fixed": "0123456789abcdef0123456789abcdef01234567"}]}],
          "versions": ["1.0", "1.1"]}]}"#,
    );
    let (db, _) = Database::build(vec![r]);
    let q = |v: &str| {
        db.query(&PackageQuery::new(Ecosystem::PyPI, "gitpkg", v))
            .unwrap()
    };
    assert_eq!(q("1.1").matches.len(), 1);
    assert_eq!(
        q("1.1.0").matches.len(),
        1,
        "listed versions compare by the scheme too"
    );
    let none = q("1.2");
    assert!(none.matches.is_empty() && none.unevaluated.is_empty());
}

#[test]
fn limit_events_and_unknown_ecosystems() {
    let limited = record(
        r#"{"id": "GO-2024-0001", "modified": "2024-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "Go", "name": "example.com/m"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"limit": "1.5.0"}]}]}]}"#,
    );
    let unknown = record(
        r#"{"id": "OSV-2024-2", "modified": "2024-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "Julia", "name": "Foo"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]}"#,
    );
    let (db, _) = Database::build(vec![limited, unknown]);
    let go = |v: &str| {
        db.matches(&PackageQuery::new(Ecosystem::Go, "example.com/m", v))
            .unwrap()
    };
    assert_eq!(go("v1.4.0").len(), 1);
    assert!(go("v1.5.0").is_empty());
    let result = db
        .query(&PackageQuery::new("Julia".parse().unwrap(), "Foo", "1.0"))
        .unwrap();
    assert!(result.matches.is_empty());
    assert_eq!(result.unevaluated.len(), 1);
    assert!(
        result.unevaluated[0].reason.contains("no version ordering"),
        "{:?}",
        result.unevaluated
    );
}

#[test]
fn distro_release_scoping() {
    let r = record(
        r#"{"id": "DSA-0001-1", "modified": "2024-01-01T00:00:00Z",
        "affected": [
          {"package": {"ecosystem": "Debian:12", "name": "openssl"},
           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}]}]},
          {"package": {"ecosystem": "Debian:11", "name": "openssl"},
           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.1.1w-0+deb11u1"}]}]}]}"#,
    );
    let (db, _) = Database::build(vec![r]);
    let q = |eco: &str, v: &str| {
        db.matches(&PackageQuery::new(eco.parse().unwrap(), "openssl", v))
            .unwrap()
    };
    assert_eq!(
        q("Debian:12", "3.0.11-1~deb12u1")[0].fixed_versions,
        vec!["3.0.11-1~deb12u2"]
    );
    assert!(q("Debian:12", "3.0.11-1~deb12u2").is_empty());
    assert_eq!(q("Debian:11", "1.1.1w-0+deb11u1").len(), 0);
    assert_eq!(q("Debian:11", "1.1.1n-0+deb11u5").len(), 1);
    // Without a release every release's ranges apply.
    assert_eq!(q("Debian", "1.1.1v-0+deb11u1").len(), 1);
}

#[test]
fn written_database_reopens_with_status() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("nested/vuln.db");
    let (mut db, _) = Database::build(vec![record(GHSA), record(PYSEC)]);
    db.write(&dest).unwrap();
    let reopened = Database::open(&dest).unwrap();
    let status = reopened.status();
    assert_eq!(status.path.as_deref(), Some(dest.as_path()));
    assert_eq!(status.records, 2);
    assert_eq!(status.vulnerabilities, 1);
    assert_eq!(status.ecosystems["PyPI"], 2);
    assert_eq!(status.sources[0].location, "memory");
    assert!(status.age_seconds < 3600);
    assert!(status.built_at.ends_with('Z'));
    assert_eq!(status.size_bytes, std::fs::metadata(&dest).unwrap().len());
    assert_eq!(
        reopened
            .matches(&PackageQuery::new(Ecosystem::PyPI, "demo-lib", "1.0"))
            .unwrap()
            .len(),
        1
    );
    let leftovers: Vec<_> = std::fs::read_dir(dest.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
}

#[test]
fn damaged_files_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vuln.db");
    let (mut db, _) = Database::build(vec![record(GHSA)]);
    db.write(&path).unwrap();
    let good = std::fs::read(&path).unwrap();

    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    std::fs::write(&path, &flipped).unwrap();
    let err = Database::open(&path).unwrap_err();
    assert!(matches!(err, DbError::Corrupt(_)), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("checksum mismatch") && text.contains("db update"),
        "{text}"
    );

    std::fs::write(&path, &good[..good.len() - 100]).unwrap();
    assert!(matches!(Database::open(&path), Err(DbError::Corrupt(_))));

    std::fs::write(&path, b"SQLite format 3\0 and more bytes").unwrap();
    assert!(matches!(Database::open(&path), Err(DbError::NotADatabase)));

    let mut future = good.clone();
    future[8] = 99;
    std::fs::write(&path, &future).unwrap();
    let err = Database::open(&path).unwrap_err();
    assert!(
        matches!(
            err,
            DbError::UnsupportedFormat {
                found: 99,
                supported: 1
            }
        ),
        "{err}"
    );

    assert!(matches!(
        Database::open(dir.path().join("missing.db")),
        Err(DbError::Io { .. })
    ));
}

#[test]
fn zip_and_single_file_sources() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("all.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for id in ["RUSTSEC-2016-0001", "RUSTSEC-2022-0014"] {
        zip.start_file(format!("{id}.json"), options).unwrap();
        let text = std::fs::read(vulndata().join(format!("osv/rustsec/crates/{id}.json"))).unwrap();
        zip.write_all(&text).unwrap();
    }
    zip.finish().unwrap();
    let single = vulndata().join("osv/pypa/vulns/accesscontrol/PYSEC-2021-335.yaml");
    let (db, report) = Database::import(&[zip_path.as_path(), single.as_path()]).unwrap();
    assert_eq!(report.sources.len(), 2);
    assert_eq!(report.sources[0].records, 2);
    assert_eq!(report.sources[1].records, 1);
    assert_eq!(db.header().ecosystems["crates.io"], 2);
    assert_eq!(db.header().ecosystems["PyPI"], 1);

    let not_zip = dir.path().join("fake.zip");
    std::fs::write(&not_zip, b"<html>not found</html>").unwrap();
    assert!(matches!(
        Database::import(&[not_zip]),
        Err(DbError::BadArchive(_))
    ));
}

#[test]
fn kev_and_epss_enrichment() {
    let log4shell = record(
        r#"{"id": "GHSA-jfh8-c2jp-5v3q", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2021-44228"],
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
        "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0-beta9"}, {"fixed": "2.15.0"}]}]}]}"#,
    );
    let (db, _) = Database::build(vec![log4shell]);
    let q = PackageQuery::new(
        Ecosystem::Maven,
        "org.apache.logging.log4j:log4j-core",
        "2.14.1",
    );
    let mut hits = db.matches(&q).unwrap();
    assert_eq!(hits[0].severity, Severity::Critical);
    assert_eq!(hits[0].severity_source, SeveritySource::CvssV3);
    assert!((hits[0].cvss.as_ref().unwrap().score - 10.0).abs() < 1e-9);
    let kev = Kev::load(vulndata().join("kev/known_exploited_vulnerabilities.json")).unwrap();
    assert_eq!(kev.len(), 1404);
    let epss = Epss::parse("#model_version:v2025.03.14,score_date:2025-08-25T00:00:00Z\ncve,epss,percentile\nCVE-2021-44228,0.94358,0.99957\n").unwrap();
    enrich(&mut hits, Some(&kev), Some(&epss));
    let kev_entry = hits[0]
        .kev
        .as_ref()
        .expect("Log4Shell is in the KEV catalog");
    assert_eq!(kev_entry.cve_id, "CVE-2021-44228");
    assert!(!kev_entry.date_added.is_empty());
    assert!((hits[0].epss.unwrap().epss - 0.94358).abs() < 1e-12);
    let evidence = hits[0].to_finding().evidence.unwrap();
    assert!(
        evidence.contains("CISA KEV") && evidence.contains("EPSS 0.94358"),
        "{evidence}"
    );
}
