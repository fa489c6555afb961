//! Charts (and, through the same path, other generated manifests) turned into scannable files
//! and the way back: findings in rendered output are moved to the template that wrote them,
//! keeping the rendered position and the values keys in `origin`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use palisade_core::{Finding, Location, Origin};
use palisade_render::helm::{self, ChartInput, HelmError, HelmOptions, RenderedTemplate};
use palisade_rules::file_controls::INVALID_MANIFEST;

use crate::inputs::{FileContent, SourceFile};

/// How generated manifests are produced.
#[derive(Debug, Clone, Default)]
pub struct RenderSettings {
    pub helm: HelmOptions,
    /// Skip charts with a warning when no renderer is installed, instead of failing the scan.
    pub skip_unrenderable: bool,
}

/// A rendered template's way back to its source.
#[derive(Debug)]
struct Template {
    display_path: Option<String>,
    text: String,
    root: String,
}

/// Rendered files by their display path, with where findings in them belong.
#[derive(Debug, Default)]
pub(crate) struct Remaps {
    templates: HashMap<Arc<str>, Template>,
    /// Objects built from kustomizations, by the display path of their built file.
    pub kustomized: HashMap<Arc<str>, crate::kustomize::Target>,
    sources: crate::kustomize::SourceCache,
}

/// What rendering the charts produced.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub files: Vec<SourceFile>,
    pub remaps: Remaps,
    /// Charts that failed to render, as findings.
    pub findings: Vec<Finding>,
    pub warnings: Vec<String>,
}

/// Renders every chart. A missing helm is an error unless `skip_unrenderable`; a chart that
/// fails to render is a finding and the others are still rendered.
pub(crate) fn render_charts(
    charts: &[ChartInput],
    settings: &RenderSettings,
) -> Result<Rendered, HelmError> {
    let mut rendered = Rendered::default();
    for chart in charts {
        match helm::render(chart, &settings.helm) {
            Ok(rendering) => {
                let root = chart.path().display().to_string();
                for template in rendering.templates {
                    add_template(&mut rendered, &root, template);
                }
            }
            Err(error @ HelmError::NotInstalled { .. }) => {
                if settings.skip_unrenderable {
                    rendered.warnings.push(format!(
                        "{}: Helm chart not scanned: no helm binary (install Helm 3 or 4, or \
                         pass --helm-bin)",
                        chart.path().display()
                    ));
                } else {
                    return Err(error);
                }
            }
            Err(error) => rendered.findings.push(render_failure(chart, &error)),
        }
    }
    Ok(rendered)
}

fn add_template(rendered: &mut Rendered, root: &str, template: RenderedTemplate) {
    let key: Arc<str> = Arc::from(format!("{root}: {} (rendered)", template.source));
    rendered.files.push(SourceFile {
        display_path: Arc::clone(&key),
        content: FileContent::InMemory(Arc::from(template.rendered.into_bytes())),
    });
    let (display_path, text) = match template.template {
        Some(file) => (Some(file.display_path), file.text),
        None => (None, String::new()),
    };
    rendered.remaps.templates.insert(
        key,
        Template {
            display_path,
            text,
            root: root.to_string(),
        },
    );
}

/// A chart helm could not render: located at the template helm names, else at the chart.
fn render_failure(chart: &ChartInput, error: &HelmError) -> Finding {
    let mut finding = INVALID_MANIFEST.bare_finding(error.to_string());
    let chart_file = match chart {
        ChartInput::Directory(dir) => dir.join("Chart.yaml").display().to_string(),
        ChartInput::Packaged(archive) => archive.display().to_string(),
    };
    let location = match error {
        HelmError::Template {
            location: Some((source, line, column)),
            ..
        } => template_path(chart, source).map(|path| Location::at(path, *line, *column)),
        _ => None,
    };
    finding.location = Some(location.unwrap_or_else(|| Location::at(chart_file, 1, 1)));
    finding.origin = Some(Box::new(Origin {
        renderer: "helm".to_string(),
        root: chart.path().display().to_string(),
        rendered: None,
        values: Vec::new(),
    }));
    finding
}

/// `app/templates/x.yaml` (helm's name) as a path users can open.
fn template_path(chart: &ChartInput, source: &str) -> Option<String> {
    match chart {
        ChartInput::Directory(dir) => {
            let (_, inside) = source.split_once('/')?;
            let path = dir.join(inside);
            path.is_file().then(|| path.display().to_string())
        }
        ChartInput::Packaged(archive) => Some(format!("{}!/{source}", archive.display())),
    }
}

impl Remaps {
    pub(crate) fn is_empty(&self) -> bool {
        self.templates.is_empty() && self.kustomized.is_empty()
    }

    /// Moves a finding in rendered output to its template.
    pub(crate) fn apply(&self, finding: &mut Finding) {
        let Some(rendered) = finding.location.take() else {
            return;
        };
        if let Some(target) = self.kustomized.get(rendered.path.as_str()) {
            target.apply(finding, rendered, &self.sources);
            return;
        }
        let Some(template) = self.templates.get(rendered.path.as_str()) else {
            finding.location = Some(rendered);
            return;
        };
        let kind = finding.resource.as_ref().map(|r| r.kind.as_str());
        let mut values = Vec::new();
        let location = match &template.display_path {
            Some(path) => {
                let spot = helm::locate(&template.text, &rendered.pointer, kind);
                values = spot.values;
                Location {
                    path: path.clone(),
                    line: spot.line,
                    column: spot.column,
                    end_line: spot.line,
                    end_column: spot.column,
                    pointer: rendered.pointer.clone(),
                    exact: rendered.exact,
                }
            }
            // The template could not be read: the rendered position is all there is.
            None => rendered.clone(),
        };
        finding.location = Some(location);
        finding.origin = Some(Box::new(Origin {
            renderer: "helm".to_string(),
            root: template.root.clone(),
            rendered: Some(rendered),
            values,
        }));
    }
}

/// A chart to render for `path`, if it is one.
pub(crate) fn chart_input(path: &Path) -> Option<ChartInput> {
    if path.is_dir() && helm::is_chart_dir(path) {
        Some(ChartInput::Directory(path.to_path_buf()))
    } else if helm::is_packaged_chart(path) {
        Some(ChartInput::Packaged(path.to_path_buf()))
    } else {
        None
    }
}
