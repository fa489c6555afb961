use std::sync::Arc;

use palisade_core::{Finding, Location};
use palisade_k8s::{Object, extract_objects, retain_for_graph};
use palisade_rules::file_controls::{AMBIGUOUS_VALUE, DUPLICATE_KEY, INVALID_MANIFEST};
use palisade_rules::{Tally, evaluate_object};
use palisade_yaml::{Diagnostic, DiagnosticKind, Document, parse_bytes};

use crate::ScanOptions;
use crate::inputs::{FileContent, SourceFile};

/// What one file contributed to the scan.
#[derive(Debug, Default)]
pub(crate) struct FileResult {
    pub objects: usize,
    /// Objects cross-resource controls need, kept for the second phase.
    pub graph_objects: Vec<Object>,
    pub skipped_documents: usize,
    pub findings: Vec<Finding>,
    /// Resources each control applied to, for scores.
    pub tally: Tally,
}

pub(crate) fn scan_file(file: SourceFile, options: &ScanOptions) -> FileResult {
    let mut result = FileResult::default();
    let path = file.display_path;
    let bytes: Arc<[u8]> = match file.content {
        FileContent::InMemory(bytes) => bytes,
        FileContent::OnDisk(disk_path) => {
            match read_bounded(&disk_path, options.limits.max_file_bytes) {
                Ok(bytes) => bytes.into(),
                Err(message) => {
                    result.findings.push(invalid_manifest(&path, 1, 1, message));
                    return result;
                }
            }
        }
    };
    let stream = parse_bytes(&bytes, &options.limits);
    for document in stream.documents {
        scan_document(&path, document, options, &mut result);
    }
    if let Some(error) = stream.error {
        result.findings.push(invalid_manifest(
            &path,
            error.position.line,
            error.position.column,
            error.message,
        ));
    }
    result
}

/// Reads a file, refusing (without reading it) one larger than the input budget.
fn read_bounded(path: &std::path::Path, max_bytes: usize) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read file: {e}"))?
        .len();
    if usize::try_from(size).map_or(true, |s| s > max_bytes) {
        return Err(format!(
            "file is {size} bytes, over the {max_bytes}-byte limit"
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read file: {e}"))
}

/// An unreadable file is always reported, whatever the selection: a scan never hides that it
/// could not read part of its input.
fn invalid_manifest(path: &str, line: u32, column: u32, message: String) -> Finding {
    let mut finding = INVALID_MANIFEST.bare_finding(message);
    finding.location = Some(Location::at(path, line, column));
    finding
}

fn scan_document(
    path: &Arc<str>,
    document: Document,
    options: &ScanOptions,
    result: &mut FileResult,
) {
    let document = Arc::new(document);
    let mut extracted = extract_objects(path, &document);
    result.skipped_documents += extracted.skipped;
    extracted
        .objects
        .retain(|object| options.namespaces.allows(object));
    result.objects += extracted.objects.len();
    for diagnostic in &document.diagnostics {
        if let Some(mut finding) = diagnostic_finding(path, diagnostic, &extracted.objects, options)
        {
            suppress_diagnostic(&mut finding, &extracted.objects, options);
            result.findings.push(finding);
        }
    }
    // The objects hold the document from here on; the graph takes it over below.
    drop(document);
    let keep_graph = options.selection.has_cross_resource_controls();
    let mut evaluated = Vec::new();
    for object in extracted.objects {
        let mut findings = evaluate_object(&options.selection, &options.context, &object);
        options.suppressor.suppress(&object, &mut findings);
        result.findings.extend(findings);
        result.findings.extend(
            options
                .suppressor
                .unknown_names(&object, &options.selection),
        );
        result.tally.count(&options.selection, &object);
        if keep_graph {
            evaluated.push(object);
        }
    }
    result.graph_objects.extend(retain_for_graph(evaluated));
}

/// Diagnostics inside an object honour that object's ignore annotations and exceptions.
fn suppress_diagnostic(finding: &mut Finding, objects: &[Object], options: &ScanOptions) {
    let owner = objects
        .iter()
        .find(|o| Some(&o.resource) == finding.resource.as_ref());
    if let Some(owner) = owner {
        options
            .suppressor
            .suppress(owner, std::slice::from_mut(finding));
    }
}

/// A loader diagnostic as a finding, attributed to the object that contains it.
fn diagnostic_finding(
    path: &Arc<str>,
    diagnostic: &Diagnostic,
    objects: &[Object],
    options: &ScanOptions,
) -> Option<Finding> {
    let control = match diagnostic.kind {
        DiagnosticKind::DuplicateKey { .. } => &DUPLICATE_KEY,
        DiagnosticKind::AmbiguousScalar { .. } => &AMBIGUOUS_VALUE,
    };
    if !options.selection.includes(control.id) {
        return None;
    }
    let owner = objects
        .iter()
        .filter(|o| diagnostic.pointer.starts_with(&o.source.pointer))
        .max_by_key(|o| o.source.pointer.len());
    let pointer = owner.map_or(diagnostic.pointer.as_str(), |o| {
        &diagnostic.pointer[o.source.pointer.len()..]
    });
    let mut finding = control.bare_finding(diagnostic.message.clone());
    finding.location = Some(Location::new(
        path.to_string(),
        diagnostic.span,
        pointer,
        true,
    ));
    finding.resource = owner.map(|o| o.resource.clone());
    if let DiagnosticKind::AmbiguousScalar { raw, .. } = &diagnostic.kind {
        finding.evidence = Some(raw.clone());
    }
    Some(finding)
}
