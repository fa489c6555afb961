//! Registry credentials: explicit (`--username`/`--password`), or from Docker's
//! `config.json` (`auths`, `credHelpers`, `credsStore` via `docker-credential-<helper> get`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine as _;
use serde::Deserialize;

use crate::error::ImageError;
use crate::reference::DOCKER_HUB;

/// How to authenticate to a registry.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// User name and password (or personal access token).
    Basic { username: String, password: String },
    /// An OAuth2 refresh token (Docker's `identitytoken`), exchanged at the token endpoint.
    IdentityToken(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, password: <hidden> }}")
            }
            Credential::IdentityToken(_) => f.write_str("IdentityToken(<hidden>)"),
        }
    }
}

/// Where to look for Docker's credentials.
#[derive(Debug, Clone, Default)]
pub struct DockerConfigSource {
    /// `config.json`; default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
    pub config_path: Option<PathBuf>,
    /// Directory holding `docker-credential-*` helpers; default: found on `PATH`.
    pub helper_dir: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DockerConfig {
    #[serde(default)]
    auths: std::collections::BTreeMap<String, AuthEntry>,
    #[serde(default)]
    cred_helpers: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    creds_store: Option<String>,
}

#[derive(Deserialize, Default)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
}

#[derive(Deserialize)]
struct HelperOutput {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// `https://index.docker.io/v1/` → `docker.io`; `https://host:5000/v2/` → `host:5000`.
fn normalise_key(key: &str) -> String {
    let no_scheme = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    let host = no_scheme.split('/').next().unwrap_or(no_scheme);
    match host {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => {
            DOCKER_HUB.to_string()
        }
        other => other.to_string(),
    }
}

/// The server URL Docker stores a registry's credentials under.
fn server_url(registry: &str) -> String {
    if registry == DOCKER_HUB {
        "https://index.docker.io/v1/".to_string()
    } else {
        registry.to_string()
    }
}

impl DockerConfigSource {
    fn config_file(&self) -> Option<PathBuf> {
        if let Some(p) = &self.config_path {
            return Some(p.clone());
        }
        if let Some(dir) = std::env::var_os("DOCKER_CONFIG") {
            return Some(Path::new(&dir).join("config.json"));
        }
        std::env::var_os("HOME").map(|h| Path::new(&h).join(".docker").join("config.json"))
    }

