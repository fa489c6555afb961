//! Software bills of materials: CycloneDX 1.6 and SPDX 2.3, both JSON.
//!
//! The catalogers' packages come in as [`Component`]s; the writers add what each format needs
//! (serial number, document namespace, relationships) and keep what Palisade knows beyond the
//! purl — source package, layer, where the package was found — in the places each format has
//! for it, so `palisade sbom scan` can read it back.

mod cyclonedx;
mod spdx;

use std::fmt::Write as _;
use std::io;

use palisade_core::LayerRef;
use sha2::{Digest as _, Sha256};

pub use cyclonedx::write_cyclonedx;
pub use spdx::write_spdx;

/// What the SBOM describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectKind {
    /// A container image; `version` is its manifest or config digest.
    Image,
    /// A directory on disk (a project or an unpacked root filesystem).
    Directory,
}

#[derive(Debug, Clone)]
pub struct Subject {
    pub kind: SubjectKind,
    pub name: String,
    pub version: Option<String>,
}

/// The operating system of an image, as `os-release` names it.
#[derive(Debug, Clone)]
pub struct OperatingSystem {
    /// `debian`, `alpine`, …
    pub id: String,
    pub version: Option<String>,
    pub pretty_name: Option<String>,
}

/// One package.
#[derive(Debug, Clone)]
pub struct Component {
    pub name: String,
    pub version: String,
    pub purl: String,
    /// OSV ecosystem (`Debian:12`, `npm`).
    pub ecosystem: String,
    /// Distribution source package and version.
    pub source: Option<(String, String)>,
    /// Files (and 1-based lines) that record the package.
    pub locations: Vec<(String, u32)>,
    pub layer: Option<LayerRef>,
}

#[derive(Debug, Clone)]
pub struct Sbom {
    pub subject: Subject,
    pub os: Option<OperatingSystem>,
    pub components: Vec<Component>,
    pub tool_version: String,
    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub created: String,
}

impl Sbom {
    /// Components merged by purl (a package recorded in two places is one component with two
    /// locations), in a stable order.
    fn merged(&self) -> Vec<Component> {
        let mut merged: Vec<Component> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for component in &self.components {
            if let Some(&at) = index.get(&component.purl) {
                let kept: &mut Component = &mut merged[at];
                for location in &component.locations {
                    if !kept.locations.contains(location) {
                        kept.locations.push(location.clone());
                    }
                }
            } else {
                index.insert(component.purl.clone(), merged.len());
                merged.push(component.clone());
            }
        }
        merged
    }

    /// A UUID (version-4 layout) derived from the content, so the same inputs at the same time
    /// give the same document and different ones never collide in practice.
    fn uuid(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.subject.name.as_bytes());
        hasher.update(
            self.subject
                .version
                .as_deref()
                .unwrap_or_default()
                .as_bytes(),
        );
        hasher.update(self.created.as_bytes());
        for component in &self.components {
            hasher.update(component.purl.as_bytes());
            hasher.update([0]);
        }
        let mut bytes: [u8; 16] = hasher.finalize()[..16].try_into().unwrap_or_default();
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex = bytes.iter().fold(String::with_capacity(32), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        });
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    }
}

pub use palisade_core::sbom_property as property;

fn write_json(out: &mut dyn io::Write, value: &serde_json::Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests;
