//! Official JSON schemas kept outside the repository: CycloneDX 1.6 (with the SPDX license and
//! JSF schemas it references) and SPDX 2.3, extracted by `.ci/setup.d/sbom-schemas.sh`.

use std::fmt;
use std::fs;
use std::path::PathBuf;

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SbomSchema {
    CycloneDx16,
    Spdx23,
}

impl fmt::Display for SbomSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SbomSchema::CycloneDx16 => "CycloneDX 1.6",
            SbomSchema::Spdx23 => "SPDX 2.3",
        })
    }
}

/// `PALISADE_SCHEMA_DIR`, else `~/.cache/palisade-ci/schemas/lib4sbom-0.10.4`, when present.
pub fn schema_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PALISADE_SCHEMA_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| PathBuf::from(home).join(".cache/palisade-ci/schemas/lib4sbom-0.10.4"))
        })?;
    dir.join("spdx/2.3-schema.json").is_file().then_some(dir)
}

fn load(path: PathBuf) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
    Ok(serde_json::from_str(&fs::read_to_string(path)?)?)
}

/// Resolves the CycloneDX schema's references (`spdx.schema.json`, `jsf-0.82.schema.json`)
/// from the same directory instead of the network.
struct LocalCycloneDx(PathBuf);

impl jsonschema::Retrieve for LocalCycloneDx {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .strip_prefix("http://cyclonedx.org/schema/")
            .ok_or_else(|| format!("no local copy of {}", uri.as_str()))?;
        load(self.0.join(name))
    }
}

/// Validation errors of `instance` against `schema` (empty when valid), or `None` with a note
/// on stderr when the schemas are not installed.
pub fn validate(schema: SbomSchema, instance: &Value) -> Option<Vec<String>> {
    let Some(dir) = schema_dir() else {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipped {schema} schema validation: run .ci/setup.d/sbom-schemas.sh");
        }
        return None;
    };
    let validator = match schema {
        SbomSchema::CycloneDx16 => {
            let cyclonedx = dir.join("cyclonedx");
            let document = load(cyclonedx.join("bom-1.6.schema.json")).expect("CycloneDX schema");
            jsonschema::options()
                .with_retriever(LocalCycloneDx(cyclonedx))
                .build(&document)
        }
        SbomSchema::Spdx23 => {
            let document = load(dir.join("spdx/2.3-schema.json")).expect("SPDX schema");
            jsonschema::options().build(&document)
        }
    }
    .expect("schema compiles");
    Some(
        validator
            .iter_errors(instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect(),
    )
}
