//! `.palisade.yaml`: project settings, found upward from the scan root or given by `--config`.
//!
//! Precedence is flags > `PALISADE_*` environment > this file > defaults. Unknown keys are
//! errors with file:line, so a typo never silently changes what a CI gate checks.

use std::path::{Path, PathBuf};

use anyhow::Context;
use palisade_core::Severity;
use palisade_rules::ControlParams;
use palisade_yaml::typed::from_yaml_str;
use serde::Deserialize;

/// File names looked for in each directory, in order.
pub const CONFIG_FILE_NAMES: &[&str] = &[".palisade.yaml", ".palisade.yml"];

/// A field that takes one string or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(this: Option<&Self>) -> Vec<String> {
        match this {
            None => Vec::new(),
            Some(OneOrMany::One(s)) => vec![s.clone()],
            Some(OneOrMany::Many(v)) => v.clone(),
        }
    }
}

/// The settings file. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub frameworks: Option<OneOrMany>,
    pub controls: Option<OneOrMany>,
    pub skip_controls: Option<OneOrMany>,
    pub fail_on: Option<Severity>,
    pub compliance_threshold: Option<f64>,
    pub pss_version: Option<String>,
    /// Exceptions files, relative to the settings file's directory.
    pub exceptions: Option<OneOrMany>,
    pub exclude: Option<OneOrMany>,
    pub include_namespaces: Option<OneOrMany>,
    pub exclude_namespaces: Option<OneOrMany>,
    /// Look up image signatures in registries (`--verify-signatures`).
    pub verify_signatures: Option<bool>,
    /// Trusted cosign public keys, relative to the settings file's directory (`--cosign-key`).
    pub cosign_keys: Option<OneOrMany>,
    /// Control parameters (allowed registries, sensitive names, …).
    #[serde(default)]
    pub parameters: ControlParams,
}

/// A settings file and where it was read from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub file: ConfigFile,
}

impl LoadedConfig {
    /// Resolves a path written in the file against the file's directory.
    pub fn relative(&self, written: &str) -> PathBuf {
        let written = Path::new(written);
        if written.is_absolute() {
            written.to_path_buf()
        } else {
            self.path
                .parent()
                .unwrap_or_else(|| Path::new("."))
                .join(written)
        }
    }
}

/// Reads the settings file at `path`.
pub fn load(path: &Path) -> anyhow::Result<LoadedConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read settings file {}", path.display()))?;
    let file: ConfigFile =
        from_yaml_str(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
    if let Some(threshold) = file.compliance_threshold
        && !(0.0..=100.0).contains(&threshold)
    {
        anyhow::bail!(
            "{}: compliance-threshold must be between 0 and 100, got {threshold}",
            path.display()
        );
    }
    Ok(LoadedConfig {
        path: path.to_path_buf(),
        file,
    })
}

/// Finds the settings file for a scan of `root`: the nearest `.palisade.yaml` in `root` (or
/// its directory, for a file) and its ancestors.
pub fn discover(root: &Path) -> Option<PathBuf> {
    let start = if root.is_dir() {
        root.to_path_buf()
    } else {
        root.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let start = std::path::absolute(&start).unwrap_or(start);
    start.ancestors().find_map(|dir| {
        CONFIG_FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key_and_rejects_unknown_ones_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".palisade.yaml");
        std::fs::write(
            &path,
            "frameworks: [nsa, cis]\nfail-on: high\ncompliance-threshold: 80\nexceptions: ex.yaml\nparameters:\n  allowed-registries: [ghcr.io/acme]\n",
        )
        .unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(
            OneOrMany::to_vec(loaded.file.frameworks.as_ref()),
            ["nsa", "cis"]
        );
        assert_eq!(loaded.file.fail_on, Some(Severity::High));
        assert_eq!(loaded.file.parameters.allowed_registries, ["ghcr.io/acme"]);
        assert_eq!(loaded.relative("ex.yaml"), dir.path().join("ex.yaml"));

        std::fs::write(
            &path,
            "fail-on: high\nparameters:\n  alowed-registries: [x]\n",
        )
        .unwrap();
        let error = load(&path).unwrap_err().to_string();
        assert!(error.contains(".palisade.yaml:3:"), "{error}");
        assert!(error.contains("alowed-registries"), "{error}");

        std::fs::write(&path, "compliance-threshold: 180\n").unwrap();
        assert!(
            load(&path)
                .unwrap_err()
                .to_string()
                .contains("between 0 and 100")
        );
    }

    #[test]
    fn discovery_walks_up_from_the_scan_root() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.path().join(".palisade.yml"), "fail-on: low\n").unwrap();
        std::fs::write(nested.join("pod.yaml"), "").unwrap();
        let found = discover(&nested.join("pod.yaml")).unwrap();
        assert!(found.ends_with(".palisade.yml"), "{}", found.display());
        std::fs::write(nested.join(".palisade.yaml"), "").unwrap();
        assert!(discover(&nested).unwrap().starts_with(&nested));
    }
}
