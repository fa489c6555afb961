//! Reading SBOMs — CycloneDX (1.2 and later) and SPDX 2.x, JSON — from any producer, so their
//! packages can be matched against advisories (`palisade sbom scan`).
//!
//! A package is identified by its purl; the name, version and ecosystem come from it (the
//! component's own `version` fills a purl without one). Distribution packages need their
//! release: the purl's `distro` qualifier, else the SBOM's operating-system component. Their
//! source package comes from Palisade's properties, Trivy's `aquasecurity:trivy:Src*`
//! properties, Syft's `upstream` purl qualifier, or SPDX `sourceInfo` ("built package from:
//! NAME VERSION"). Each package points at the line of its `purl` in the SBOM.

use std::collections::BTreeMap;

use palisade_core::{LayerRef, Location, sbom_property};

use crate::json::{self, Node};
use crate::model::{Diagnostic, Package, ParseError, Scope};
use crate::purl::Purl;
use crate::text::{self, LineIndex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SbomFormat {
    CycloneDx,
    Spdx,
}

impl std::fmt::Display for SbomFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SbomFormat::CycloneDx => "CycloneDX",
            SbomFormat::Spdx => "SPDX",
        })
    }
}

/// A package read from an SBOM, with the image layer when the SBOM records it.
#[derive(Debug, Clone)]
pub struct SbomPackage {
    pub package: Package,
    pub layer: Option<LayerRef>,
}

#[derive(Debug, Clone)]
pub struct SbomContents {
    pub format: SbomFormat,
    /// `1.6`, `SPDX-2.3`.
    pub spec_version: String,
    pub packages: Vec<SbomPackage>,
    /// Entries that were skipped or cannot be matched, with their line.
    pub warnings: Vec<Diagnostic>,
}

/// Reads the SBOM in `content`; `path` is recorded in package locations.
pub fn read(path: &str, content: &[u8]) -> Result<SbomContents, ParseError> {
    let text = text::decode(content)?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        return Err(ParseError::new(
            1,
            1,
            "XML SBOMs are not read; export the SBOM as JSON (CycloneDX or SPDX)",
        ));
    }
    if trimmed.starts_with("SPDXVersion:") {
        return Err(ParseError::new(
            1,
            1,
            "SPDX tag-value documents are not read; export the SBOM as SPDX JSON",
        ));
    }
    let lines = LineIndex::new(text);
    let root = json::parse(text, &lines)?;
    if root.str_of("bomFormat") == Some("CycloneDX") {
        return Ok(cyclonedx(path, &root, &lines));
    }
    if let Some(version) = root.str_of("spdxVersion") {
        return Ok(spdx(path, version, &root, &lines));
    }
    Err(lines.error(
        root.offset,
        "not an SBOM: neither CycloneDX (`bomFormat`) nor SPDX (`spdxVersion`)",
    ))
}

/// Collects packages and counts what could not be used, so a large SBOM of unsupported
/// packages gives one warning per kind rather than thousands.
struct Reader<'p> {
    path: &'p str,
    packages: Vec<SbomPackage>,
    warnings: Vec<Diagnostic>,
    /// purl type → (count, first line) of packages whose ecosystem has no advisories here.
    unsupported: BTreeMap<String, (usize, u32)>,
    without_purl: Option<(usize, u32)>,
}

/// What one SBOM entry says about a package.
struct Entry<'a> {
    /// The entry's own `name`, which keeps the case PyPI purls lower.
    name: Option<&'a str>,
    purl: Option<&'a str>,
    version: Option<&'a str>,
    line: u32,
    source: Option<(String, Option<String>)>,
    layer: Option<LayerRef>,
}

impl<'p> Reader<'p> {
    fn new(path: &'p str) -> Self {
        Reader {
            path,
            packages: Vec::new(),
            warnings: Vec::new(),
            unsupported: BTreeMap::new(),
            without_purl: None,
        }
    }

