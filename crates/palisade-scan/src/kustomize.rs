//! Kustomizations found among the inputs, built natively and scanned as their output; findings
//! move back to the file users edit: the patch that set the offending field when one did, else
//! the base resource (or the kustomization that generated the object), with the built position
//! kept in `origin.rendered`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use palisade_core::{Finding, Location, Origin};
use palisade_render::kustomize::{self, BuiltObject, KustomizeOptions};
use palisade_rules::file_controls::INVALID_MANIFEST;
use palisade_yaml::{Limits, ParsedStream};

use crate::inputs::{FileContent, SourceFile};

/// A built object's way back to its sources.
#[derive(Debug)]
pub(crate) struct Target {
    root: String,
    object: BuiltObject,
    kustomization: PathBuf,
}

/// What building the kustomizations produced.
#[derive(Debug, Default)]
pub(crate) struct Built {
    pub files: Vec<SourceFile>,
    pub targets: HashMap<Arc<str>, Target>,
    /// Kustomizations that failed to build, as findings.
    pub findings: Vec<Finding>,
    /// Files the builds read (canonical paths): not scanned again as plain manifests.
    pub consumed: HashSet<PathBuf>,
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Builds every kustomization in `dirs` that no other one includes.
pub(crate) fn build_all(dirs: &[PathBuf]) -> Built {
    let mut built = Built::default();
    let mut results = Vec::new();
    for dir in dirs {
        results.push((dir, kustomize::build(dir, &KustomizeOptions::default())));
    }
    // A kustomization another build read is a base or component, not a root of its own.
    let included: HashSet<PathBuf> = results
        .iter()
        .filter_map(|(dir, result)| result.as_ref().ok().map(|b| (dir, b)))
        .flat_map(|(dir, build)| {
            let own = kustomize_file(dir).map(|f| canonical(&f));
            build
                .files_read
                .iter()
                .map(|p| canonical(p))
                .filter(move |p| Some(p) != own.as_ref())
                .collect::<Vec<_>>()
        })
        .collect();
    for (dir, result) in results {
        let file = kustomize_file(dir).unwrap_or_else(|| dir.join("kustomization.yaml"));
        if included.contains(&canonical(&file)) {
            continue;
        }
        match result {
            Ok(build) => {
                built
                    .consumed
                    .extend(build.files_read.iter().map(|p| canonical(p)));
                for object in build.objects {
                    add_object(&mut built, dir, &file, object);
                }
            }
            Err(error) => {
                built.consumed.insert(canonical(&file));
                let mut finding = INVALID_MANIFEST.bare_finding(error.to_string());
                finding.location = Some(Location::at(file.display().to_string(), 1, 1));
                finding.origin = Some(Box::new(Origin {
                    renderer: "kustomize".to_string(),
                    root: dir.display().to_string(),
                    rendered: None,
                    values: Vec::new(),
                }));
                built.findings.push(finding);
            }
        }
    }
    built
}

fn kustomize_file(dir: &Path) -> Option<PathBuf> {
    kustomize::KUSTOMIZATION_FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

fn add_object(built: &mut Built, dir: &Path, kustomization: &Path, object: BuiltObject) {
    let text = |p: &str| {
        object
            .value
            .pointer(p)
            .and_then(|v| v.as_str())
            .unwrap_or("")
    };
    let mut key = format!(
        "{}: {}/{}{} (kustomize)",
        dir.display(),
        text("/kind"),
        match text("/metadata/namespace") {
            "" => String::new(),
            ns => format!("{ns}/"),
        },
        text("/metadata/name")
    );
    while built.targets.contains_key(key.as_str()) {
        key.push('\'');
    }
    let key: Arc<str> = Arc::from(key);
    let rendered = serde_json::to_string_pretty(&object.value).unwrap_or_default();
    built.files.push(SourceFile {
        display_path: Arc::clone(&key),
        content: FileContent::InMemory(Arc::from(rendered.into_bytes())),
    });
    built.targets.insert(
        key,
        Target {
            root: dir.display().to_string(),
            object,
            kustomization: kustomization.to_path_buf(),
        },
    );
}

/// Parsed source files, read once however many findings point into them.
#[derive(Debug, Default)]
pub(crate) struct SourceCache(Mutex<HashMap<PathBuf, Option<Arc<ParsedStream>>>>);

impl SourceCache {
    fn parsed(&self, path: &Path) -> Option<Arc<ParsedStream>> {
        let mut cache = self.0.lock().ok()?;
        cache
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let bytes = std::fs::read(path).ok()?;
                Some(Arc::new(palisade_yaml::parse_bytes(
                    &bytes,
                    &Limits::default(),
                )))
            })
            .clone()
    }

    /// `pointer` in document `document` of `path`, or its nearest existing ancestor.
    fn locate(&self, path: &Path, document: usize, pointer: &str, shown: &str) -> Option<Location> {
        let parsed = self.parsed(path)?;
        let doc = parsed.documents.get(document)?;
        let located = doc.source_map.locate(pointer);
        Some(Location::new(
            path.display().to_string(),
            located.span,
            shown,
            located.exact,
        ))
    }
}

fn is_within(pointer: &str, prefix: &str) -> bool {
    pointer == prefix
        || pointer
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

impl Target {
    /// Moves a finding located in the built object to the file that holds the field.
    pub(crate) fn apply(&self, finding: &mut Finding, rendered: Location, cache: &SourceCache) {
        let pointer = rendered.pointer.clone();
        let from_patch = self.object.patched.iter().rev().find_map(|patch| {
            patch
                .pointers
                .iter()
                .find(|set| is_within(&pointer, set))
                .map(|set| (patch, set.clone()))
        });
        let location = match from_patch {
            Some((patch, _)) if patch.path == self.kustomization => {
                // An inline patch: point at the kustomization's `patches`.
                cache.locate(&patch.path, 0, "/patches", &pointer)
            }
            Some((patch, set)) => cache.parsed(&patch.path).and_then(|parsed| {
                let first = parsed.documents.first()?;
                if first.value.is_array() {
                    // JSON 6902: the operation that wrote the field.
                    let op = first
                        .value
                        .as_array()?
                        .iter()
                        .position(|op| {
                            op.get("path").and_then(|p| p.as_str()) == Some(set.as_str())
                        })
                        .unwrap_or(0);
                    cache.locate(&patch.path, 0, &format!("/{op}"), &pointer)
                } else {
                    cache.locate(&patch.path, 0, &pointer, &pointer)
                }
            }),
            None if self.object.origin.generated => {
                let field =
                    if self.object.value.get("kind").and_then(|k| k.as_str()) == Some("Secret") {
                        "/secretGenerator"
                    } else {
                        "/configMapGenerator"
                    };
                cache.locate(&self.object.origin.path, 0, field, &pointer)
            }
            None => {
                let origin = &self.object.origin;
                let full = format!("{}{pointer}", origin.item_pointer);
                cache.locate(&origin.path, origin.document, &full, &pointer)
            }
        };
        finding.location = Some(location.unwrap_or_else(|| rendered.clone()));
        finding.origin = Some(Box::new(Origin {
            renderer: "kustomize".to_string(),
            root: self.root.clone(),
            rendered: Some(rendered),
            values: Vec::new(),
        }));
    }
}
