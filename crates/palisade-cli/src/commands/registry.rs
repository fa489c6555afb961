//! How commands reach registries: the flags `image`, `sbom`, `scan --verify-signatures` and
//! `verify` share.

use clap::Args;
use palisade_image::source::RegistryOptions;
use palisade_image::source::auth::Credential;

#[derive(Debug, Clone, Default, Args)]
pub struct RegistryArgs {
    /// Registry user name (else Docker's config.json, else anonymous).
    #[arg(long, env = "PALISADE_REGISTRY_USERNAME", requires = "password")]
    pub username: Option<String>,
    /// Registry password or token.
    #[arg(long, env = "PALISADE_REGISTRY_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Registry (`host` or `host:port`) to reach over plain HTTP (repeatable).
    #[arg(long = "insecure-registry", value_name = "HOST")]
    pub insecure_registries: Vec<String>,
}

impl RegistryArgs {
    pub fn options(&self) -> RegistryOptions {
        RegistryOptions {
            credential: match (&self.username, &self.password) {
                (Some(username), Some(password)) => Some(Credential::Basic {
                    username: username.clone(),
                    password: password.clone(),
                }),
                _ => None,
            },
            insecure_registries: self.insecure_registries.clone(),
            ..RegistryOptions::default()
        }
    }
}
