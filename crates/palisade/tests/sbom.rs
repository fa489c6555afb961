//! `palisade sbom`: CycloneDX 1.6 and SPDX 2.3 documents of images and directories, valid
//! against the official schemas, and `palisade sbom scan` matching SBOMs — Palisade's own
//! (same findings as `palisade image`) and other producers' shapes.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::images::{database, images};
use common::{code, json_report, repo_root, stderr, stdout, validate_report};
use palisade_test::schemas::{SbomSchema, validate};
use serde_json::Value;

fn palisade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(repo_root())
        .env_remove("PALISADE_FAIL_ON")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap()
}

fn sbom(args: &[&str]) -> Value {
    let mut all = vec!["sbom"];
    all.extend(args);
    let out = palisade(&all);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn assert_valid(schema: SbomSchema, document: &Value) {
    if let Some(errors) = validate(schema, document) {
        assert!(
            errors.is_empty(),
            "invalid {schema}:\n{}",
            errors.join("\n")
        );
    }
}

/// `(id, package, version, layer index)` of every vulnerability finding.
fn vulnerabilities(report: &Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["package"].is_object())
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["id"], f["package"]["name"], f["package"]["version"], f["layer"]["index"]
            )
        })
        .collect()
}

fn jar(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write as _;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn write_temp(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn image_sboms_are_valid_and_scan_like_the_image() {
    let Some(images) = images() else { return };
    let archive = images.join("app-1.docker.tar");
    let archive = archive.to_str().unwrap();
    let cyclonedx = sbom(&[archive]);
    assert_valid(SbomSchema::CycloneDx16, &cyclonedx);
    let spdx = sbom(&[archive, "--format", "spdx-json"]);
    assert_valid(SbomSchema::Spdx23, &spdx);

    let components = cyclonedx["components"].as_array().unwrap();
    assert_eq!(components[0]["type"], "operating-system");
    assert_eq!(components[0]["name"], "debian");
    let packages = &components[1..];
    assert!(packages.len() > 80, "{}", packages.len());
    assert!(
        packages
            .iter()
            .all(|c| c["purl"].as_str().is_some_and(|p| p.starts_with("pkg:")))
    );
    for name in ["requests", "smallvec", "stdlib", "lodash", "libc6"] {
        assert!(packages.iter().any(|c| c["name"] == name), "{name} missing");
    }
    // SPDX lists the same packages (plus the image and the OS).
    assert_eq!(
        spdx["packages"].as_array().unwrap().len(),
        packages.len() + 2
    );
    // Deterministic with SOURCE_DATE_EPOCH.
    assert_eq!(cyclonedx["metadata"]["timestamp"], "2023-11-14T22:13:20Z");
    assert_eq!(sbom(&[archive]), cyclonedx);

    // Scanning the SBOM finds what scanning the image finds (secrets aside), layers included.
    let dir = tempfile::tempdir().unwrap();
    let db = database().to_str().unwrap();
    let image_report = json_report(&palisade(&[
        "image", "--input", archive, "--db", db, "-f", "json",
    ]));
    let expected = vulnerabilities(&image_report);
    assert!(!expected.is_empty());
    for (name, document) in [("app.cdx.json", &cyclonedx), ("app.spdx.json", &spdx)] {
        let file = write_temp(dir.path(), name, document);
        let out = palisade(&["sbom", "scan", &file, "--db", db, "-f", "json"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let report = json_report(&out);
        validate_report(&report);
        assert_eq!(report["command"], "sbom");
        assert_eq!(vulnerabilities(&report), expected, "{name}");
        let first = &report["findings"][0]["location"];
        assert_eq!(first["path"], file.as_str());
        assert!(first["line"].as_u64().unwrap() > 1);
    }
}

#[test]
fn directory_sbom_lists_installed_and_locked_packages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("web/node_modules/@scope/widget")).unwrap();
    fs::write(
        root.join("web/node_modules/@scope/widget/package.json"),
        "{\n  \"name\": \"@scope/widget\",\n  \"version\": \"2.1.0\"\n}\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("svc")).unwrap();
    fs::write(
        root.join("svc/Cargo.lock"),
        "version = 3\n\n[[package]]\nname = \"svc\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("venv/lib/python3.12/site-packages/Flask-2.0.0.dist-info"))
        .unwrap();
    fs::write(
        root.join("venv/lib/python3.12/site-packages/Flask-2.0.0.dist-info/METADATA"),
        "Metadata-Version: 2.1\nName: Flask\nVersion: 2.0.0\n",
    )
    .unwrap();
    // A Spring Boot style jar with a dependency jar inside (the outer jar has no Maven
    // metadata, manifest or version in its name, so only the inner one is identified).
    let inner = jar(&[(
        "META-INF/maven/org.apache.commons/commons-text/pom.properties",
        b"groupId=org.apache.commons\nartifactId=commons-text\nversion=1.9\n",
    )]);
    fs::write(
        root.join("svc/app.jar"),
        jar(&[("BOOT-INF/lib/commons-text-1.9.jar", &inner)]),
    )
    .unwrap();
    let path = root.to_str().unwrap();
    let cyclonedx = sbom(&[path]);
    assert_valid(SbomSchema::CycloneDx16, &cyclonedx);
    assert_eq!(cyclonedx["metadata"]["component"]["type"], "application");
    let purls: BTreeSet<&str> = cyclonedx["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    assert_eq!(
        purls,
        BTreeSet::from([
            "pkg:cargo/smallvec@1.6.0",
            "pkg:maven/org.apache.commons/commons-text@1.9",
            "pkg:npm/%40scope/widget@2.1.0",
            "pkg:pypi/flask@2.0.0",
        ])
    );
    let smallvec = cyclonedx["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "smallvec")
        .unwrap();
    assert_eq!(
        smallvec["evidence"]["occurrences"][0],
        serde_json::json!({"location": "svc/Cargo.lock", "line": 8})
    );
    let spdx = sbom(&[path, "-f", "spdx-json"]);
    assert_valid(SbomSchema::Spdx23, &spdx);

    let out_file = root.join("out.cdx.json");
    let out = palisade(&["sbom", path, "-o", out_file.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let written: Value = serde_json::from_slice(&fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(written["components"], cyclonedx["components"]);
}

#[test]
fn other_producers_sboms_are_matched_by_source_package() {
    let dir = tempfile::tempdir().unwrap();
    let db = database().to_str().unwrap();
    // Shapes other tools write: Syft's `upstream` qualifier and an OS component for the
    // release; Trivy's source properties.
    let third_party = serde_json::json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "components": [
            {"type": "operating-system", "name": "debian", "version": "12.2"},
            {"type": "library", "name": "libc6", "version": "2.36-9+deb12u1",
             "purl": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u1?arch=amd64&upstream=glibc"},
            {"type": "library", "name": "smallvec", "version": "1.6.0",
             "purl": "pkg:cargo/smallvec@1.6.0"},
            {"type": "library", "name": "leftpad", "version": "1.0"}
        ]
    });
    let file = write_temp(dir.path(), "third-party.cdx.json", &third_party);
    let out = palisade(&["sbom", "scan", &file, "--db", db, "-f", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json_report(&out);
    validate_report(&report);
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["id"] == "RUSTSEC-2021-0003"));
    let glibc: Vec<&Value> = findings
        .iter()
        .filter(|f| f["package"]["source_name"] == "glibc")
        .collect();
    assert!(
        !glibc.is_empty(),
        "no glibc advisory matched through `upstream`"
    );
    assert!(
        glibc
            .iter()
            .all(|f| f["package"]["ecosystem"] == "Debian:12")
    );
    assert!(stderr(&out).contains("without a purl"), "{}", stderr(&out));

    let gated = palisade(&[
        "sbom",
        "scan",
        &file,
        "--db",
        db,
        "--fail-on",
        "critical",
        "-q",
    ]);
    assert_eq!(code(&gated), 1);
}

#[test]
fn unreadable_sboms_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = database().to_str().unwrap();
    let broken = dir.path().join("broken.json");
    fs::write(
        &broken,
        "{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [\n",
    )
    .unwrap();
    let out = palisade(&["sbom", "scan", broken.to_str().unwrap(), "--db", db]);
    assert_eq!(code(&out), 2);
    let message = stderr(&out);
    assert!(message.contains("broken.json:4"), "{message}");
    let out = palisade(&["sbom", "scan", "/nonexistent/sbom.json", "--db", db]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("/nonexistent/sbom.json"));
}
