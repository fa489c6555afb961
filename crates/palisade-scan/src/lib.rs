//! The manifest scan pipeline: inputs → files → YAML documents → Kubernetes objects →
//! findings, in parallel across files, and one [`Report`] at the end.
//!
//! Bad input never aborts a scan: a file that cannot be read or parsed becomes a finding of
//! its own and every other file is still scanned.

mod file_scan;
mod inputs;
mod kustomize;
mod namespaces;
mod render;
mod walk;

pub use inputs::{Collected, FileContent, Input, InputError, SourceFile, collect_files};
pub use namespaces::{NamespaceFilter, NamespaceGlobError};
pub use render::RenderSettings;
pub use walk::find_files;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use palisade_core::{
    Finding, Report, ScanSummary, SignatureChecker, SignatureVerdict, SignatureVerdicts,
};
use palisade_k8s::ObjectSet;
use palisade_rules::{
    CheckContext, Framework, Selection, Suppressor, Tally, evaluate_set_indexed, score,
};
use palisade_yaml::Limits;
use rayon::prelude::*;

/// Everything a manifest scan needs besides its files.
#[derive(Clone)]
pub struct ScanOptions {
    pub selection: Selection,
    pub context: CheckContext,
    pub limits: Limits,
    /// Inline ignore annotations and the exceptions file.
    pub suppressor: Suppressor,
    pub namespaces: NamespaceFilter,
    /// Frameworks to score; none means no scores in the report.
    pub score_frameworks: Vec<&'static Framework>,
    /// How Helm charts are rendered.
    pub render: RenderSettings,
    /// Looks up the cosign signatures of the workloads' images (`--verify-signatures`);
    /// without it the signature controls are left out of the scan and its scores.
    pub signatures: Option<Arc<dyn SignatureChecker>>,
}

impl ScanOptions {
    /// Options that run `selection` with defaults for everything else.
    pub fn new(selection: Selection) -> Self {
        ScanOptions {
            selection,
            context: CheckContext::default(),
            limits: Limits::default(),
            suppressor: Suppressor::default(),
            namespaces: NamespaceFilter::default(),
            score_frameworks: Vec::new(),
            render: RenderSettings::default(),
            signatures: None,
        }
    }
}

/// A finished scan: the report plus notes for the user that are not findings.
#[derive(Debug)]
pub struct ScanOutcome {
    pub report: Report,
    pub warnings: Vec<String>,
}

/// Scans `files` in parallel, then runs the cross-resource controls over the objects they
/// need, and builds the report.
pub fn scan_files(files: Vec<SourceFile>, options: &ScanOptions) -> Report {
    scan_with_remaps(files, &render::Remaps::default(), Vec::new(), options)
}

/// [`scan_files`] for files that include rendered charts: findings in rendered output are
/// moved to their templates, and `extra` findings (charts that failed to render) join them.
fn scan_with_remaps(
    files: Vec<SourceFile>,
    remaps: &render::Remaps,
    extra: Vec<Finding>,
    options: &ScanOptions,
) -> Report {
    let without_registry;
    let options =
        if options.signatures.is_none() && options.selection.registry_controls().next().is_some() {
            without_registry = ScanOptions {
                selection: options.selection.without_registry_controls(),
                ..options.clone()
            };
            &without_registry
        } else {
            options
        };
    let mut results: Vec<file_scan::FileResult> = files
        .into_par_iter()
        .map(|file| file_scan::scan_file(file, options))
        .collect();
    let mut summary = ScanSummary::default();
    let mut graph = Vec::with_capacity(results.iter().map(|r| r.graph_objects.len()).sum());
    let mut tally = Tally::default();
    for result in &mut results {
        summary.files += 1;
        summary.objects += result.objects;
        summary.skipped_documents += result.skipped_documents;
        graph.append(&mut result.graph_objects);
        tally.merge(std::mem::take(&mut result.tally));
    }
    let set = ObjectSet::new(graph);
    let context = match &options.signatures {
        Some(checker) => CheckContext {
            signatures: Some(Arc::new(signature_verdicts(checker.as_ref(), &set))),
            ..options.context.clone()
        },
        None => options.context.clone(),
    };
    let mut set_findings = evaluate_set_indexed(&options.selection, &context, &set);
    for (index, finding) in set_findings.iter_mut().flatten() {
        if let Some(object) = set.get(*index) {
            options
                .suppressor
                .suppress(object, std::slice::from_mut(finding));
        }
    }
    // The objects are no longer needed: free them before the findings are gathered.
    drop(set);
    // Exact capacity: findings are the bulk of a large scan's memory, and doubling growth
    // could leave half of it as slack.
    let mut findings = Vec::with_capacity(
        extra.len()
            + results.iter().map(|r| r.findings.len()).sum::<usize>()
            + set_findings.iter().map(Vec::len).sum::<usize>(),
    );
    findings.extend(extra);
    for result in results {
        findings.extend(result.findings);
    }
    for per_control in set_findings {
        findings.extend(per_control.into_iter().map(|(_, finding)| finding));
    }
    if !remaps.is_empty() {
        for finding in &mut findings {
            remaps.apply(finding);
        }
    }
    let mut report = Report::new("scan", findings, summary);
    if !options.score_frameworks.is_empty() {
        report.scores = Some(score(
            &options.selection,
            &tally,
            &report.findings,
            &options.score_frameworks,
        ));
    }
    report
}

