//! CycloneDX 1.6 JSON (<https://cyclonedx.org/docs/1.6/json/>).

use std::io;

use serde_json::{Value, json};

use super::{Component, Sbom, SubjectKind, property, write_json};

/// The root component's `bom-ref`.
const ROOT_REF: &str = "palisade:subject";
const OS_REF: &str = "palisade:operating-system";

pub fn write_cyclonedx(out: &mut dyn io::Write, sbom: &Sbom) -> io::Result<()> {
    write_json(out, &document(sbom))
}

fn document(sbom: &Sbom) -> Value {
    let components = sbom.merged();
    let mut listed: Vec<Value> = Vec::with_capacity(components.len() + 1);
    let mut refs: Vec<String> = Vec::with_capacity(components.len() + 1);
    if let Some(os) = &sbom.os {
        let mut component = json!({
            "type": "operating-system",
            "bom-ref": OS_REF,
            "name": os.id,
        });
        if let Some(version) = &os.version {
            component["version"] = json!(version);
        }
        if let Some(pretty) = &os.pretty_name {
            component["description"] = json!(pretty);
        }
        listed.push(component);
        refs.push(OS_REF.to_string());
    }
    for component in &components {
        refs.push(component.purl.clone());
        listed.push(entry(component));
    }
    let subject = &sbom.subject;
    let mut root = json!({
        "type": match subject.kind {
            SubjectKind::Image => "container",
            SubjectKind::Directory => "application",
        },
        "bom-ref": ROOT_REF,
        "name": subject.name,
    });
    if let Some(version) = &subject.version {
        root["version"] = json!(version);
    }
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", sbom.uuid()),
        "version": 1,
        "metadata": {
            "timestamp": sbom.created,
            "tools": {
                "components": [{
                    "type": "application",
                    "name": "palisade",
                    "version": sbom.tool_version,
                }]
            },
            "component": root,
        },
        "components": listed,
        "dependencies": [{ "ref": ROOT_REF, "dependsOn": refs }],
    })
}

fn entry(component: &Component) -> Value {
    let mut properties = vec![json!({"name": property::ECOSYSTEM, "value": component.ecosystem})];
    if let Some((name, version)) = &component.source {
        properties.push(json!({"name": property::SOURCE_NAME, "value": name}));
        properties.push(json!({"name": property::SOURCE_VERSION, "value": version}));
    }
    if let Some(layer) = &component.layer {
        properties.push(json!({"name": property::LAYER_DIGEST, "value": layer.digest}));
        properties.push(json!({"name": property::LAYER_INDEX, "value": layer.index.to_string()}));
        if let Some(created_by) = &layer.created_by {
            properties.push(json!({"name": property::LAYER_CREATED_BY, "value": created_by}));
        }
        properties.push(json!({"name": property::LAYER_BASE, "value": layer.base.to_string()}));
    }
    let mut value = json!({
        "type": "library",
        "bom-ref": component.purl,
        "name": component.name,
    });
    if !component.version.is_empty() {
        value["version"] = json!(component.version);
    }
    value["purl"] = json!(component.purl);
    value["properties"] = json!(properties);
    if !component.locations.is_empty() {
        let occurrences: Vec<Value> = component
            .locations
            .iter()
            .map(|(path, line)| json!({"location": path, "line": line}))
            .collect();
        value["evidence"] = json!({ "occurrences": occurrences });
    }
    value
}
