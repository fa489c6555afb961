//! Keys, signatures and payloads made with OpenSSL (`tests/data`: a P-256 key pair whose
//! private half was discarded, a cosign simple-signing payload, its DER signature in base64).

use std::path::PathBuf;

use palisade_sign::{SimpleSigning, TrustedKey};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap()
}

#[test]
fn the_signers_key_verifies_its_signature_and_no_other_does() {
    let payload = read("payload.json");
    let signature = String::from_utf8(read("payload.sig")).unwrap();
    let signer = TrustedKey::from_file(&data("signer.pub")).unwrap();
    let other = TrustedKey::from_file(&data("other.pub")).unwrap();
    assert!(signer.verifies(&payload, &signature));
    assert!(!other.verifies(&payload, &signature));

    let mut tampered = payload.clone();
    let at = tampered.iter().position(|&b| b == b'1').unwrap();
    tampered[at] = b'2';
    assert!(!signer.verifies(&tampered, &signature), "payload changed");
    assert!(!signer.verifies(&payload, "not base64!"));
    assert!(!signer.verifies(&payload, "AAAA"));
}

#[test]
fn keys_that_are_not_p256_pem_are_refused_with_their_name() {
    let error = TrustedKey::from_pem(
        "keys/bad.pub",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with("keys/bad.pub: not an ECDSA P-256 public key"),
        "{error}"
    );
    let missing = TrustedKey::from_file(&data("missing.pub"))
        .unwrap_err()
        .to_string();
    assert!(missing.contains("missing.pub"), "{missing}");
}

#[test]
fn payloads_name_the_signed_digest() {
    let signing = SimpleSigning::parse(&read("payload.json")).unwrap();
    assert_eq!(
        signing.digest,
        "sha256:1111111111111111111111111111111111111111111111111111111111111111"
    );
    assert_eq!(
        signing.reference.as_deref(),
        Some("registry.example.com/shop/api")
    );
    for bad in [
        &b"not json"[..],
        br#"{"optional": {}}"#,
        br#"{"critical": {"type": "something else", "image": {"docker-manifest-digest": "sha256:1"}}}"#,
        br#"{"critical": {"type": "cosign container image signature"}}"#,
    ] {
        assert!(SimpleSigning::parse(bad).is_err(), "{}", String::from_utf8_lossy(bad));
    }
}