/// Registry lookups in flight at once: they wait on the network, not on the CPU, so more than
/// the compute pool's threads.
const SIGNATURE_LOOKUPS: usize = 8;

/// The signature verdict of every distinct image the scanned workloads run, looked up
/// concurrently (each lookup is a few registry round trips).
fn signature_verdicts(checker: &dyn SignatureChecker, set: &ObjectSet) -> SignatureVerdicts {
    let images: BTreeSet<&str> = set
        .workloads()
        .flat_map(|(_, _, pod)| {
            pod.containers()
                .filter_map(|c| c.get("/image").and_then(serde_json::Value::as_str))
                .collect::<Vec<_>>()
        })
        .collect();
    let images: Vec<&str> = images.into_iter().collect();
    let next = AtomicUsize::new(0);
    let checked: Vec<(&str, SignatureVerdict)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..SIGNATURE_LOOKUPS.min(images.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(&image) = images.get(next.fetch_add(1, Ordering::Relaxed)) {
                        done.push((image, checker.check(image)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_default())
            .collect()
    });
    let mut verdicts = SignatureVerdicts::new(checker.has_keys());
    for (image, verdict) in checked {
        verdicts.insert(image, verdict);
    }
    // A lookup that died with its thread must not pass for a clean result.
    for image in images {
        if verdicts.get(image).is_none() {
            verdicts.insert(
                image,
                SignatureVerdict::Unknown {
                    reason: "the signature lookup failed unexpectedly".to_string(),
                },
            );
        }
    }
    verdicts
}

impl std::fmt::Debug for ScanOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanOptions")
            .field("selection", &self.selection)
            .field("context", &self.context)
            .field("signatures", &self.signatures.is_some())
            .finish_non_exhaustive()
    }
}

/// Collects the files of `inputs` and scans them.
pub fn scan(
    inputs: &[Input],
    excludes: &[String],
    options: &ScanOptions,
) -> Result<ScanOutcome, InputError> {
    let mut collected = collect_files(inputs, excludes)?;
    let mut rendered = render::render_charts(&collected.charts, &options.render)?;
    collected.files.extend(rendered.files);
    collected.warnings.extend(rendered.warnings);
    let built = kustomize::build_all(&collected.kustomizations);
    if !built.consumed.is_empty() {
        // Resources and patches a kustomization read are scanned as its output, not alone.
        collected.files.retain(|file| match &file.content {
            FileContent::OnDisk(path) => !built
                .consumed
                .contains(&path.canonicalize().unwrap_or_else(|_| path.clone())),
            FileContent::InMemory(_) => true,
        });
    }
    collected.files.extend(built.files);
    rendered.remaps.kustomized = built.targets;
    rendered.findings.extend(built.findings);
    Ok(ScanOutcome {
        report: scan_with_remaps(
            collected.files,
            &rendered.remaps,
            rendered.findings,
            options,
        ),
        warnings: collected.warnings,
    })
}
