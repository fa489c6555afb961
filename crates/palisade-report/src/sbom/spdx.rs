//! SPDX 2.3 JSON (<https://spdx.github.io/spdx-spec/v2.3/>).

use std::io;

use serde_json::{Value, json};

use super::{Component, Sbom, SubjectKind, write_json};

const ROOT_ID: &str = "SPDXRef-Subject";
const OS_ID: &str = "SPDXRef-OperatingSystem";

pub fn write_spdx(out: &mut dyn io::Write, sbom: &Sbom) -> io::Result<()> {
    write_json(out, &document(sbom))
}

fn document(sbom: &Sbom) -> Value {
    let subject = &sbom.subject;
    let mut root = json!({
        "name": subject.name,
        "SPDXID": ROOT_ID,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "primaryPackagePurpose": match subject.kind {
            SubjectKind::Image => "CONTAINER",
            SubjectKind::Directory => "APPLICATION",
        },
    });
    if let Some(version) = &subject.version {
        root["versionInfo"] = json!(version);
    }
    let mut packages = vec![root];
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": ROOT_ID,
    })];
    let mut contains = |id: &str| {
        relationships.push(json!({
            "spdxElementId": ROOT_ID,
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": id,
        }));
    };
    if let Some(os) = &sbom.os {
        let mut package = json!({
            "name": os.id,
            "SPDXID": OS_ID,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "primaryPackagePurpose": "OPERATING_SYSTEM",
        });
        if let Some(version) = &os.version {
            package["versionInfo"] = json!(version);
        }
        if let Some(pretty) = &os.pretty_name {
            package["description"] = json!(pretty);
        }
        packages.push(package);
        contains(OS_ID);
    }
    for (n, component) in sbom.merged().iter().enumerate() {
        let id = format!("SPDXRef-Package-{}", n + 1);
        packages.push(package(&id, component));
        contains(&id);
    }
    let name = &subject.name;
    json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": name,
        "documentNamespace": format!(
            "https://palisade.dev/spdxdocs/{}-{}",
            namespace_safe(name),
            sbom.uuid()
        ),
        "creationInfo": {
            "created": sbom.created,
            "creators": [format!("Tool: palisade-{}", sbom.tool_version)],
        },
        "packages": packages,
        "relationships": relationships,
    })
}

fn package(id: &str, component: &Component) -> Value {
    let mut value = json!({
        "name": component.name,
        "SPDXID": id,
    });
    if !component.version.is_empty() {
        value["versionInfo"] = json!(component.version);
    }
    value["downloadLocation"] = json!("NOASSERTION");
    value["filesAnalyzed"] = json!(false);
    value["primaryPackagePurpose"] = json!("LIBRARY");
    // `sourceInfo` is free text; this wording is what other SBOM tools read as the source
    // package of a distribution package.
    let mut source_info = Vec::new();
    if let Some((name, version)) = &component.source {
        source_info.push(format!("built package from: {name} {version}"));
    }
    if !component.locations.is_empty() {
        let places: Vec<String> = component
            .locations
            .iter()
            .map(|(path, line)| format!("{path}:{line}"))
            .collect();
        source_info.push(format!("acquired package info from: {}", places.join(", ")));
    }
    if !source_info.is_empty() {
        value["sourceInfo"] = json!(source_info.join("; "));
    }
    if let Some(layer) = &component.layer {
        let mut comment = format!(
            "layer {} ({}) {}",
            layer.index,
            if layer.base {
                "base image"
            } else {
                "image's own layers"
            },
            layer.digest
        );
        if let Some(created_by) = &layer.created_by {
            comment.push_str(": ");
            comment.push_str(created_by);
        }
        value["comment"] = json!(comment);
    }
    value["externalRefs"] = json!([{
        "referenceCategory": "PACKAGE-MANAGER",
        "referenceType": "purl",
        "referenceLocator": component.purl,
    }]);
    value
}

/// Keeps a document namespace a valid URI path segment.
fn namespace_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect()
}
