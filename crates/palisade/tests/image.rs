//! `palisade image` on real images (scripts/build-test-images.sh: a debootstrap Debian 12 without
//! security updates, and an application image on top of it), read from a real registry
//! (Debian's docker-registry on 127.0.0.1, anonymous and with basic auth), from docker-archive,
//! OCI archive and OCI layouts — with the same results whichever way the image travels.
//!
//! Skipped with a message when the images or tools are missing; CI builds them
//! (.ci/setup.d/images.sh).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::process::{Command, Output};

use base64::Engine as _;
use common::images::{database, images, skip, tool};
use common::registry::Registry;
use common::{code, json_report, repo_root, stderr, validate_report};
use serde_json::Value;

fn image(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .arg("image")
        .args(["--db", database().to_str().unwrap(), "-f", "json"])
        .args(args)
        .current_dir(repo_root())
        .env_remove("PALISADE_FAIL_ON")
        .env("DOCKER_CONFIG", "/nonexistent")
        .output()
        .unwrap()
}

fn ok_report(out: &Output) -> Value {
    assert_eq!(code(out), 0, "{}", stderr(out));
    let report = json_report(out);
    validate_report(&report);
    report
}

/// What must not depend on the transport: each finding's ID, package and layer.
fn fingerprint(report: &Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {}",
                f["id"],
                f["package"]["name"],
                f["package"]["version"],
                f["layer"]["index"],
                f["layer"]["digest"]
            )
        })
        .collect()
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

fn registry_tools() -> bool {
    let ok = tool("docker-registry") && tool("skopeo") && tool("htpasswd");
    if !ok {
        skip("docker-registry, skopeo or htpasswd missing (run .ci/setup.d/images.sh)");
    }
    ok
}

#[test]
fn debian_image_has_real_vulnerabilities_from_its_source_packages() {
    let Some(images) = images() else { return };
    let archive = images.join("debian-12.docker.tar");
    let report = ok_report(&image(&["--input", archive.to_str().unwrap()]));
    assert_eq!(report["command"], "image");
    let all = findings(&report);
    assert!(all.len() > 10, "expected real CVEs, got {}", all.len());
    for finding in all.iter().filter(|f| f["package"].is_object()) {
        let package = &finding["package"];
        assert_eq!(package["ecosystem"], "Debian:12", "{finding:#}");
        assert!(
            package["purl"]
                .as_str()
                .unwrap()
                .starts_with("pkg:deb/debian/"),
            "{finding:#}"
        );
        // Advisories are keyed by source package; the binary package is what is reported.
        assert!(package["source_name"].is_string() || package["name"].is_string());
        assert_eq!(finding["layer"]["index"], 0);
        assert_eq!(finding["location"]["path"], "/var/lib/dpkg/status");
        assert!(finding["location"]["line"].as_u64().unwrap() >= 1);
    }
    // A binary package built from a differently named source is matched through it.
    assert!(
        all.iter().any(|f| f["package"]["source_name"].is_string()
            && f["package"]["source_name"] != f["package"]["name"]),
        "no finding reached through a source package"
    );
}

#[test]
fn every_transport_gives_the_same_findings() {
    let Some(images) = images() else { return };
    let docker = ok_report(&image(&[
        "--input",
        images.join("debian-12.docker.tar").to_str().unwrap(),
    ]));
    let expected = fingerprint(&docker);
    assert!(!expected.is_empty());
    let layout = images.join("oci");
    let zstd = images.join("oci-zstd");
    let archive = images.join("debian-12.oci.tar");
    for args in [
        vec!["debian-12", "--input", layout.to_str().unwrap()],
        vec!["debian-12", "--input", zstd.to_str().unwrap()],
        vec!["--input", archive.to_str().unwrap()],
    ] {
        let report = ok_report(&image(&args));
        assert_eq!(fingerprint(&report), expected, "{args:?}");
    }
    if !registry_tools() {
        return;
    }
    let registry = Registry::start(None);
    registry.push(&layout, "debian-12", "palisade/debian:12", None);
    let reference = format!("{}/palisade/debian:12", registry.host);
    let report = ok_report(&image(&[&reference, "--insecure-registry", &registry.host]));
    assert_eq!(fingerprint(&report), expected);
}

