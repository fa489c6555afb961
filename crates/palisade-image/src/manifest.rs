//! OCI and Docker v2 schema 2 manifests, indexes and image configs; platform selection.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

use crate::digest::Digest;
use crate::error::ImageError;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";

/// The `Accept` header for manifest requests: every type this crate reads.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

/// Largest manifest, index or config accepted (they are small JSON documents).
pub const MAX_METADATA_BYTES: u64 = 8 * 1024 * 1024;

/// A content descriptor.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    #[serde(default)]
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

impl Descriptor {
    pub fn parsed_digest(&self) -> Result<Digest, ImageError> {
        Digest::parse(&self.digest)
    }
}

/// `os/architecture[/variant]`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    #[serde(default)]
    pub variant: Option<String>,
}

impl Default for Platform {
    fn default() -> Self {
        Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

impl FromStr for Platform {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split('/').collect();
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: (*os).into(),
                architecture: (*arch).into(),
                variant: None,
            }),
            [os, arch, variant] if !os.is_empty() && !arch.is_empty() && !variant.is_empty() => {
                Ok(Platform {
                    os: (*os).into(),
                    architecture: (*arch).into(),
                    variant: Some((*variant).into()),
                })
            }
            _ => Err(format!(
                "invalid platform {s:?}: expected OS/ARCH[/VARIANT]"
            )),
        }
    }
}

impl Platform {
    /// Whether an index entry's platform satisfies this request. A request without a variant
    /// takes any variant (arm64 images say `v8`); `arm64` with variant `v8` matches no variant.
    pub fn accepts(&self, offered: &Platform) -> bool {
        if self.os != offered.os || self.architecture != offered.architecture {
            return false;
        }
        match (&self.variant, &offered.variant) {
            (None, _) => true,
            (Some(want), Some(have)) => want == have,
            (Some(want), None) => self.architecture == "arm64" && want == "v8",
        }
    }
}

/// An image manifest (OCI or Docker v2 schema 2).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    #[serde(default)]
    pub media_type: Option<String>,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
}

/// An image index or Docker manifest list.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    #[serde(default)]
    pub media_type: Option<String>,
    pub manifests: Vec<Descriptor>,
}

/// What a manifest endpoint or blob turned out to be.
#[derive(Debug, Clone)]
pub enum ManifestKind {
    Image(Manifest),
    Index(Index),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    schema_version: Option<u32>,
    media_type: Option<String>,
    manifests: Option<serde_json::Value>,
    layers: Option<serde_json::Value>,
}

/// Parses a manifest or an index, using the served media type when there is one, else the
/// document's own `mediaType`, else its shape.
pub fn parse_manifest(
    bytes: &[u8],
    served_type: Option<&str>,
    what: &str,
) -> Result<ManifestKind, ImageError> {
    let bad = |e: serde_json::Error| ImageError::format(what, format!("not a valid manifest: {e}"));
    let probe: Probe = serde_json::from_slice(bytes).map_err(bad)?;
    if probe.schema_version == Some(1) {
        return Err(ImageError::format(
            what,
            "Docker image manifest schema 1 is not supported (deprecated); re-push the image",
        ));
    }
    let served = served_type
        .map(|t| t.split(';').next().unwrap_or(t).trim())
        .filter(|t| !t.is_empty() && *t != "application/json" && *t != "text/plain");
    let media = served.or(probe.media_type.as_deref());
    let is_index = match media {
        Some(OCI_INDEX | DOCKER_MANIFEST_LIST) => true,
        Some(OCI_MANIFEST | DOCKER_MANIFEST) => false,
        Some(other) if probe.manifests.is_none() && probe.layers.is_none() => {
            return Err(ImageError::format(
                what,
                format!("unsupported media type {other}"),
            ));
        }
        _ => probe.manifests.is_some() && probe.layers.is_none(),
    };
    if is_index {
        serde_json::from_slice(bytes)
            .map(ManifestKind::Index)
            .map_err(bad)
    } else {
        serde_json::from_slice(bytes)
            .map(ManifestKind::Image)
            .map_err(bad)
    }
}

