//! The OCI distribution API client: manifests and blobs over HTTPS (HTTP only for registries
//! the user lists as insecure), the anonymous or credentialed bearer-token flow, basic auth,
//! retries with backoff, and digest verification of everything fetched.

use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;

use serde::Deserialize;
use ureq::Agent;
use ureq::http::Response;

use super::auth::{Credential, DockerConfigSource};
use super::{BlobSource, LayerBlob, OpenedImage, ResolvedImage};
use crate::digest::{Digest, VerifyingReader};
use crate::error::ImageError;
use crate::manifest::{
    ImageConfig, MANIFEST_ACCEPT, MAX_METADATA_BYTES, ManifestKind, Platform, parse_manifest,
    select_platform,
};
use crate::reference::ImageReference;

/// How to reach and authenticate to a registry.
#[derive(Debug, Clone)]
pub struct RegistryOptions {
    /// Explicit credentials (`--username`/`--password`); when absent, Docker's config is used.
    pub credential: Option<Credential>,
    pub docker_config: DockerConfigSource,
    /// Registries (`host` or `host:port`) reached over plain HTTP. Nothing else is, not even
    /// `localhost`.
    pub insecure_registries: Vec<String>,
    /// Attempts per request on connection errors, 429 and 5xx answers.
    pub attempts: u32,
    /// First backoff delay; doubled on each retry.
    pub backoff: Duration,
    pub timeout: Duration,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        RegistryOptions {
            credential: None,
            docker_config: DockerConfigSource::default(),
            insecure_registries: Vec::new(),
            attempts: 4,
            backoff: Duration::from_millis(250),
            timeout: Duration::from_mins(5),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Authorization {
    None,
    Basic(String),
    Bearer(String),
}

/// A client for one repository of one registry.
pub struct RegistryClient {
    agent: Agent,
    reference: ImageReference,
    base: String,
    credential: Option<Credential>,
    authorization: Mutex<Authorization>,
    options: RegistryOptions,
}

impl std::fmt::Debug for RegistryClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
}

/// A parsed `WWW-Authenticate` challenge.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Challenge {
    scheme: String,
    params: Vec<(String, String)>,
}

impl Challenge {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses `Bearer realm="…",service="…",scope="…"` (quoted values may contain commas).
pub(crate) fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
    if scheme.is_empty() {
        return None;
    }
    let mut params = Vec::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let key: String =
            std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',')).collect();
        if key.is_empty() {
            break;
        }
        if chars.next() != Some('=') {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            value.push(n);
                        }
                    }
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = std::iter::from_fn(|| chars.next_if(|c| *c != ',')).collect();
        }
        params.push((key.trim().to_string(), value.trim().to_string()));
    }
    Some(Challenge {
        scheme: scheme.to_ascii_lowercase(),
        params,
    })
}

fn percent_encode(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn basic_header(username: &str, password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
    )
}

fn retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

fn retryable_error(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound
            | ureq::Error::Protocol(_)
            | ureq::Error::BodyStalled
    )
}

impl RegistryClient {
    /// A client for `reference`'s repository. Credentials: `options.credential`, else Docker's
    /// config for the registry, else anonymous.
    pub fn new(reference: &ImageReference, options: RegistryOptions) -> Result<Self, ImageError> {
        let host = reference.api_host().to_string();
        let insecure = options.insecure_registries.iter().any(|r| {
            r == &reference.registry || r == &host || host.split(':').next().is_some_and(|h| h == r)
        });
        let scheme = if insecure { "http" } else { "https" };
        let credential = match &options.credential {
            Some(c) => Some(c.clone()),
            None => options.docker_config.lookup(&reference.registry)?,
        };
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .https_only(!insecure)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_global(Some(options.timeout))
            .user_agent(concat!("palisade/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(RegistryClient {
            agent,
            reference: reference.clone(),
            base: format!("{scheme}://{host}/v2/{}", reference.repository),
            credential,
            authorization: Mutex::new(Authorization::None),
            options,
        })
    }

    fn registry_error(&self, reason: impl Into<String>) -> ImageError {
        ImageError::Registry {
            registry: self.reference.registry.clone(),
            reason: reason.into(),
        }
    }

    fn current_authorization(&self) -> Authorization {
        self.authorization
            .lock()
            .map_or(Authorization::None, |a| a.clone())
    }

    /// GET with retries and the authentication dance; returns a 2xx response.
    fn get(&self, url: &str, accept: Option<&str>) -> Result<Response<ureq::Body>, ImageError> {
        self.get_if_present(url, accept)?.ok_or_else(|| {
            self.registry_error(format!("{} not found (404 for {url})", self.reference))
        })
    }

