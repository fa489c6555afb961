//! A small parser for container image references (`[registry/]repository[:tag][@digest]`),
//! with Docker Hub's implicit names spelled out: `nginx` is `docker.io/library/nginx`.

/// Docker Hub, as references name it after normalisation.
pub(crate) const DOCKER_HUB: &str = "docker.io";

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    /// Registry host (with port), lower-cased; `docker.io` when the reference names none.
    pub registry: String,
    /// Repository path inside the registry; Docker Hub's official images get `library/`.
    pub repository: String,
    pub tag: Option<&'a str>,
    /// `algorithm:hex`, e.g. `sha256:…`.
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    /// Parses `reference`; `None` for an empty or blank string.
    pub fn parse(reference: &'a str) -> Option<ImageRef<'a>> {
        let reference = reference.trim();
        if reference.is_empty() {
            return None;
        }
        let (name, digest) = match reference.split_once('@') {
            Some((name, digest)) => (name, Some(digest).filter(|d| !d.is_empty())),
            None => (reference, None),
        };
        // A tag's colon comes after the last slash; a colon before it is a registry port.
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name[last_slash..].rfind(':') {
            Some(i) => {
                let colon = last_slash + i;
                (
                    &name[..colon],
                    Some(&name[colon + 1..]).filter(|t| !t.is_empty()),
                )
            }
            None => (name, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest)) if is_registry_host(first) => (first.to_ascii_lowercase(), rest),
            _ => (DOCKER_HUB.to_string(), name),
        };
        let registry = match registry.as_str() {
            "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => {
                DOCKER_HUB.to_string()
            }
            _ => registry,
        };
        let repository = if registry == DOCKER_HUB && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository.to_string()
        };
        Some(ImageRef {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// `registry/repository`, e.g. `docker.io/library/nginx`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The last path segment of the repository (`controller` for `ingress-nginx/controller`).
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }

    /// True when this image lives under `prefix`: a registry (`ghcr.io`), a registry and
    /// path (`ghcr.io/acme`), or a full repository. Matching is by whole path segments, so
    /// `ghcr.io/acme` does not cover `ghcr.io/acme-evil`. Docker Hub prefixes may be written
    /// the short way (`library/nginx`, `bitnami`) or with `docker.io/`.
    pub fn is_under(&self, prefix: &str) -> bool {
        let prefix = normalize_prefix(prefix);
        if prefix.is_empty() {
            return false;
        }
        let name = self.name();
        name == prefix
            || name
                .strip_prefix(&prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// True when the first path component of a reference names a registry rather than a Docker
/// Hub namespace: it has a dot or a port, or is `localhost`.
fn is_registry_host(component: &str) -> bool {
    component.contains('.') || component.contains(':') || component == "localhost"
}

/// A registry prefix from the user's configuration in the form [`ImageRef::name`] uses:
/// no scheme, no trailing slash, lower-case host, Docker Hub spelled `docker.io`.
fn normalize_prefix(prefix: &str) -> String {
    let prefix = prefix.trim();
    let prefix = prefix
        .strip_prefix("https://")
        .or_else(|| prefix.strip_prefix("http://"))
        .unwrap_or(prefix)
        .trim_end_matches('/');
    let (first, rest) = match prefix.split_once('/') {
        Some((first, rest)) => (first, Some(rest)),
        None => (prefix, None),
    };
    if is_registry_host(first) {
        let host = match first.to_ascii_lowercase().as_str() {
            "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => {
                DOCKER_HUB.to_string()
            }
            other => other.to_string(),
        };
        match rest {
            Some(rest) => format!("{host}/{rest}"),
            None => host,
        }
    } else {
        // A bare Docker Hub namespace or repository: `bitnami`, `library/nginx`.
        format!("{DOCKER_HUB}/{prefix}")
    }
}

/// The `major.minor.patch` numbers at the start of a tag (`v2.1.8`, `9.2.3-ubuntu`,
/// `1.8`), missing parts read as 0. `None` when the tag does not start with a number.
pub(crate) fn tag_version(tag: &str) -> Option<(u64, u64, u64)> {
    let tag = tag.strip_prefix(['v', 'V']).unwrap_or(tag);
    let core = tag.split(['-', '+', '_']).next().unwrap_or(tag);
    let mut parts = core.split('.');
    let mut next = |required: bool| -> Option<u64> {
        match parts.next() {
            Some(p) => p.parse().ok(),
            None if required => None,
            None => Some(0),
        }
    };
    let version = (next(true)?, next(false)?, next(false)?);
    parts.next().is_none().then_some(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ImageRef<'_> {
        ImageRef::parse(s).unwrap()
    }

    #[test]
    fn docker_hub_names_are_spelled_out() {
        let nginx = parse("nginx");
        assert_eq!(nginx.registry, "docker.io");
        assert_eq!(nginx.repository, "library/nginx");
        assert_eq!(nginx.tag, None);
        assert_eq!(nginx.digest, None);
        assert_eq!(parse("bitnami/redis:7.2").name(), "docker.io/bitnami/redis");
        assert_eq!(
            parse("index.docker.io/library/nginx:1.25").name(),
            "docker.io/library/nginx"
        );
        assert_eq!(parse("docker.io/nginx").repository, "library/nginx");
    }

    #[test]
    fn registries_ports_tags_and_digests() {
        let r = parse("registry.example.com:5000/team/app:1.2.3");
        assert_eq!(r.registry, "registry.example.com:5000");
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag, Some("1.2.3"));

        let r = parse("localhost/app");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str()),
            ("localhost", "app")
        );

        let r = parse("localhost:5000/app:dev");
        assert_eq!(r.registry, "localhost:5000");
        assert_eq!(r.tag, Some("dev"));

        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let pinned = format!("ghcr.io/acme/app:1.0@{digest}");
        let r = parse(&pinned);
        assert_eq!(r.registry, "ghcr.io");
        assert_eq!(r.tag, Some("1.0"));
        assert_eq!(r.digest, Some(digest));

        let only_digest = format!("GHCR.IO/acme/app@{digest}");
        let r = parse(&only_digest);
        assert_eq!(r.registry, "ghcr.io");
        assert_eq!(r.tag, None);
        assert_eq!(r.digest, Some(digest));
    }

    #[test]
    fn odd_references() {
        assert!(ImageRef::parse("").is_none());
        assert!(ImageRef::parse("   ").is_none());
        assert_eq!(parse("app:").tag, None);
        assert_eq!(parse("app@").digest, None);
        assert_eq!(parse("a/b/c/d:e").repository, "a/b/c/d");
        assert_eq!(parse("a/b/c/d:e").registry, "docker.io");
    }

    #[test]
    fn prefixes_match_whole_segments() {
        let image = parse("ghcr.io/acme/app:1.0");
        assert!(image.is_under("ghcr.io"));
        assert!(image.is_under("ghcr.io/acme"));
        assert!(image.is_under("https://GHCR.io/acme/"));
        assert!(image.is_under("ghcr.io/acme/app"));
        assert!(!image.is_under("ghcr.io/ac"));
        assert!(!image.is_under("ghcr.io/acme/app-evil"));
        assert!(!image.is_under(""));

        let nginx = parse("nginx:1.25");
        assert!(nginx.is_under("docker.io"));
        assert!(nginx.is_under("docker.io/library"));
        assert!(nginx.is_under("library/nginx"));
        assert!(nginx.is_under("index.docker.io"));
        assert!(!nginx.is_under("bitnami"));
        assert!(parse("bitnami/redis").is_under("bitnami"));
    }

    #[test]
    fn versions_from_tags() {
        assert_eq!(tag_version("v2.1.8"), Some((2, 1, 8)));
        assert_eq!(tag_version("9.2.3-ubuntu"), Some((9, 2, 3)));
        assert_eq!(tag_version("1.8"), Some((1, 8, 0)));
        assert_eq!(tag_version("v1"), Some((1, 0, 0)));
        assert_eq!(tag_version("latest"), None);
        assert_eq!(tag_version("1.2.3.4"), None);
        assert_eq!(tag_version("v1.x"), None);
    }
}
