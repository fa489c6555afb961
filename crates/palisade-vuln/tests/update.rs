//! `update` against an OSV-layout bucket served from 127.0.0.1: zips built here from
//! `shared/vulndata`, a good download, an interrupted one, a missing one, a non-zip one.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use palisade_test::http::{Reply, Server};

use palisade_core::Ecosystem;
use palisade_vuln::db::{Progress, Stage, UpdateOptions, update_with};
use palisade_vuln::{Database, DbError, PackageQuery};

fn vulndata() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vulndata");
    assert!(
        dir.is_dir(),
        "test data missing: {} (sibling `shared/` checkout required)",
        dir.display()
    );
    dir
}

/// A zip of the first `limit` `.json` files of a directory (sorted by name).
fn zip_of(dir: &Path, limit: usize) -> Vec<u8> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for file in files.into_iter().take(limit) {
        zip.start_file(file.file_name().unwrap().to_string_lossy(), options)
            .unwrap();
        zip.write_all(&std::fs::read(&file).unwrap()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn options() -> UpdateOptions {
    UpdateOptions {
        timeout: Duration::from_secs(30),
    }
}

fn rustsec_zip() -> Vec<u8> {
    zip_of(&vulndata().join("osv/rustsec/crates"), 60)
}

fn go_zip() -> Vec<u8> {
    zip_of(&vulndata().join("osv/go/data/osv"), 80)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn update_downloads_imports_and_replaces() {
    let routes = HashMap::from([
        ("/crates.io/all.zip".to_string(), Reply::Full(rustsec_zip())),
        ("/Go/all.zip".to_string(), Reply::Full(go_zip())),
        (
            "/Rocky%20Linux/all.zip".to_string(),
            Reply::Full(zip_of(&vulndata().join("osv/kubernetes/vulns"), 10)),
        ),
    ]);
    let server = Server::start(routes, 3);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("vuln.db");
    let mut events: Vec<Progress> = Vec::new();
    let (db, report) = update_with(
        &server.base,
        &["crates.io", "Go", "Rocky Linux"],
        &dest,
        &options(),
        &mut |p| events.push(p.clone()),
    )
    .unwrap();
    assert_eq!(
        server.finish(),
        vec![
            "/crates.io/all.zip",
            "/Go/all.zip",
            "/Rocky%20Linux/all.zip"
        ]
    );
    assert_eq!(report.sources.len(), 3);
    assert_eq!(report.invalid(), 0);
    assert!(report.sources[0].location.ends_with("/crates.io/all.zip"));

    let opened = Database::open(&dest).unwrap();
    let status = opened.status();
    assert_eq!(status.records, db.header().records);
    assert!(status.ecosystems["crates.io"] > 40 && status.ecosystems["Go"] > 60);
    assert!(
        status
            .sources
            .iter()
            .any(|s| s.location.ends_with("/Rocky%20Linux/all.zip"))
    );
    let hits = opened
        .matches(&PackageQuery::new(Ecosystem::CratesIo, "openssl", "0.8.3"))
        .unwrap();
    assert!(hits.iter().any(|m| m.id == "RUSTSEC-2016-0001"));

    // Progress: bytes for each download, then the later stages in order.
    let downloaded: Vec<&Progress> = events
        .iter()
        .filter(|p| p.stage == Stage::Downloading)
        .collect();
    assert!(
        downloaded
            .iter()
            .any(|p| p.ecosystem == "Go" && p.total.is_some() && Some(p.downloaded) == p.total)
    );
    let stages: Vec<Stage> = events
        .iter()
        .map(|p| p.stage)
        .filter(|s| *s != Stage::Downloading && *s != Stage::Verifying)
        .collect();
    assert_eq!(stages, vec![Stage::Importing, Stage::Writing, Stage::Done]);
    assert_eq!(
        entries(dir.path()),
        vec!["vuln.db"],
        "no temporary files left"
    );
}

fn existing_db(dir: &Path) -> (PathBuf, Vec<u8>) {
    let dest = dir.join("vuln.db");
    let (mut db, _) = Database::import(&[vulndata().join("osv/kubernetes/vulns")]).unwrap();
    db.write(&dest).unwrap();
    let bytes = std::fs::read(&dest).unwrap();
    (dest, bytes)
}

#[test]
fn interrupted_download_keeps_the_old_database() {
    let dir = tempfile::tempdir().unwrap();
    let (dest, before) = existing_db(dir.path());
    let routes = HashMap::from([
        ("/crates.io/all.zip".to_string(), Reply::Full(rustsec_zip())),
        ("/Go/all.zip".to_string(), Reply::Truncated(go_zip())),
    ]);
    let server = Server::start(routes, 2);
    let err = update_with(
        &server.base,
        &["crates.io", "Go"],
        &dest,
        &options(),
        &mut |_| {},
    )
    .unwrap_err();
    server.finish();
    let text = err.to_string();
    assert!(matches!(err, DbError::Download { .. }), "{text}");
    assert!(text.contains("/Go/all.zip"), "{text}");
    assert_eq!(
        std::fs::read(&dest).unwrap(),
        before,
        "old database untouched"
    );
    let db = Database::open(&dest).unwrap();
    let hits = db
        .matches(&PackageQuery::new(
            "kubernetes".parse().unwrap(),
            "k8s.io/kubelet",
            "1.16.3",
        ))
        .unwrap();
    assert!(
        hits.iter().any(|m| m.id == "CVE-2020-8551"),
        "old database still answers"
    );
    assert_eq!(
        entries(dir.path()),
        vec!["vuln.db"],
        "partial download removed"
    );
}

#[test]
fn missing_archive_and_non_zip_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (dest, before) = existing_db(dir.path());

    let server = Server::start(HashMap::new(), 1);
    let err = update_with(&server.base, &["npm"], &dest, &options(), &mut |_| {}).unwrap_err();
    server.finish();
    assert!(err.to_string().contains("404"), "{err}");

    let routes = HashMap::from([(
        "/npm/all.zip".to_string(),
        Reply::Full(b"<html>maintenance</html>".to_vec()),
    )]);
    let server = Server::start(routes, 1);
    let err = update_with(&server.base, &["npm"], &dest, &options(), &mut |_| {}).unwrap_err();
    server.finish();
    assert!(matches!(err, DbError::BadArchive(_)), "{err}");
    assert!(err.to_string().contains("/npm/all.zip"), "{err}");

    assert_eq!(std::fs::read(&dest).unwrap(), before);
    assert_eq!(entries(dir.path()), vec!["vuln.db"]);
}
