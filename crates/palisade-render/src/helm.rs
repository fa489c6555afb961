//! Helm charts rendered with a real `helm template` (Helm 3 or 4), split per template, each
//! rendered template paired with the template file it came from so findings can point there.
//!
//! Palisade does not reimplement Helm's template engine: charts are code (Go templates, Sprig,
//! `lookup`, subchart values), and only Helm renders them exactly as a cluster would receive
//! them. What is added here is the way back from a rendered object to the template line.

mod command;
mod locate;
mod sources;

use std::path::{Path, PathBuf};

pub use command::{HelmOptions, find_helm};
pub use locate::{TemplateSpot, locate};
pub use sources::{RenderedTemplate, TemplateFile};

/// Why a chart could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum HelmError {
    #[error(
        "cannot render Helm chart {chart}: no `helm` binary found{searched}. Install Helm 3 or 4 \
         (https://helm.sh/docs/intro/install/, or your package manager), pass --helm-bin PATH, \
         or use --skip-unrenderable to skip charts"
    )]
    NotInstalled { chart: String, searched: String },
    #[error("cannot run {helm}: {source}")]
    Spawn {
        helm: String,
        source: std::io::Error,
    },
    /// `helm template` failed: a template error, a missing dependency, invalid values.
    #[error("helm template failed for {chart}: {message}")]
    Template {
        chart: String,
        message: String,
        /// The template file and line helm's message names, when it names one.
        location: Option<(String, u32, u32)>,
    },
    #[error("{path}: {message}")]
    Read { path: String, message: String },
}

/// A chart given to Palisade: a directory with `Chart.yaml`, or a packaged `.tgz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartInput {
    Directory(PathBuf),
    Packaged(PathBuf),
}

impl ChartInput {
    pub fn path(&self) -> &Path {
        match self {
            ChartInput::Directory(p) | ChartInput::Packaged(p) => p,
        }
    }
}

/// True for a chart directory (it has a `Chart.yaml`).
pub fn is_chart_dir(dir: &Path) -> bool {
    dir.join("Chart.yaml").is_file()
}

/// True for a file that looks like a packaged chart: `.tgz` (or `.tar.gz`).
pub fn is_packaged_chart(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    path.is_file()
        && std::path::Path::new(&name)
            .extension()
            .is_some_and(|e| e == "tgz" || (e == "gz" && name.ends_with(".tar.gz")))
}

/// A rendered chart.
#[derive(Debug, Clone)]
pub struct Rendering {
    /// The chart directory or archive, as given.
    pub chart: PathBuf,
    /// One entry per `# Source:` template, in helm's output order.
    pub templates: Vec<RenderedTemplate>,
    /// The helm binary that rendered it.
    pub helm: PathBuf,
}

/// Renders `chart` with `helm template` and pairs every rendered template with its source.
pub fn render(chart: &ChartInput, options: &HelmOptions) -> Result<Rendering, HelmError> {
    let helm = find_helm(options, chart.path())?;
    let output = command::template(&helm, chart.path(), options)?;
    let templates = sources::split(&output, chart)?;
    Ok(Rendering {
        chart: chart.path().to_path_buf(),
        templates,
        helm,
    })
}