#[test]
fn registry_basic_auth_from_flags_and_docker_config() {
    let Some(images) = images() else { return };
    if !registry_tools() {
        return;
    }
    let registry = Registry::start(Some(("scanner", "s3cret-pass")));
    registry.push(
        &images.join("oci"),
        "debian-12",
        "private/debian:12",
        Some("scanner:s3cret-pass"),
    );
    let reference = format!("{}/private/debian:12", registry.host);
    let insecure = ["--insecure-registry", registry.host.as_str()];

    let mut args = vec![reference.as_str()];
    args.extend(insecure);
    let denied = image(&args);
    assert_eq!(code(&denied), 2);
    let message = stderr(&denied);
    assert!(
        message.contains("401") || message.to_lowercase().contains("unauthorized"),
        "{message}"
    );

    let mut with_flags = args.clone();
    with_flags.extend(["--username", "scanner", "--password", "s3cret-pass"]);
    let report = ok_report(&image(&with_flags));
    assert!(!findings(&report).is_empty());

    let config = tempfile::tempdir().unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode("scanner:s3cret-pass");
    fs::write(
        config.path().join("config.json"),
        format!(
            r#"{{"auths": {{"{}": {{"auth": "{auth}"}}}}}}"#,
            registry.host
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .arg("image")
        .args(["--db", database().to_str().unwrap(), "-f", "json"])
        .args(&args)
        .env("DOCKER_CONFIG", config.path())
        .output()
        .unwrap();
    let from_config = ok_report(&out);
    assert_eq!(fingerprint(&from_config), fingerprint(&report));
}

#[test]
fn application_layers_are_told_apart_from_the_base_image() {
    let Some(images) = images() else { return };
    let archive = images.join("app-1.docker.tar");
    let report = ok_report(&image(&["--input", archive.to_str().unwrap()]));
    let all = findings(&report);

    let requests = all
        .iter()
        .find(|f| f["package"]["name"] == "requests" && f["package"]["ecosystem"] == "PyPI")
        .expect("a requests 2.19.0 vulnerability");
    assert_eq!(requests["package"]["version"], "2.19.0");
    assert_eq!(requests["layer"]["base"], false);
    assert!(
        requests["layer"]["created_by"]
            .as_str()
            .unwrap()
            .contains("pip install")
    );

    let smallvec = all
        .iter()
        .find(|f| f["id"] == "RUSTSEC-2021-0003")
        .expect("smallvec from the Cargo.lock in the image");
    assert_eq!(smallvec["location"]["path"], "/srv/rust/Cargo.lock");
    assert_eq!(smallvec["layer"]["base"], false);

    let debian = all
        .iter()
        .find(|f| f["package"]["ecosystem"] == "Debian:12")
        .expect("base image vulnerabilities");
    assert_eq!(debian["layer"]["base"], true);

    // The private key was deleted by a later layer, and is still reported, redacted.
    let key = all
        .iter()
        .find(|f| f["id"] == "SEC-101")
        .expect("the deleted private key");
    assert!(
        key["message"]
            .as_str()
            .unwrap()
            .contains("deleted by layer")
    );
    assert!(
        !key["evidence"]
            .as_str()
            .unwrap()
            .contains("PRIVATE KEY-----\n")
    );
    assert!(all.iter().any(|f| f["id"] == "SEC-102"));
}

#[test]
fn ignore_unfixed_and_fail_on() {
    let Some(images) = images() else { return };
    let archive = images.join("debian-12.docker.tar");
    let all = ok_report(&image(&["--input", archive.to_str().unwrap()]));
    let unfixed = findings(&all)
        .iter()
        .filter(|f| f["fixed_versions"].as_array().is_some_and(Vec::is_empty))
        .count();
    let fixed_only = ok_report(&image(&[
        "--input",
        archive.to_str().unwrap(),
        "--ignore-unfixed",
    ]));
    assert_eq!(findings(&fixed_only).len(), findings(&all).len() - unfixed);
    let gated = image(&["--input", archive.to_str().unwrap(), "--fail-on", "low"]);
    assert_eq!(code(&gated), 1);
}

#[test]
fn a_missing_image_is_a_clear_error() {
    let out = image(&["--input", "/nonexistent/image.tar"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("/nonexistent/image.tar"));
}
