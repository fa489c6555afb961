use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{Ecosystem, Location, Severity};

/// The Kubernetes object a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ResourceRef {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ResourceRef {
    /// `Kind/namespace/name`, the way people name objects in conversation.
    pub fn display_name(&self) -> String {
        let name = self.name.as_deref().unwrap_or("<unnamed>");
        match &self.namespace {
            Some(ns) => format!("{}/{ns}/{name}", self.kind),
            None => format!("{}/{name}", self.kind),
        }
    }
}

/// The package a vulnerability finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PackageRef {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
    pub purl: String,
    /// Distro source package the binary package was built from (advisories are keyed by it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
}

/// The image layer that introduced a package or file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LayerRef {
    pub digest: String,
    /// 0-based position in the image's layer list.
    pub index: usize,
    /// The history entry's `created_by` (the Dockerfile instruction), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// True when the layer belongs to the base image rather than the image's own layers.
    #[serde(default)]
    pub base: bool,
}

/// What is known about a vulnerability being exploited: the CISA KEV catalog and FIRST EPSS.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Exploit {
    /// Listed in CISA's Known Exploited Vulnerabilities catalog.
    pub kev: bool,
    /// The day CISA added it to the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kev_date_added: Option<String>,
    /// EPSS probability of exploitation in the next 30 days (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epss: Option<f64>,
    /// EPSS percentile (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epss_percentile: Option<f64>,
}

/// Where a finding in generated manifests (Helm, Kustomize) came from besides its source file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Origin {
    /// `helm` or `kustomize`.
    pub renderer: String,
    /// The chart or kustomization directory.
    pub root: String,
    /// Position in the rendered output (the file users never edit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered: Option<Location>,
    /// Values keys the template reads (`image.tag`, …) where they can be determined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// Why a finding does not count: an exception entry or an inline annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// `annotation`, `exceptions-file`, `vex`, …
    pub kind: String,
    pub reason: String,
}

/// IDs of the same check in other tools and standards.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct References {
    /// Pod Security Admission check name (`runAsNonRoot`, `hostNamespaces`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pss: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kubescape: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cis: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checkov: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trivy: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", rename = "kube-linter")]
    pub kube_linter: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub polaris: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
}

impl References {
    pub fn is_empty(&self) -> bool {
        self == &References::default()
    }
}

/// One problem found by any scan: a failed control on an object, a vulnerable package, a file
/// that could not be read.
/// Serialized by hand (below): optional parts are left out when empty, except that a
/// vulnerability finding always states its `aliases` and `fixed_versions`, so consumers can
/// tell "no fix known" from "not a vulnerability".
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Finding {
    /// Control ID (`POD-001`) or advisory ID (`GHSA-…`).
    pub id: Cow<'static, str>,
    /// Kebab-case name of the control; empty for advisories.
    #[serde(default)]
    pub slug: Cow<'static, str>,
    #[serde(default)]
    pub title: Cow<'static, str>,
    pub severity: Severity,
    pub message: String,
    #[serde(default)]
    pub resource: Option<Arc<ResourceRef>>,
    #[serde(default)]
    pub location: Option<Location>,
    /// The offending value(s), already redacted when secret.
    #[serde(default)]
    pub evidence: Option<String>,
    #[serde(default)]
    pub remediation: Cow<'static, str>,
    #[serde(default)]
    pub references: Arc<References>,
    #[serde(default)]
    pub suppressed: bool,
    #[serde(default)]
    pub suppression: Option<Box<Suppression>>,
    #[serde(default)]
    pub package: Option<Box<PackageRef>>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub fixed_versions: Vec<String>,
    #[serde(default)]
    pub layer: Option<Box<LayerRef>>,
    #[serde(default)]
    pub origin: Option<Box<Origin>>,
    /// Exploitation signals for vulnerability findings, when KEV/EPSS data was given.
    #[serde(default)]
    pub exploit: Option<Box<Exploit>>,
}

impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let vulnerability = self.package.is_some();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("slug", &self.slug)?;
        map.serialize_entry("title", &self.title)?;
        map.serialize_entry("severity", &self.severity)?;
        map.serialize_entry("message", &self.message)?;
        if let Some(resource) = &self.resource {
            map.serialize_entry("resource", resource)?;
        }
        if let Some(location) = &self.location {
            map.serialize_entry("location", location)?;
        }
        if let Some(evidence) = &self.evidence {
            map.serialize_entry("evidence", evidence)?;
        }
        map.serialize_entry("remediation", &self.remediation)?;
        if !self.references.is_empty() {
            map.serialize_entry("references", &self.references)?;
        }
        map.serialize_entry("suppressed", &self.suppressed)?;
        if let Some(suppression) = &self.suppression {
            map.serialize_entry("suppression", suppression)?;
        }
        if let Some(package) = &self.package {
            map.serialize_entry("package", package)?;
        }
        if vulnerability || !self.aliases.is_empty() {
            map.serialize_entry("aliases", &self.aliases)?;
        }
        if vulnerability || !self.fixed_versions.is_empty() {
            map.serialize_entry("fixed_versions", &self.fixed_versions)?;
        }
        if let Some(layer) = &self.layer {
            map.serialize_entry("layer", layer)?;
        }
        if let Some(origin) = &self.origin {
            map.serialize_entry("origin", origin)?;
        }
        if let Some(exploit) = &self.exploit {
            map.serialize_entry("exploit", exploit)?;
        }
        map.end()
    }
}

impl Finding {
    /// A finding with only the required parts; the rest is filled in by the builder methods.
    pub fn new(
        id: impl Into<Cow<'static, str>>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            id: id.into(),
            slug: Cow::Borrowed(""),
            title: Cow::Borrowed(""),
            severity,
            message: message.into(),
            resource: None,
            location: None,
            evidence: None,
            remediation: Cow::Borrowed(""),
            references: Arc::default(),
            suppressed: false,
            suppression: None,
            package: None,
            aliases: Vec::new(),
            fixed_versions: Vec::new(),
            layer: None,
            origin: None,
            exploit: None,
        }
    }

    /// Reading order: file, line, column, then control ID and resource.
    pub fn cmp_reading_order(&self, other: &Finding) -> std::cmp::Ordering {
        // Borrowed keys: this runs n·log n times on reports with tens of thousands of findings.
        fn place(f: &Finding) -> Option<(&str, u32, u32)> {
            f.location
                .as_ref()
                .map(|l| (l.path.as_str(), l.line, l.column))
        }
        place(self)
            .cmp(&place(other))
            .then_with(|| self.id.cmp(&other.id))
            .then_with(|| self.resource.cmp(&other.resource))
    }
}
