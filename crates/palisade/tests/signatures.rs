//! Cosign signatures in a real registry (Debian's docker-registry on 127.0.0.1): images and
//! signatures are pushed through the distribution API the way cosign stores them (a manifest at
//! `sha256-<digest>.sig` whose layers are simple-signing payloads with the base64 signature in
//! an annotation), signed by OpenSSL with keys made for the test. `palisade verify` and
//! `palisade scan --verify-signatures` must tell signed-by-a-trusted-key, signed-by-another-key,
//! unsigned and unreachable apart.
//!
//! Skipped with a message when docker-registry or openssl is missing (.ci/setup.d/images.sh).

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use base64::Engine as _;
use common::images::{skip, tool};
use common::registry::Registry;
use common::{code, json_report, stderr, stdout, validate_report};
use serde_json::{Value, json};

fn sha256(bytes: &[u8]) -> String {
    let out = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(bytes)?;
            child.wait_with_output()
        })
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    format!("sha256:{}", &text[..64])
}

/// Uploads a blob (monolithic upload) and returns its digest.
fn push_blob(host: &str, repository: &str, bytes: &[u8]) -> String {
    let digest = sha256(bytes);
    let started = ureq::post(&format!("http://{host}/v2/{repository}/blobs/uploads/"))
        .send_empty()
        .unwrap();
    let location = started.headers()["location"].to_str().unwrap().to_string();
    let location = if location.starts_with("http") {
        location
    } else {
        format!("http://{host}{location}")
    };
    let separator = if location.contains('?') { '&' } else { '?' };
    ureq::put(&format!("{location}{separator}digest={digest}"))
        .header("Content-Type", "application/octet-stream")
        .send(bytes)
        .unwrap();
    digest
}

/// Pushes an OCI manifest under `tag`; returns the manifest's digest.
fn push_manifest(host: &str, repository: &str, tag: &str, manifest: &Value) -> String {
    let bytes = serde_json::to_vec(manifest).unwrap();
    ureq::put(&format!("http://{host}/v2/{repository}/manifests/{tag}"))
        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
        .send(&bytes[..])
        .unwrap();
    sha256(&bytes)
}

fn descriptor(media_type: &str, digest: &str, size: usize) -> Value {
    json!({"mediaType": media_type, "digest": digest, "size": size})
}

/// A small image of its own (one layer with one file); returns its manifest digest.
fn push_image(host: &str, repository: &str, tag: &str) -> String {
    let layer = format!("layer of {repository}:{tag}\n").into_bytes();
    let layer_digest = push_blob(host, repository, &layer);
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [layer_digest]}
    }))
    .unwrap();
    let config_digest = push_blob(host, repository, &config);
    push_manifest(
        host,
        repository,
        tag,
        &json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": descriptor("application/vnd.oci.image.config.v1+json", &config_digest, config.len()),
            "layers": [descriptor("application/vnd.oci.image.layer.v1.tar", &layer_digest, layer.len())]
        }),
    )
}

/// Signs `digest` of `repository` with the private key at `key` as cosign does.
fn push_signature(host: &str, repository: &str, digest: &str, key: &Path, work: &Path) {
    let payload = serde_json::to_vec(&json!({
        "critical": {
            "identity": {"docker-reference": format!("{host}/{repository}")},
            "image": {"docker-manifest-digest": digest},
            "type": "cosign container image signature"
        },
        "optional": null
    }))
    .unwrap();
    let payload_file = work.join("payload.json");
    fs::write(&payload_file, &payload).unwrap();
    let signed = Command::new("openssl")
        .args(["dgst", "-sha256", "-sign"])
        .arg(key)
        .arg(&payload_file)
        .output()
        .unwrap();
    assert!(signed.status.success(), "{}", stderr(&signed));
    let signature = base64::engine::general_purpose::STANDARD.encode(&signed.stdout);
    let payload_digest = push_blob(host, repository, &payload);
    let config = b"{}".to_vec();
    let config_digest = push_blob(host, repository, &config);
    let mut layer = descriptor(
        "application/vnd.dev.cosign.simplesigning.v1+json",
        &payload_digest,
        payload.len(),
    );
    layer["annotations"] = json!({"dev.cosignproject.cosign/signature": signature});
    let tag = format!("{}.sig", digest.replace(':', "-"));
    push_manifest(
        host,
        repository,
        &tag,
        &json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": descriptor("application/vnd.oci.image.config.v1+json", &config_digest, config.len()),
            "layers": [layer]
        }),
    );
}

/// A P-256 key pair made by OpenSSL: (private key, public key) paths.
fn key_pair(dir: &Path, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let private = dir.join(format!("{name}.key"));
    let public = dir.join(format!("{name}.pub"));
    let made = Command::new("openssl")
        .args([
            "ecparam",
            "-genkey",
            "-name",
            "prime256v1",
            "-noout",
            "-out",
        ])
        .arg(&private)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", stderr(&made));
    let exported = Command::new("openssl")
        .args(["ec", "-pubout", "-in"])
        .arg(&private)
        .arg("-out")
        .arg(&public)
        .output()
        .unwrap();
    assert!(exported.status.success(), "{}", stderr(&exported));
    (private, public)
}