    /// The credential Docker would use for `registry` (`docker.io`, `host:port`), if any.
    pub fn lookup(&self, registry: &str) -> Result<Option<Credential>, ImageError> {
        let Some(path) = self.config_file() else {
            return Ok(None);
        };
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(ImageError::Credentials(format!("{}: {e}", path.display())));
            }
        };
        let config: DockerConfig = serde_json::from_slice(&text).map_err(|e| {
            ImageError::Credentials(format!("{}: not valid JSON: {e}", path.display()))
        })?;
        let helper = config
            .cred_helpers
            .iter()
            .find(|(k, _)| normalise_key(k) == registry)
            .map(|(_, v)| v.clone())
            .or(config.creds_store.clone());
        if let Some(helper) = helper
            && let Some(c) = self.run_helper(&helper, registry)?
        {
            return Ok(Some(c));
        }
        let Some(entry) = config
            .auths
            .iter()
            .find(|(k, _)| normalise_key(k) == registry)
            .map(|(_, v)| v)
        else {
            return Ok(None);
        };
        let where_ = format!("{}: auths.{registry}", path.display());
        if let Some(token) = entry.identitytoken.as_ref().filter(|t| !t.is_empty()) {
            return Ok(Some(Credential::IdentityToken(token.clone())));
        }
        if let Some(auth) = entry.auth.as_ref().filter(|a| !a.is_empty()) {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(auth.trim())
                .map_err(|e| {
                    ImageError::Credentials(format!("{where_}: auth is not base64: {e}"))
                })?;
            let decoded = String::from_utf8(decoded)
                .map_err(|_| ImageError::Credentials(format!("{where_}: auth is not UTF-8")))?;
            let (username, password) = decoded.split_once(':').ok_or_else(|| {
                ImageError::Credentials(format!("{where_}: auth is not USER:PASSWORD"))
            })?;
            return Ok(Some(Credential::Basic {
                username: username.to_string(),
                password: password.to_string(),
            }));
        }
        match (&entry.username, &entry.password) {
            (Some(u), Some(p)) => Ok(Some(Credential::Basic {
                username: u.clone(),
                password: p.clone(),
            })),
            _ => Ok(None),
        }
    }

    /// Runs `docker-credential-<helper> get`, the server URL on stdin.
    fn run_helper(&self, helper: &str, registry: &str) -> Result<Option<Credential>, ImageError> {
        if helper.is_empty()
            || !helper
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(ImageError::Credentials(format!(
                "invalid credential helper name {helper:?}"
            )));
        }
        let program = format!("docker-credential-{helper}");
        let program = match &self.helper_dir {
            Some(dir) => dir.join(&program),
            None => PathBuf::from(program),
        };
        let mut child = Command::new(&program)
            .arg("get")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                ImageError::Credentials(format!("cannot run {}: {e}", program.display()))
            })?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(server_url(registry).as_bytes());
        }
        let out = child
            .wait_with_output()
            .map_err(|e| ImageError::Credentials(format!("{}: {e}", program.display())))?;
        if !out.status.success() {
            let stdout = String::from_utf8_lossy(&out.stdout);
            if stdout.contains("credentials not found") {
                return Ok(None);
            }
            return Err(ImageError::Credentials(format!(
                "{} get failed ({}): {}",
                program.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        let parsed: HelperOutput = serde_json::from_slice(&out.stdout).map_err(|e| {
            ImageError::Credentials(format!("{}: unexpected output: {e}", program.display()))
        })?;
        if parsed.secret.is_empty() {
            return Ok(None);
        }
        Ok(Some(if parsed.username == "<token>" {
            Credential::IdentityToken(parsed.secret)
        } else {
            Credential::Basic {
                username: parsed.username,
                password: parsed.secret,
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn reads_auths_in_every_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode("alice:s3cret:with:colons");
        let config = write(
            dir.path(),
            "config.json",
            &format!(
                r#"{{"auths":{{"https://index.docker.io/v1/":{{"auth":"{auth}"}},"http://127.0.0.1:5000":{{"identitytoken":"tok"}},"bad.example":{{"auth":"%%%"}}}}}}"#
            ),
        );
        let source = DockerConfigSource {
            config_path: Some(config),
            helper_dir: Some(dir.path().to_path_buf()),
        };
        assert_eq!(
            source.lookup("docker.io").unwrap(),
            Some(Credential::Basic {
                username: "alice".into(),
                password: "s3cret:with:colons".into()
            })
        );
        assert_eq!(
            source.lookup("127.0.0.1:5000").unwrap(),
            Some(Credential::IdentityToken("tok".into()))
        );
        assert_eq!(source.lookup("ghcr.io").unwrap(), None);
        let err = source.lookup("bad.example").unwrap_err().to_string();
        assert!(
            err.contains("auths.bad.example") && err.contains("base64"),
            "{err}"
        );
        assert!(!format!("{:?}", source.lookup("docker.io").unwrap()).contains("s3cret"));
    }

    #[cfg(unix)]
    #[test]
    fn runs_credential_helpers() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let helper = write(
            dir.path(),
            "docker-credential-fake",
            "#!/bin/sh\nread server\nif [ \"$server\" = \"registry.example:5000\" ]; then\n  echo '{\"ServerURL\":\"x\",\"Username\":\"bob\",\"Secret\":\"pw\"}'\nelse\n  echo 'credentials not found in native keychain'; exit 1\nfi\n",
        );
        std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
        let config = write(
            dir.path(),
            "config.json",
            r#"{"credHelpers":{"registry.example:5000":"fake"},"credsStore":"fake"}"#,
        );
        let source = DockerConfigSource {
            config_path: Some(config),
            helper_dir: Some(dir.path().to_path_buf()),
        };
        assert_eq!(
            source.lookup("registry.example:5000").unwrap(),
            Some(Credential::Basic {
                username: "bob".into(),
                password: "pw".into()
            })
        );
        assert_eq!(source.lookup("docker.io").unwrap(), None);
        let missing = DockerConfigSource {
            config_path: Some(write(dir.path(), "c2.json", r#"{"credsStore":"absent"}"#)),
            helper_dir: Some(dir.path().to_path_buf()),
        };
        assert!(
            missing
                .lookup("docker.io")
                .unwrap_err()
                .to_string()
                .contains("cannot run")
        );
    }
}
