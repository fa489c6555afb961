//! Flags for rendering Helm charts during `scan`.

use std::path::PathBuf;

use clap::Args;
use palisade_render::helm::HelmOptions;
use palisade_scan::RenderSettings;

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Helm charts")]
pub struct RenderArgs {
    /// The helm binary (Helm 3 or 4); default `helm` on PATH.
    #[arg(long, value_name = "PATH", env = "PALISADE_HELM_BIN")]
    pub helm_bin: Option<PathBuf>,
    /// Values file for every chart (repeatable; later files win). `-f` is `--format` here.
    #[arg(long = "values", alias = "helm-values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// Set a chart value: key=value (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Set a chart value as a string: key=value (repeatable).
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// Release name charts are rendered with.
    #[arg(long, value_name = "NAME", default_value = "release")]
    pub release_name: String,
    /// Namespace charts are rendered into.
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// Kubernetes version charts see as `.Capabilities.KubeVersion` (e.g. 1.30).
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// Skip charts with a warning when helm is not installed, instead of failing.
    #[arg(long)]
    pub skip_unrenderable: bool,
}

impl RenderArgs {
    pub fn settings(&self) -> RenderSettings {
        RenderSettings {
            helm: HelmOptions {
                helm_bin: self.helm_bin.clone(),
                values: self.values.clone(),
                set: self.set.clone(),
                set_string: self.set_string.clone(),
                release_name: self.release_name.clone(),
                namespace: self.namespace.clone(),
                kube_version: self.kube_version.clone(),
            },
            skip_unrenderable: self.skip_unrenderable,
        }
    }
}