/// The registry with three images: signed by the trusted key, by another key, and unsigned.
struct Fixture {
    registry: Registry,
    trusted: std::path::PathBuf,
    work: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Option<Fixture> {
        if !(tool("docker-registry") && tool("openssl")) {
            skip("docker-registry or openssl missing (run .ci/setup.d/images.sh)");
            return None;
        }
        let registry = Registry::start(None);
        let work = tempfile::tempdir().unwrap();
        let (trusted_key, trusted) = key_pair(work.path(), "trusted");
        let (other_key, _) = key_pair(work.path(), "other");
        let host = registry.host.clone();
        let signed = push_image(&host, "shop/api", "1.0");
        push_signature(&host, "shop/api", &signed, &trusted_key, work.path());
        let foreign = push_image(&host, "shop/worker", "1.0");
        push_signature(&host, "shop/worker", &foreign, &other_key, work.path());
        push_image(&host, "shop/cache", "1.0");
        Some(Fixture {
            registry,
            trusted,
            work,
        })
    }

    fn image(&self, name: &str) -> String {
        format!("{}/shop/{name}:1.0", self.registry.host)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_palisade"))
            .args(args)
            .args(["--insecure-registry", &self.registry.host])
            .current_dir(self.work.path())
            .env("DOCKER_CONFIG", "/nonexistent")
            .env_remove("PALISADE_FAIL_ON")
            .output()
            .unwrap()
    }
}

#[test]
fn verify_tells_trusted_foreign_and_missing_signatures_apart() {
    let Some(fx) = Fixture::new() else { return };
    let key = fx.trusted.to_str().unwrap();

    let out = fx.run(&["verify", &fx.image("api"), "--key", key]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains(": verified: signed by"),
        "{}",
        stdout(&out)
    );

    let out = fx.run(&["verify", &fx.image("worker"), "--key", key]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stdout(&out).contains(": untrusted: 1 signature(s), none trusted"),
        "{}",
        stdout(&out)
    );

    let out = fx.run(&[
        "verify",
        &fx.image("cache"),
        "--key",
        key,
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["status"], "unsigned");
    assert!(report["digest"].as_str().unwrap().starts_with("sha256:"));

    // Without keys, a signature by anyone is reported as such, and not called verified.
    let out = fx.run(&["verify", &fx.image("worker")]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains(": signed: 1 signature(s)"),
        "{}",
        stdout(&out)
    );

    // A registry that does not answer: the verdict is unknown and the exit code says so.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let out = fx.run(&[
        "verify",
        &format!("127.0.0.1:{port}/shop/api:1.0"),
        "--insecure-registry",
        &format!("127.0.0.1:{port}"),
    ]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(stdout(&out).contains(": unknown: "), "{}", stdout(&out));
}

#[test]
fn scan_reports_unsigned_and_untrusted_images_at_their_image_lines() {
    let Some(fx) = Fixture::new() else { return };
    let manifest = format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: shop
spec:
  selector:
    matchLabels: {{app: shop}}
  template:
    metadata:
      labels: {{app: shop}}
    spec:
      containers:
        - name: api
          image: {}
        - name: worker
          image: {}
        - name: cache
          image: {}
",
        fx.image("api"),
        fx.image("worker"),
        fx.image("cache")
    );
    fs::write(fx.work.path().join("shop.yaml"), manifest).unwrap();
    let key = fx.trusted.to_str().unwrap();
    let signature_findings = |out: &Output| -> Vec<(String, String, u64)> {
        let report = json_report(out);
        validate_report(&report);
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["id"] == "IMG-013" || f["id"] == "IMG-014")
            .map(|f| {
                (
                    f["id"].as_str().unwrap().to_string(),
                    f["location"]["pointer"].as_str().unwrap().to_string(),
                    f["location"]["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };

    let out = fx.run(&["scan", "shop.yaml", "-f", "json", "--cosign-key", key]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let mut found = signature_findings(&out);
    found.sort();
    let at = |i: usize| format!("/spec/template/spec/containers/{i}/image");
    assert_eq!(
        found,
        vec![
            ("IMG-013".to_string(), at(2), 19),
            ("IMG-014".to_string(), at(1), 17),
            ("IMG-014".to_string(), at(2), 19),
        ]
    );

    // Without keys only missing signatures are judged.
    let out = fx.run(&["scan", "shop.yaml", "-f", "json", "--verify-signatures"]);
    assert_eq!(
        signature_findings(&out),
        vec![("IMG-013".to_string(), at(2), 19)]
    );

    // Without registry access the signature controls do not run, and say so when asked for.
    let out = fx.run(&[
        "scan",
        "shop.yaml",
        "-f",
        "json",
        "--controls",
        "IMG-013,POD-001",
    ]);
    assert!(signature_findings(&out).is_empty());
    let scored: Vec<Value> = json_report(&out)["scores"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    assert!(scored.contains(&json!("POD-001")), "{scored:?}");
    assert!(
        !scored.contains(&json!("IMG-013")),
        "not judged, not scored: {scored:?}"
    );
    assert!(
        stderr(&out).contains("IMG-013 need registry access and did not run"),
        "{}",
        stderr(&out)
    );
}
