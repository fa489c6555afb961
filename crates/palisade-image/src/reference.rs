//! Image references as people write them (`nginx:1.25`, `host:5000/team/app@sha256:…`),
//! normalised the way Docker does.

use std::fmt;
use std::str::FromStr;

use crate::digest::Digest;
use crate::error::ImageError;

/// Docker Hub's name in references.
pub const DOCKER_HUB: &str = "docker.io";

/// A normalised image reference: registry, repository, and a tag and/or digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageReference {
    /// `docker.io`, `ghcr.io`, `127.0.0.1:5000`, …
    pub registry: String,
    /// `library/nginx`, `team/app`.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

impl ImageReference {
    /// Host (and port) to send distribution API requests to; Docker Hub's API lives at
    /// `registry-1.docker.io`.
    pub fn api_host(&self) -> &str {
        if self.registry == DOCKER_HUB {
            "registry-1.docker.io"
        } else {
            &self.registry
        }
    }

    /// What to ask the manifests endpoint for: the digest when pinned, else the tag
    /// (`latest` when neither was written).
    pub fn manifest_reference(&self) -> String {
        match (&self.digest, &self.tag) {
            (Some(d), _) => d.to_string(),
            (None, Some(t)) => t.clone(),
            (None, None) => "latest".to_string(),
        }
    }
}

impl fmt::Display for ImageReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

impl FromStr for ImageReference {
    type Err = ImageError;

    fn from_str(text: &str) -> Result<Self, ImageError> {
        let err = |reason: &str| ImageError::Reference {
            reference: text.to_string(),
            reason: reason.to_string(),
        };
        if text.is_empty() || text.len() > 1024 || text.chars().any(char::is_whitespace) {
            return Err(err("empty, too long, or contains whitespace"));
        }
        let (rest, digest) = match text.split_once('@') {
            Some((rest, d)) => (rest, Some(Digest::parse(d)?)),
            None => (text, None),
        };
        // A tag is after the last ':' that follows the last '/' (a registry port is before it).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            None => (rest, None),
        };
        if let Some(tag) = &tag
            && (tag.is_empty()
                || tag.len() > 128
                || tag.starts_with(['.', '-'])
                || !tag
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        {
            return Err(err("invalid tag"));
        }
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), rest.to_string())
            }
            _ => (DOCKER_HUB.to_string(), name.to_string()),
        };
        let registry = if registry == "index.docker.io" {
            DOCKER_HUB.to_string()
        } else {
            registry
        };
        let repository = if registry == DOCKER_HUB && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository
        };
        let valid_component = |c: &str| {
            !c.is_empty()
                && c.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
                })
                && c.as_bytes()[0].is_ascii_alphanumeric()
                && c.as_bytes()[c.len() - 1].is_ascii_alphanumeric()
        };
        if !repository.split('/').all(valid_component) {
            return Err(err(
                "repository must be lowercase letters, digits and separators (. _ -) between '/'",
            ));
        }
        Ok(ImageReference {
            registry,
            repository,
            tag,
            digest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ImageReference {
        s.parse().unwrap()
    }

    #[test]
    fn normalises_docker_hub_names() {
        let r = parse("nginx:1.25");
        assert_eq!(r.to_string(), "docker.io/library/nginx:1.25");
        assert_eq!(r.api_host(), "registry-1.docker.io");
        assert_eq!(parse("bitnami/redis").manifest_reference(), "latest");
        assert_eq!(parse("bitnami/redis").repository, "bitnami/redis");
        assert_eq!(
            parse("index.docker.io/library/alpine").registry,
            "docker.io"
        );
    }

    #[test]
    fn registry_with_port_and_digest() {
        let d = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        let r = parse(&format!("127.0.0.1:5000/team/app@{d}"));
        assert_eq!(r.registry, "127.0.0.1:5000");
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag, None);
        assert_eq!(r.manifest_reference(), d);
        let r = parse("localhost/app:v1");
        assert_eq!(
            (r.registry.as_str(), r.tag.as_deref()),
            ("localhost", Some("v1"))
        );
        let r = parse("ghcr.io/o/r:1.0@".to_string().trim_end_matches('@'));
        assert_eq!(r.registry, "ghcr.io");
    }

    #[test]
    fn rejects_bad_references() {
        for bad in [
            "",
            "Nginx",
            "nginx:",
            "nginx: 1",
            "a//b",
            "nginx@sha256:xyz",
            "x:-a",
        ] {
            assert!(bad.parse::<ImageReference>().is_err(), "{bad}");
        }
    }
}
