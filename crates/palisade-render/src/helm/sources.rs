//! Splitting `helm template` output at its `# Source:` headers and finding each template's
//! file: on disk for chart directories, inside the archive for packaged charts and packaged
//! subcharts (`charts/*.tgz`).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{ChartInput, HelmError};

/// The rendered output of one template file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedTemplate {
    /// As helm names it: `app/templates/deployment.yaml`, `app/charts/db/templates/sts.yaml`.
    pub source: String,
    /// Every document this template produced, as a YAML stream.
    pub rendered: String,
    /// The template itself, when it could be found.
    pub template: Option<TemplateFile>,
}

/// A template file and where users edit it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateFile {
    /// A path on disk, or `chart.tgz!/app/templates/x.yaml` inside an archive.
    pub display_path: String,
    pub text: String,
}

/// Archives bigger than this (uncompressed) are not searched for templates.
const MAX_ARCHIVE_BYTES: u64 = 64 * 1024 * 1024;
/// Template files bigger than this are not kept.
const MAX_TEMPLATE_BYTES: u64 = 4 * 1024 * 1024;

/// Splits helm output into templates (documents of the same template are kept together, in
/// order) and resolves each template's file.
pub(crate) fn split(output: &str, chart: &ChartInput) -> Result<Vec<RenderedTemplate>, HelmError> {
    let mut order: Vec<String> = Vec::new();
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut current: Option<String> = None;
    for document in documents(output) {
        let mut lines = document.lines();
        let source = lines
            .clone()
            .find_map(|l| l.strip_prefix("# Source: "))
            .map(|s| s.trim().to_string())
            .or_else(|| current.clone());
        let Some(source) = source else {
            continue;
        };
        let body: String = lines
            .by_ref()
            .filter(|l| !l.starts_with("# Source: "))
            .flat_map(|l| [l, "\n"])
            .collect();
        if body.trim().is_empty() {
            continue;
        }
        let text = texts.entry(source.clone()).or_insert_with(|| {
            order.push(source.clone());
            String::new()
        });
        if !text.is_empty() {
            text.push_str("---\n");
        }
        text.push_str(&body);
        current = Some(source);
    }
    let mut archives = ArchiveCache::default();
    let mut rendered = Vec::with_capacity(order.len());
    for source in order {
        let template = resolve(chart, &source, &mut archives)?;
        let text = texts.remove(&source).unwrap_or_default();
        rendered.push(RenderedTemplate {
            source,
            rendered: text,
            template,
        });
    }
    Ok(rendered)
}

/// The documents of a YAML stream, split at `---` lines.
fn documents(output: &str) -> Vec<&str> {
    let mut documents = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in output.split_inclusive('\n') {
        if line.trim_end() == "---" {
            documents.push(&output[start..offset]);
            start = offset + line.len();
        }
        offset += line.len();
    }
    documents.push(&output[start..]);
    documents
}

fn resolve(
    chart: &ChartInput,
    source: &str,
    archives: &mut ArchiveCache,
) -> Result<Option<TemplateFile>, HelmError> {
    match chart {
        ChartInput::Packaged(archive) => Ok(archives.file(archive, source)),
        ChartInput::Directory(dir) => {
            // The first component is the chart's name, not necessarily its directory's.
            let Some((_, inside)) = source.split_once('/') else {
                return Ok(None);
            };
            let path = dir.join(inside);
            if path.is_file() {
                let text = std::fs::read_to_string(&path).map_err(|e| HelmError::Read {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
                return Ok(Some(TemplateFile {
                    display_path: path.display().to_string(),
                    text,
                }));
            }
            Ok(packaged_subchart(dir, inside, archives))
        }
    }
}

/// `charts/db/templates/x.yaml` of a chart whose `charts/` holds `db-1.2.3.tgz`.
fn packaged_subchart(
    dir: &Path,
    inside: &str,
    archives: &mut ArchiveCache,
) -> Option<TemplateFile> {
    let rest = inside.strip_prefix("charts/")?;
    let (name, _) = rest.split_once('/')?;
    let charts = dir.join("charts");
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(&charts)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(name) && has_suffix_ignore_case(n, ".tgz"))
        })
        .collect();
    candidates.sort();
    candidates
        .iter()
        .find_map(|archive| archives.file(archive, rest))
}

fn has_suffix_ignore_case(name: &str, suffix: &str) -> bool {
    name.len() >= suffix.len()
        && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Archives read once, their small text files kept by path.
#[derive(Default)]
struct ArchiveCache {
    archives: HashMap<PathBuf, HashMap<String, String>>,
}

impl ArchiveCache {
    fn file(&mut self, archive: &Path, inner: &str) -> Option<TemplateFile> {
        let files = self
            .archives
            .entry(archive.to_path_buf())
            .or_insert_with(|| read_archive(archive));
        files.get(inner).map(|text| TemplateFile {
            display_path: format!("{}!/{inner}", archive.display()),
            text: text.clone(),
        })
    }
}

/// The text files of a gzip tar, within budgets; an unreadable archive yields nothing (helm
/// has already read it, so this only loses template lines, never findings).
fn read_archive(path: &Path) -> HashMap<String, String> {
    let mut files = HashMap::new();
    let Ok(file) = std::fs::File::open(path) else {
        return files;
    };
    let decoder = flate2::read::GzDecoder::new(file);
    let mut archive = tar::Archive::new(decoder.take(MAX_ARCHIVE_BYTES));
    let Ok(entries) = archive.entries() else {
        return files;
    };
    for entry in entries {
        let Ok(mut entry) = entry else {
            break;
        };
        if !entry.header().entry_type().is_file() || entry.size() > MAX_TEMPLATE_BYTES {
            continue;
        }
        let Ok(name) = entry.path().map(|p| p.to_string_lossy().into_owned()) else {
            continue;
        };
        let mut text = String::new();
        if entry.read_to_string(&mut text).is_ok() {
            files.insert(name.trim_start_matches("./").to_string(), text);
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_of_one_template_stay_together() {
        let output = "---\n# Source: app/templates/a.yaml\nkind: A\n---\n# Source: app/templates/b.yaml\nkind: B1\n---\n# Source: app/templates/b.yaml\nkind: B2\n";
        let chart = ChartInput::Directory(PathBuf::from("/nonexistent"));
        let templates = split(output, &chart).unwrap();
        assert_eq!(templates.len(), 2);
        assert_eq!(templates[0].source, "app/templates/a.yaml");
        assert_eq!(templates[0].rendered, "kind: A\n");
        assert_eq!(templates[1].rendered, "kind: B1\n---\nkind: B2\n");
        assert!(templates[1].template.is_none());
    }

    #[test]
    fn empty_documents_are_dropped() {
        let output = "---\n# Source: app/templates/empty.yaml\n\n---\n# Source: app/templates/a.yaml\nkind: A\n";
        let chart = ChartInput::Directory(PathBuf::from("/nonexistent"));
        let templates = split(output, &chart).unwrap();
        assert_eq!(templates.len(), 1);
        assert_eq!(templates[0].source, "app/templates/a.yaml");
    }
}