/// Picks the index entry for `platform`.
pub fn select_platform<'a>(
    index: &'a Index,
    platform: &Platform,
    what: &str,
) -> Result<&'a Descriptor, ImageError> {
    let candidates: Vec<&Descriptor> = index
        .manifests
        .iter()
        .filter(|d| d.media_type != "application/vnd.in-toto+json")
        .collect();
    if let Some(found) = candidates
        .iter()
        .find(|d| d.platform.as_ref().is_some_and(|p| platform.accepts(p)))
    {
        return Ok(found);
    }
    // One entry without platform information (an OCI layout with a single image) is the image.
    if let [only] = candidates.as_slice()
        && only.platform.is_none()
    {
        return Ok(only);
    }
    let available: Vec<String> = candidates
        .iter()
        .filter_map(|d| d.platform.as_ref())
        .filter(|p| p.os != "unknown")
        .map(ToString::to_string)
        .collect();
    Err(ImageError::Platform {
        what: what.to_string(),
        platform: platform.to_string(),
        available: if available.is_empty() {
            "none with platform information".into()
        } else {
            available.join(", ")
        },
    })
}

/// The image configuration blob (the parts Palisade uses).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImageConfig {
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub history: Vec<History>,
    #[serde(default)]
    pub rootfs: Option<RootFs>,
}

/// `rootfs`: the uncompressed digests of the layers, in order.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RootFs {
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

/// One history entry of the image config.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct History {
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub empty_layer: bool,
}

impl ImageConfig {
    pub fn parse(bytes: &[u8], what: &str) -> Result<ImageConfig, ImageError> {
        serde_json::from_slice(bytes)
            .map_err(|e| ImageError::format(what, format!("not a valid image config: {e}")))
    }

    /// The uncompressed digests of the layers.
    pub fn diff_ids(&self) -> &[String] {
        self.rootfs.as_ref().map_or(&[], |r| &r.diff_ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desc(arch: &str, variant: Option<&str>) -> String {
        let v = variant.map_or(String::new(), |v| format!(r#","variant":"{v}""#));
        format!(
            r#"{{"mediaType":"{OCI_MANIFEST}","digest":"sha256:{}","size":1,"platform":{{"os":"linux","architecture":"{arch}"{v}}}}}"#,
            "0".repeat(64)
        )
    }

    #[test]
    fn selects_platform_from_index() {
        let json = format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[{},{},{}]}}"#,
            desc("amd64", None),
            desc("arm64", Some("v8")),
            desc("arm", Some("v7"))
        );
        let ManifestKind::Index(index) = parse_manifest(json.as_bytes(), None, "t").unwrap() else {
            panic!("expected an index");
        };
        let pick = |p: &str| {
            select_platform(&index, &p.parse().unwrap(), "t")
                .map(|d| d.platform.clone().unwrap().to_string())
        };
        assert_eq!(pick("linux/amd64").unwrap(), "linux/amd64");
        assert_eq!(pick("linux/arm64").unwrap(), "linux/arm64/v8");
        assert_eq!(pick("linux/arm/v7").unwrap(), "linux/arm/v7");
        let err = pick("linux/s390x").unwrap_err().to_string();
        assert!(
            err.contains("linux/amd64, linux/arm64/v8, linux/arm/v7"),
            "{err}"
        );
    }

    #[test]
    fn tells_manifest_types_apart() {
        let m = format!(
            r#"{{"schemaVersion":2,"config":{{"digest":"sha256:{0}","size":2}},"layers":[]}}"#,
            "1".repeat(64)
        );
        assert!(matches!(
            parse_manifest(m.as_bytes(), Some(DOCKER_MANIFEST), "t").unwrap(),
            ManifestKind::Image(_)
        ));
        assert!(matches!(
            parse_manifest(m.as_bytes(), None, "t").unwrap(),
            ManifestKind::Image(_)
        ));
        let v1 = br#"{"schemaVersion":1,"fsLayers":[]}"#;
        assert!(
            parse_manifest(v1, None, "t")
                .unwrap_err()
                .to_string()
                .contains("schema 1")
        );
        assert!(parse_manifest(b"{", None, "t").is_err());
        assert!("linux".parse::<Platform>().is_err());
    }
}