    fn add(&mut self, entry: Entry<'_>, default_release: Option<&str>) {
        let Some(purl_text) = entry.purl else {
            let counted = self.without_purl.get_or_insert((0, entry.line));
            counted.0 += 1;
            return;
        };
        let Some(purl) = Purl::parse(purl_text) else {
            self.warnings.push(Diagnostic::new(
                entry.line,
                format!("`{purl_text}` is not a valid purl; skipped"),
            ));
            return;
        };
        let Some(ecosystem) = crate::purl::ecosystem(&purl, default_release) else {
            let counted = self
                .unsupported
                .entry(purl.ty.clone())
                .or_insert((0, entry.line));
            counted.0 += 1;
            return;
        };
        let version = purl
            .version
            .clone()
            .or_else(|| entry.version.map(str::to_string))
            .unwrap_or_default();
        // Syft: `upstream=glibc` or `upstream=glibc@2.36-9`.
        let upstream = purl.qualifier("upstream").map(|u| match u.split_once('@') {
            Some((name, version)) => (name.to_string(), Some(version.to_string())),
            None => (u.to_string(), None),
        });
        let source = entry.source.or(upstream);
        let name = match entry.name {
            Some(name) if purl.ty == "pypi" && crate::purl::pypi_name(name) == purl.name => {
                name.to_string()
            }
            _ => purl.package_name(),
        };
        let package = Package {
            ecosystem,
            name,
            pinned: !version.is_empty(),
            source_version: source
                .as_ref()
                .map(|(_, v)| v.clone().unwrap_or_else(|| version.clone())),
            source_name: source.map(|(name, _)| name),
            version,
            purl: purl_text.to_string(),
            location: Location::at(self.path, entry.line, 1),
            scope: Scope::Unknown,
            direct: None,
            layer: entry.layer.as_ref().map(|l| l.index),
        };
        self.packages.push(SbomPackage {
            package,
            layer: entry.layer,
        });
    }

    fn finish(mut self, format: SbomFormat, spec_version: String) -> SbomContents {
        if let Some((count, line)) = self.without_purl {
            self.warnings.push(Diagnostic::new(
                line,
                format!("{count} package(s) without a purl cannot be matched (first here)"),
            ));
        }
        for (ty, (count, line)) in self.unsupported {
            self.warnings.push(Diagnostic::new(
                line,
                format!(
                    "{count} `pkg:{ty}` package(s) cannot be matched: no advisory ecosystem \
                     (or no distribution release) for them (first here)"
                ),
            ));
        }
        SbomContents {
            format,
            spec_version,
            packages: self.packages,
            warnings: self.warnings,
        }
    }
}

fn cyclonedx(path: &str, root: &Node<'_>, lines: &LineIndex<'_>) -> SbomContents {
    let mut all = Vec::new();
    flatten(root.get("components"), &mut all);
    let default_release = all
        .iter()
        .find(|c| c.str_of("type") == Some("operating-system"))
        .and_then(|os| os.str_of("version"))
        .map(str::to_string);
    let mut reader = Reader::new(path);
    for component in all {
        if component.str_of("type") == Some("operating-system") {
            continue;
        }
        let properties: Vec<(&str, &str)> = component
            .get("properties")
            .map(Node::elements)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| Some((p.str_of("name")?, p.str_of("value")?)))
            .collect();
        let property = |name: &str| properties.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        let source = match (
            property(sbom_property::SOURCE_NAME),
            property("aquasecurity:trivy:SrcName"),
        ) {
            (Some(name), _) => Some((
                name.to_string(),
                property(sbom_property::SOURCE_VERSION).map(str::to_string),
            )),
            (None, Some(name)) => Some((name.to_string(), trivy_source_version(&property))),
            (None, None) => None,
        };
        let layer = match (
            property(sbom_property::LAYER_DIGEST),
            property(sbom_property::LAYER_INDEX).and_then(|i| i.parse().ok()),
        ) {
            (Some(digest), Some(index)) => Some(LayerRef {
                digest: digest.to_string(),
                index,
                created_by: property(sbom_property::LAYER_CREATED_BY).map(str::to_string),
                base: property(sbom_property::LAYER_BASE) == Some("true"),
            }),
            _ => None,
        };
        let purl_member = component.members().iter().find(|m| m.key == "purl");
        let entry = Entry {
            name: component.str_of("name"),
            purl: purl_member.and_then(|m| m.value.as_str()),
            version: component.str_of("version"),
            line: lines.line(purl_member.map_or(component.offset, |m| m.key_offset)),
            source,
            layer,
        };
        reader.add(entry, default_release.as_deref());
    }
    let spec = root.str_of("specVersion").unwrap_or("unknown").to_string();
    reader.finish(SbomFormat::CycloneDx, spec)
}

