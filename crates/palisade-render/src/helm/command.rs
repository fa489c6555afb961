//! Finding and running the `helm` binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::HelmError;

/// What `helm template` is run with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmOptions {
    /// The binary; else `helm` on `PATH`.
    pub helm_bin: Option<PathBuf>,
    /// `--values` files, in order (later ones win, as in helm).
    pub values: Vec<PathBuf>,
    /// `--set key=value`.
    pub set: Vec<String>,
    /// `--set-string key=value`.
    pub set_string: Vec<String>,
    pub release_name: String,
    pub namespace: Option<String>,
    /// `--kube-version` (`1.29`, `v1.29.0`): what `.Capabilities.KubeVersion` reports.
    pub kube_version: Option<String>,
}

impl Default for HelmOptions {
    fn default() -> Self {
        HelmOptions {
            helm_bin: None,
            values: Vec::new(),
            set: Vec::new(),
            set_string: Vec::new(),
            release_name: "release".to_string(),
            namespace: None,
            kube_version: None,
        }
    }
}

/// The helm binary to use: `options.helm_bin`, else the first `helm` on `PATH`.
pub fn find_helm(options: &HelmOptions, chart: &Path) -> Result<PathBuf, HelmError> {
    if let Some(bin) = &options.helm_bin {
        if bin.is_file() {
            return Ok(bin.clone());
        }
        return Err(HelmError::NotInstalled {
            chart: chart.display().to_string(),
            searched: format!(" at {}", bin.display()),
        });
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("helm"))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| HelmError::NotInstalled {
            chart: chart.display().to_string(),
            searched: " on PATH".to_string(),
        })
}

/// Runs `helm template` and returns its standard output.
pub(crate) fn template(
    helm: &Path,
    chart: &Path,
    options: &HelmOptions,
) -> Result<String, HelmError> {
    let mut command = Command::new(helm);
    command
        .arg("template")
        .arg(&options.release_name)
        .arg(chart)
        // CRDs are deployed objects too; chart tests are not (they run on `helm test`).
        .arg("--include-crds")
        .arg("--skip-tests");
    for file in &options.values {
        command.arg("--values").arg(file);
    }
    for value in &options.set {
        command.arg("--set").arg(value);
    }
    for value in &options.set_string {
        command.arg("--set-string").arg(value);
    }
    if let Some(namespace) = &options.namespace {
        command.arg("--namespace").arg(namespace);
    }
    if let Some(version) = &options.kube_version {
        command.arg("--kube-version").arg(version);
    }
    // Helm must not reach a cluster or a repository while rendering.
    command
        .env("HELM_KUBECONTEXT", "")
        .env("KUBECONFIG", "/dev/null");
    let output = command.output().map_err(|source| HelmError::Spawn {
        helm: helm.display().to_string(),
        source,
    })?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let message = error_message(&stderr);
    Err(HelmError::Template {
        chart: chart.display().to_string(),
        location: error_location(&message),
        message,
    })
}

/// Helm's error without the `Error:` prefix and the `--debug` advice, on one line.
fn error_message(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Use --debug flag"))
        .collect();
    let text = lines.join(" ");
    let text = text.strip_prefix("Error: ").unwrap_or(&text);
    if text.is_empty() {
        "helm exited with an error and no message".to_string()
    } else {
        text.to_string()
    }
}

/// The template (`chart/templates/x.yaml`) and line helm names: `x.yaml:12:20` in template
/// errors, `YAML parse error on x.yaml: … line 5: …` in output that is not YAML.
fn error_location(message: &str) -> Option<(String, u32, u32)> {
    if let Some(rest) = message.split("YAML parse error on ").nth(1) {
        let path = rest.split(':').next()?.trim().to_string();
        let line = rest
            .split("line ")
            .nth(1)
            .and_then(|l| l.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        return Some((path, line, 1));
    }
    message.split_whitespace().find_map(|token| {
        let token = token.trim_start_matches("template:");
        let mut parts = token.trim_end_matches(':').split(':');
        let path = parts.next()?;
        let is_template = [".yaml", ".yml", ".tpl", ".txt", ".json"]
            .iter()
            .any(|ext| path.ends_with(ext));
        let line: u32 = parts.next()?.parse().ok()?;
        let column: u32 = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
        (is_template && path.contains('/')).then(|| (path.to_string(), line, column))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_errors_of_helm_3_and_4_name_the_template() {
        let v4 = "Error: app/templates/bad.yaml:1:13\n  executing \"app/templates/bad.yaml\" at <.Values.nope.deeper>:\n    nil pointer evaluating interface {}.deeper\n\nUse --debug flag to render out invalid YAML\n";
        let message = error_message(v4);
        assert!(message.starts_with("app/templates/bad.yaml:1:13 executing"));
        assert_eq!(
            error_location(&message),
            Some(("app/templates/bad.yaml".to_string(), 1, 13))
        );
        let v3 = "Error: template: app/templates/bad.yaml:7:3: executing \"app/templates/bad.yaml\" at <.Values.x>: nil pointer\n";
        assert_eq!(
            error_location(&error_message(v3)),
            Some(("app/templates/bad.yaml".to_string(), 7, 3))
        );
    }

    #[test]
    fn yaml_errors_name_the_template_and_rendered_line() {
        let text = "Error: YAML parse error on app/templates/cm.yaml: error converting YAML to JSON: yaml: line 4: did not find expected node content";
        assert_eq!(
            error_location(&error_message(text)),
            Some(("app/templates/cm.yaml".to_string(), 4, 1))
        );
    }

    #[test]
    fn errors_without_a_template_have_no_location() {
        let text = "Error: found in Chart.yaml, but missing in charts/ directory: redis";
        assert_eq!(error_location(&error_message(text)), None);
    }
}