    /// [`Self::get`], with `None` for a 404.
    fn get_if_present(
        &self,
        url: &str,
        accept: Option<&str>,
    ) -> Result<Option<Response<ureq::Body>>, ImageError> {
        let mut authenticated_once = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self.agent.get(url);
            if let Some(a) = accept {
                request = request.header("Accept", a);
            }
            match self.current_authorization() {
                Authorization::None => {}
                Authorization::Basic(h) => request = request.header("Authorization", h),
                Authorization::Bearer(t) => {
                    request = request.header("Authorization", format!("Bearer {t}"));
                }
            }
            let response = match request.call() {
                Ok(r) => r,
                Err(e) if retryable_error(&e) && attempt < self.options.attempts => {
                    tracing::debug!(%url, error = %e, attempt, "retrying");
                    self.sleep(attempt);
                    continue;
                }
                Err(e) => return Err(self.registry_error(format!("GET {url}: {e}"))),
            };
            let status = response.status().as_u16();
            match status {
                200..=299 => return Ok(Some(response)),
                401 if !authenticated_once => {
                    authenticated_once = true;
                    let header = response
                        .headers()
                        .get("www-authenticate")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    self.authenticate(&header)?;
                }
                401 | 403 => {
                    return Err(ImageError::Auth {
                        registry: self.reference.registry.clone(),
                        reason: format!(
                            "{status} for {url}{}",
                            if self.credential.is_some() {
                                " with the configured credentials"
                            } else {
                                " (anonymous; give --username/--password or docker login)"
                            }
                        ),
                    });
                }
                s if retryable_status(s) && attempt < self.options.attempts => {
                    tracing::debug!(%url, status = s, attempt, "retrying");
                    self.sleep(attempt);
                }
                404 => return Ok(None),
                s => return Err(self.registry_error(format!("GET {url}: HTTP {s}"))),
            }
        }
    }

    fn sleep(&self, attempt: u32) {
        let factor = 1u32 << attempt.saturating_sub(1).min(6);
        std::thread::sleep(self.options.backoff.saturating_mul(factor));
    }

    /// Answers a 401 challenge: basic credentials, or a bearer token from the realm.
    fn authenticate(&self, header: &str) -> Result<(), ImageError> {
        let auth_err = |reason: String| ImageError::Auth {
            registry: self.reference.registry.clone(),
            reason,
        };
        let challenge = parse_challenge(header)
            .ok_or_else(|| auth_err(format!("401 without a usable challenge ({header:?})")))?;
        let new = match challenge.scheme.as_str() {
            "basic" => match &self.credential {
                Some(Credential::Basic { username, password }) => {
                    Authorization::Basic(basic_header(username, password))
                }
                _ => {
                    return Err(auth_err(
                        "401 Unauthorized: the registry requires a user name and password \
                         (--username/--password or docker login)"
                            .into(),
                    ));
                }
            },
            "bearer" => Authorization::Bearer(self.fetch_token(&challenge)?),
            other => {
                return Err(auth_err(format!(
                    "unsupported authentication scheme {other}"
                )));
            }
        };
        if let Ok(mut a) = self.authorization.lock() {
            *a = new;
        }
        Ok(())
    }

    fn fetch_token(&self, challenge: &Challenge) -> Result<String, ImageError> {
        let auth_err = |reason: String| ImageError::Auth {
            registry: self.reference.registry.clone(),
            reason,
        };
        let realm = challenge
            .param("realm")
            .ok_or_else(|| auth_err("bearer challenge without realm".into()))?;
        if !(realm.starts_with("https://") || realm.starts_with("http://")) {
            return Err(auth_err(format!(
                "token realm {realm:?} is not an HTTP URL"
            )));
        }
        let realm_insecure = realm.starts_with("http://");
        if realm_insecure && self.base.starts_with("https://") {
            return Err(auth_err(format!(
                "refusing to send credentials to plain-HTTP token realm {realm}"
            )));
        }
        let service = challenge.param("service").unwrap_or_default();
        let scope = challenge.param("scope").map_or_else(
            || format!("repository:{}:pull", self.reference.repository),
            str::to_string,
        );
        let response = match &self.credential {
            Some(Credential::IdentityToken(refresh)) => self.agent.post(realm).send_form([
                ("grant_type", "refresh_token"),
                ("service", service),
                ("scope", scope.as_str()),
                ("client_id", "palisade"),
                ("refresh_token", refresh.as_str()),
            ]),
            other => {
                let sep = if realm.contains('?') { '&' } else { '?' };
                let url = format!(
                    "{realm}{sep}service={}&scope={}",
                    percent_encode(service),
                    percent_encode(&scope)
                );
                let mut request = self.agent.get(&url);
                if let Some(Credential::Basic { username, password }) = other {
                    request = request.header("Authorization", basic_header(username, password));
                }
                request.call()
            }
        };
        let mut response =
            response.map_err(|e| auth_err(format!("token request to {realm} failed: {e}")))?;
        let status = response.status().as_u16();
        if !(200..=299).contains(&status) {
            return Err(auth_err(format!(
                "token endpoint {realm} answered HTTP {status}"
            )));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_METADATA_BYTES)
            .read_to_vec()
            .map_err(|e| auth_err(format!("token response: {e}")))?;
        let token: TokenResponse = serde_json::from_slice(&body)
            .map_err(|e| auth_err(format!("token response is not JSON: {e}")))?;
        token
            .token
            .or(token.access_token)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| auth_err("token response without a token".into()))
    }

    fn read_small(
        &self,
        mut response: Response<ureq::Body>,
        what: &str,
    ) -> Result<Vec<u8>, ImageError> {
        response
            .body_mut()
            .with_config()
            .limit(MAX_METADATA_BYTES)
            .read_to_vec()
            .map_err(|e| self.registry_error(format!("{what}: {e}")))
    }

    /// Fetches a manifest (or index) by tag or digest; returns bytes, served type and digest.
    fn manifest(&self, reference: &str) -> Result<(Vec<u8>, Option<String>, Digest), ImageError> {
        let url = format!("{}/manifests/{reference}", self.base);
        let response = self.get(&url, Some(MANIFEST_ACCEPT))?;
        let served = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let what = format!("manifest {reference}");
        let bytes = self.read_small(response, &what)?;
        let digest = if reference.starts_with("sha256:") {
            let d = Digest::parse(reference)?;
            d.verify(&what, &bytes)?;
            d
        } else {
            Digest::of(&bytes)
        };
        Ok((bytes, served, digest))
    }

    /// The digest of the manifest (or index) the reference names, as the registry serves it:
    /// what `docker pull` resolves a tag to, and what cosign signs.
    pub fn manifest_digest(&self) -> Result<Digest, ImageError> {
        if let Some(digest) = &self.reference.digest {
            return Ok(digest.clone());
        }
        let (_, _, digest) = self.manifest(&self.reference.manifest_reference())?;
        Ok(digest)
    }

    /// The manifest at `tag` in this repository, or `None` when the registry has none.
    pub fn manifest_if_present(&self, tag: &str) -> Result<Option<Vec<u8>>, ImageError> {
        let url = format!("{}/manifests/{tag}", self.base);
        match self.get_if_present(&url, Some(MANIFEST_ACCEPT))? {
            Some(response) => self
                .read_small(response, &format!("manifest {tag}"))
                .map(Some),
            None => Ok(None),
        }
    }

    /// A small blob (a config or a signature payload), checked against its digest.
    pub fn small_blob(&self, digest: &Digest) -> Result<Vec<u8>, ImageError> {
        let what = format!("blob {digest}");
        let bytes = self.read_small(self.blob(digest)?, &what)?;
        digest.verify(&what, &bytes)?;
        Ok(bytes)
    }

    fn blob(&self, digest: &Digest) -> Result<Response<ureq::Body>, ImageError> {
        self.get(&format!("{}/blobs/{digest}", self.base), None)
    }

    /// Resolves the reference (through an index by `platform`) and reads the config.
    pub fn open(self, platform: &Platform) -> Result<OpenedImage, ImageError> {
        let (mut bytes, mut served, mut digest) =
            self.manifest(&self.reference.manifest_reference())?;
        let mut depth = 0;
        let manifest = loop {
            let what = format!("{} manifest {digest}", self.reference);
            match parse_manifest(&bytes, served.as_deref(), &what)? {
                ManifestKind::Image(m) => break m,
                ManifestKind::Index(index) => {
                    depth += 1;
                    if depth > 3 {
                        return Err(ImageError::format(what, "indexes nested too deeply"));
                    }
                    let pick = select_platform(&index, platform, &what)?.clone();
                    (bytes, served, digest) = self.manifest(&pick.digest)?;
                }
            }
        };
        let config_digest = manifest.config.parsed_digest()?;
        if manifest.config.size > MAX_METADATA_BYTES {
            return Err(self.registry_error("image config larger than allowed"));
        }
        let what = format!("config {config_digest}");
        let config_bytes = self.read_small(self.blob(&config_digest)?, &what)?;
        config_digest.verify(&what, &config_bytes)?;
        let config = ImageConfig::parse(&config_bytes, &what)?;
        let layers = super::layout::layer_blobs(&manifest.layers, &config, &what)?;
        let image = ResolvedImage {
            name: self.reference.to_string(),
            manifest_digest: Some(digest),
            config_digest,
            config,
            layers,
        };
        Ok(OpenedImage {
            image,
            blobs: Box::new(self),
        })
    }
}

impl BlobSource for RegistryClient {
    fn open_layer(
        &self,
        layer: &LayerBlob,
        index: usize,
    ) -> Result<Box<dyn Read + '_>, ImageError> {
        let digest = layer
            .blob_digest
            .clone()
            .ok_or_else(|| self.registry_error("layer without digest"))?;
        let response = self.blob(&digest)?;
        let reader = response.into_body().into_reader();
        Ok(Box::new(VerifyingReader::new(
            std::io::BufReader::with_capacity(256 * 1024, reader),
            digest.clone(),
            layer.size,
            format!("layer {index} ({digest})"),
        )))
    }
}

#[cfg(test)]
mod tests;
