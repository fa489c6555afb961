//! A finding's identity across runs, for `diff`, `--baseline` and SARIF `partialFingerprints`.
//!
//! The identity never includes line numbers, columns or (for object findings) the file path:
//! moving an object inside its file, adding lines above it or renaming the file keeps its
//! findings matched. What it does include:
//!
//! - object findings: control ID, API group (not version, so `apps/v1beta2` → `apps/v1` is
//!   the same object), kind, namespace, name, and the JSON pointer of the field;
//! - package findings: advisory ID, ecosystem (without release) and package name (not the
//!   version: upgrading to a version that is still affected keeps the finding);
//! - findings about a file itself (parse errors): control ID, file path and pointer.

use std::fmt::Write as _;

use palisade_core::Finding;
use sha2::{Digest, Sha256};

/// Key under which SARIF `partialFingerprints` carries [`fingerprint`].
pub const SARIF_KEY: &str = "palisade/v1";

/// The readable identity of a finding, the text [`fingerprint`] hashes.
pub fn identity(finding: &Finding) -> String {
    let mut key = String::new();
    if let Some(package) = &finding.package {
        let _ = write!(
            key,
            "pkg\u{1f}{}\u{1f}{}\u{1f}{}",
            finding.id,
            package.ecosystem.base_name(),
            package.name
        );
    } else if let Some(resource) = &finding.resource {
        let group = resource
            .api_version
            .rsplit_once('/')
            .map_or("", |(group, _version)| group);
        let pointer = finding.location.as_ref().map_or("", |l| l.pointer.as_str());
        let _ = write!(
            key,
            "obj\u{1f}{}\u{1f}{group}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{pointer}",
            finding.id,
            resource.kind,
            resource.namespace.as_deref().unwrap_or(""),
            resource.name.as_deref().unwrap_or(""),
        );
    } else {
        let (path, pointer) = finding
            .location
            .as_ref()
            .map_or(("", ""), |l| (l.path.as_str(), l.pointer.as_str()));
        let _ = write!(key, "file\u{1f}{}\u{1f}{path}\u{1f}{pointer}", finding.id);
    }
    key
}

/// A stable 32-hex-digit fingerprint of the finding's [`identity`] (SHA-256, truncated).
pub fn fingerprint(finding: &Finding) -> String {
    let digest = Sha256::digest(identity(finding).as_bytes());
    let mut hex = String::with_capacity(32);
    for byte in &digest[..16] {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use palisade_core::{Ecosystem, Location, PackageRef, ResourceRef, Severity};

    use super::*;

    fn object_finding(path: &str, line: u32, api_version: &str) -> Finding {
        let mut f = Finding::new("POD-001", Severity::High, "privileged");
        f.resource = Some(std::sync::Arc::new(ResourceRef {
            api_version: api_version.into(),
            kind: "Deployment".into(),
            namespace: Some("shop".into()),
            name: Some("web".into()),
        }));
        let mut location = Location::at(path, line, 7);
        location.pointer = "/spec/template/spec/containers/0/securityContext/privileged".into();
        f.location = Some(location);
        f
    }

    #[test]
    fn ignores_lines_paths_and_api_versions() {
        let a = object_finding("deploy/web.yaml", 12, "apps/v1");
        let b = object_finding("manifests/web-renamed.yaml", 40, "apps/v1beta2");
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a).len(), 32);
    }

    #[test]
    fn distinguishes_controls_objects_and_fields() {
        let base = object_finding("a.yaml", 1, "apps/v1");
        let mut other_control = base.clone();
        other_control.id = "POD-002".into();
        let mut other_name = base.clone();
        std::sync::Arc::make_mut(other_name.resource.as_mut().unwrap()).name = Some("api".into());
        let mut other_field = base.clone();
        other_field.location.as_mut().unwrap().pointer =
            "/spec/template/spec/containers/1/securityContext/privileged".into();
        for changed in [other_control, other_name, other_field] {
            assert_ne!(fingerprint(&base), fingerprint(&changed));
        }
    }

    #[test]
    fn packages_match_across_versions_but_not_names() {
        let mut a = Finding::new("GHSA-1", Severity::High, "vulnerable");
        a.package = Some(Box::new(PackageRef {
            ecosystem: "Debian:12".parse::<Ecosystem>().unwrap(),
            name: "openssl".into(),
            version: "3.0.1".into(),
            purl: String::new(),
            source_name: None,
            source_version: None,
        }));
        let mut upgraded = a.clone();
        upgraded.package.as_mut().unwrap().version = "3.0.2".into();
        upgraded.package.as_mut().unwrap().ecosystem = "Debian:13".parse().unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&upgraded));
        let mut other = a.clone();
        other.package.as_mut().unwrap().name = "libssl3".into();
        assert_ne!(fingerprint(&a), fingerprint(&other));
    }
}
