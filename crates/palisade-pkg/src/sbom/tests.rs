use super::*;

fn names(contents: &SbomContents) -> Vec<(String, String, String, Option<String>, u32)> {
    contents
        .packages
        .iter()
        .map(|p| {
            let p = &p.package;
            (
                p.ecosystem.to_string(),
                p.name.clone(),
                p.version.clone(),
                p.source_name.clone(),
                p.location.line,
            )
        })
        .collect()
}

#[test]
fn cyclonedx_from_several_producers() {
    // An OS component gives the release to distro purls without `distro`; a Trivy-style
    // component carries its source in properties, a Syft-style one in `upstream`; nested
    // components are read; a component without purl and an rpm are counted in warnings.
    let bom = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.5",
  "components": [
    {"type": "operating-system", "name": "debian", "version": "12.5"},
    {
      "type": "library",
      "name": "libssl3",
      "version": "3.0.11-1~deb12u2",
      "purl": "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64",
      "properties": [
        {"name": "aquasecurity:trivy:SrcName", "value": "openssl"},
        {"name": "aquasecurity:trivy:SrcVersion", "value": "3.0.11-1~deb12u2"}
      ]
    },
    {
      "type": "library",
      "name": "libc6",
      "purl": "pkg:deb/debian/libc6@2.36-9?arch=amd64&upstream=glibc&distro=debian-12"
    },
    {
      "type": "application",
      "name": "app",
      "components": [
        {"type": "library", "name": "lodash", "version": "4.17.15", "purl": "pkg:npm/lodash"}
      ]
    },
    {"type": "library", "name": "mystery", "version": "1.0"},
    {"type": "library", "name": "bash", "purl": "pkg:rpm/redhat/bash@5.1-6.el9"}
  ]
}"#;
    let contents = read("sbom.cdx.json", bom.as_bytes()).unwrap();
    assert_eq!(contents.format, SbomFormat::CycloneDx);
    assert_eq!(contents.spec_version, "1.5");
    assert_eq!(
        names(&contents),
        [
            (
                "Debian:12".into(),
                "libssl3".into(),
                "3.0.11-1~deb12u2".into(),
                Some("openssl".into()),
                10
            ),
            (
                "Debian:12".into(),
                "libc6".into(),
                "2.36-9".into(),
                Some("glibc".into()),
                19
            ),
            ("npm".into(), "lodash".into(), "4.17.15".into(), None, 25),
        ]
    );
    let libc = &contents.packages[1].package;
    assert_eq!(libc.source_version.as_deref(), Some("2.36-9"));
    assert_eq!(contents.warnings.len(), 2, "{:?}", contents.warnings);
    assert!(
        contents
            .warnings
            .iter()
            .any(|w| w.message.contains("pkg:rpm"))
    );
}

#[test]
fn spdx_with_source_info_and_layer_comment() {
    let doc = r#"{
  "spdxVersion": "SPDX-2.3",
  "packages": [
    {"name": "img", "SPDXID": "SPDXRef-Subject", "primaryPackagePurpose": "CONTAINER"},
    {"name": "alpine", "SPDXID": "SPDXRef-OS", "versionInfo": "3.19.1", "primaryPackagePurpose": "OPERATING_SYSTEM"},
    {
      "name": "libcrypto3",
      "SPDXID": "SPDXRef-Package-1",
      "versionInfo": "3.1.4-r5",
      "sourceInfo": "built package from: openssl 3.1.4-r5; acquired package info from: /lib/apk/db/installed:2",
      "comment": "layer 0 (base image) sha256:abc: ADD alpine-minirootfs.tar.gz /",
      "externalRefs": [
        {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64"}
      ]
    }
  ]
}"#;
    let contents = read("sbom.spdx.json", doc.as_bytes()).unwrap();
    assert_eq!(contents.format, SbomFormat::Spdx);
    assert_eq!(
        names(&contents),
        [(
            "Alpine:v3.19".into(),
            "libcrypto3".into(),
            "3.1.4-r5".into(),
            Some("openssl".into()),
            13
        )]
    );
    let layer = contents.packages[0].layer.as_ref().unwrap();
    assert_eq!((layer.index, layer.base), (0, true));
    assert_eq!(layer.digest, "sha256:abc");
    assert_eq!(
        layer.created_by.as_deref(),
        Some("ADD alpine-minirootfs.tar.gz /")
    );
    assert!(contents.warnings.is_empty(), "{:?}", contents.warnings);
}

#[test]
fn what_is_not_a_json_sbom_is_a_located_error() {
    let err = read("x.xml", b"<?xml version=\"1.0\"?><bom/>").unwrap_err();
    assert!(err.message.contains("XML"), "{err}");
    let err = read("x.spdx", b"SPDXVersion: SPDX-2.3\n").unwrap_err();
    assert!(err.message.contains("tag-value"), "{err}");
    let err = read("x.json", b"{\n  \"hello\": 1\n}").unwrap_err();
    assert!(err.message.contains("not an SBOM"), "{err}");
    let err = read("x.json", b"{\n  \"bomFormat\": \"CycloneDX\",\n  oops\n}").unwrap_err();
    assert_eq!(err.line, 3);
}
