use palisade_test::schemas::{SbomSchema, validate};
use serde_json::Value;

use super::*;

fn sample() -> Sbom {
    let layer = LayerRef {
        digest: "sha256:aaaa".into(),
        index: 0,
        created_by: Some("ADD rootfs.tar /".into()),
        base: true,
    };
    Sbom {
        subject: Subject {
            kind: SubjectKind::Image,
            name: "registry.example/app:1.0".into(),
            version: Some("sha256:0123".into()),
        },
        os: Some(OperatingSystem {
            id: "debian".into(),
            version: Some("12".into()),
            pretty_name: Some("Debian GNU/Linux 12 (bookworm)".into()),
        }),
        components: vec![
            Component {
                name: "libc6".into(),
                version: "2.36-9+deb12u4".into(),
                purl: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12".into(),
                ecosystem: "Debian:12".into(),
                source: Some(("glibc".into(), "2.36-9+deb12u4".into())),
                locations: vec![("/var/lib/dpkg/status".into(), 1)],
                layer: Some(layer.clone()),
            },
            Component {
                name: "@babel/core".into(),
                version: "7.0.0".into(),
                purl: "pkg:npm/%40babel/core@7.0.0".into(),
                ecosystem: "npm".into(),
                source: None,
                locations: vec![("/app/node_modules/@babel/core/package.json".into(), 2)],
                layer: None,
            },
            // The same package found a second time: one component, two locations.
            Component {
                name: "@babel/core".into(),
                version: "7.0.0".into(),
                purl: "pkg:npm/%40babel/core@7.0.0".into(),
                ecosystem: "npm".into(),
                source: None,
                locations: vec![("/app/package-lock.json".into(), 9)],
                layer: None,
            },
        ],
        tool_version: "0.1.0".into(),
        created: "2026-11-23T07:00:00Z".into(),
    }
}

fn render(write: fn(&mut dyn io::Write, &Sbom) -> io::Result<()>) -> Value {
    let mut out = Vec::new();
    write(&mut out, &sample()).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn assert_schema_valid(schema: SbomSchema, document: &Value) {
    if let Some(errors) = validate(schema, document) {
        assert!(
            errors.is_empty(),
            "invalid {schema}:\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn cyclonedx_is_valid_and_keeps_source_layer_and_locations() {
    let bom = render(write_cyclonedx);
    assert_schema_valid(SbomSchema::CycloneDx16, &bom);
    assert_eq!(bom["specVersion"], "1.6");
    assert!(
        bom["serialNumber"]
            .as_str()
            .unwrap()
            .starts_with("urn:uuid:")
    );
    let components = bom["components"].as_array().unwrap();
    assert_eq!(components.len(), 3, "os + two packages");
    assert_eq!(components[0]["type"], "operating-system");
    let libc = &components[1];
    assert_eq!(libc["purl"], libc["bom-ref"]);
    let property = |name: &str| {
        libc["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["value"].clone())
    };
    assert_eq!(property(property::SOURCE_NAME).unwrap(), "glibc");
    assert_eq!(property(property::LAYER_INDEX).unwrap(), "0");
    assert_eq!(property(property::LAYER_BASE).unwrap(), "true");
    let babel = &components[2];
    assert_eq!(
        babel["evidence"]["occurrences"].as_array().unwrap().len(),
        2
    );
    let depends = bom["dependencies"][0]["dependsOn"].as_array().unwrap();
    assert_eq!(depends.len(), 3);
}

#[test]
fn spdx_is_valid_with_purls_and_relationships() {
    let doc = render(write_spdx);
    assert_schema_valid(SbomSchema::Spdx23, &doc);
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    let packages = doc["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 4, "subject + os + two packages");
    let libc = &packages[2];
    assert_eq!(libc["externalRefs"][0]["referenceType"], "purl");
    assert!(
        libc["sourceInfo"]
            .as_str()
            .unwrap()
            .contains("built package from: glibc 2.36-9+deb12u4")
    );
    let relationships = doc["relationships"].as_array().unwrap();
    assert_eq!(relationships.len(), 4);
    assert_eq!(relationships[0]["relationshipType"], "DESCRIBES");
}

#[test]
fn same_input_same_document() {
    assert_eq!(render(write_cyclonedx), render(write_cyclonedx));
    let mut other = sample();
    other.created = "2026-11-24T07:00:00Z".into();
    let mut out = Vec::new();
    write_cyclonedx(&mut out, &other).unwrap();
    let other: Value = serde_json::from_slice(&out).unwrap();
    assert_ne!(
        other["serialNumber"],
        render(write_cyclonedx)["serialNumber"]
    );
}