/// Trivy splits a source version into epoch, version and release.
fn trivy_source_version<'a>(property: &impl Fn(&str) -> Option<&'a str>) -> Option<String> {
    let version = property("aquasecurity:trivy:SrcVersion")?;
    let mut full = String::new();
    if let Some(epoch) = property("aquasecurity:trivy:SrcEpoch").filter(|e| *e != "0") {
        full.push_str(epoch);
        full.push(':');
    }
    full.push_str(version);
    if let Some(release) = property("aquasecurity:trivy:SrcRelease") {
        full.push('-');
        full.push_str(release);
    }
    Some(full)
}

/// Components and their nested components, depth first.
fn flatten<'n, 'a>(components: Option<&'n Node<'a>>, out: &mut Vec<&'n Node<'a>>) {
    for component in components.map(Node::elements).unwrap_or_default() {
        out.push(component);
        flatten(component.get("components"), out);
    }
}

fn spdx(path: &str, version: &str, root: &Node<'_>, lines: &LineIndex<'_>) -> SbomContents {
    let packages = root.get("packages").map(Node::elements).unwrap_or_default();
    let default_release = packages
        .iter()
        .find(|p| {
            matches!(
                p.str_of("primaryPackagePurpose"),
                Some("OPERATING_SYSTEM" | "OPERATING-SYSTEM")
            )
        })
        .and_then(|os| os.str_of("versionInfo"))
        .map(str::to_string);
    let mut reader = Reader::new(path);
    for package in packages {
        let purl_ref = package
            .get("externalRefs")
            .map(Node::elements)
            .unwrap_or_default()
            .iter()
            .find(|r| {
                r.str_of("referenceType")
                    .is_some_and(|t| t.eq_ignore_ascii_case("purl"))
            });
        if purl_ref.is_none()
            && matches!(
                package.str_of("primaryPackagePurpose"),
                Some("OPERATING_SYSTEM" | "OPERATING-SYSTEM" | "CONTAINER" | "APPLICATION")
            )
        {
            continue;
        }
        let locator =
            purl_ref.and_then(|r| r.members().iter().find(|m| m.key == "referenceLocator"));
        let source = package.str_of("sourceInfo").and_then(|info| {
            let rest = info.split("built package from:").nth(1)?;
            let rest = rest.split(';').next()?;
            let mut words = rest.split_whitespace();
            let name = words.next()?.to_string();
            Some((name, words.next().map(str::to_string)))
        });
        let entry = Entry {
            name: package.str_of("name"),
            purl: locator.and_then(|m| m.value.as_str()),
            version: package.str_of("versionInfo"),
            line: lines.line(locator.map_or(package.offset, |m| m.key_offset)),
            source,
            layer: package.str_of("comment").and_then(layer_comment),
        };
        reader.add(entry, default_release.as_deref());
    }
    reader.finish(SbomFormat::Spdx, version.to_string())
}

/// The layer comment palisade writes in SPDX: `layer 3 (base image) sha256:…: RUN …`.
fn layer_comment(comment: &str) -> Option<LayerRef> {
    let rest = comment.strip_prefix("layer ")?;
    let (index, rest) = rest.split_once(' ')?;
    let base = rest.starts_with("(base image)");
    let rest = rest.split_once(") ")?.1;
    let (digest, created_by) = match rest.split_once(": ") {
        Some((digest, created_by)) => (digest, Some(created_by.to_string())),
        None => (rest, None),
    };
    Some(LayerRef {
        digest: digest.to_string(),
        index: index.parse().ok()?,
        created_by,
        base,
    })
}

#[cfg(test)]
mod tests;
