//! Suppression of findings: inline `palisade.dev/ignore` annotations and the exceptions file.
//!
//! Annotations are read on the object itself and, for workloads, on the pod template (where
//! Helm charts usually let users add them). Names may be control IDs, slugs or Kubescape IDs;
//! a name that matches no control is reported as a finding of its own, located at the
//! annotation, because an ignore that silences nothing misleads whoever reviews it.

use std::sync::Arc;

use palisade_core::{Finding, Suppression};
use palisade_exceptions::{Date, Exceptions};
use palisade_k8s::{Object, pod_template_pointers};
use palisade_yaml::escape_pointer_token;
use serde_json::Value;

use crate::controls::file::UNKNOWN_IGNORED_CONTROL;
use crate::{Selection, resolve_control};

/// Annotation listing controls to ignore on an object (comma or space separated).
pub const IGNORE_ANNOTATION: &str = "palisade.dev/ignore";
/// Annotation giving the reason for [`IGNORE_ANNOTATION`].
pub const IGNORE_REASON_ANNOTATION: &str = "palisade.dev/ignore-reason";

/// Applies annotations and exceptions to the findings of one object.
#[derive(Debug, Clone)]
pub struct Suppressor {
    pub exceptions: Option<Arc<Exceptions>>,
    /// The day exceptions' expiry is judged against.
    pub today: Date,
}

impl Default for Suppressor {
    fn default() -> Self {
        Suppressor {
            exceptions: None,
            today: Date::today(),
        }
    }
}

/// One `palisade.dev/ignore` annotation found on an object.
struct IgnoreAnnotation<'a> {
    /// Pointer of the metadata holding it (`/metadata`, `/spec/template/metadata`).
    metadata_pointer: &'a str,
    names: &'a str,
    reason: Option<&'a str>,
}

fn ignore_annotations(object: &Object) -> Vec<IgnoreAnnotation<'_>> {
    let mut pointers = vec!["/metadata"];
    if let Some((_, template_metadata)) = pod_template_pointers(object.group(), object.kind())
        && template_metadata != "/metadata"
    {
        pointers.push(template_metadata);
    }
    pointers
        .into_iter()
        .filter_map(|metadata_pointer| {
            let annotations = palisade_k8s::lookup(object.value(), metadata_pointer)?
                .get("annotations")?
                .as_object()?;
            let names = annotations.get(IGNORE_ANNOTATION)?.as_str()?;
            let reason = annotations
                .get(IGNORE_REASON_ANNOTATION)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|r| !r.is_empty());
            Some(IgnoreAnnotation {
                metadata_pointer,
                names,
                reason,
            })
        })
        .collect()
}

impl Suppressor {
    /// Marks the findings of `object` that its ignore annotations name, or that the
    /// exceptions file covers, as suppressed.
    pub fn suppress(&self, object: &Object, findings: &mut [Finding]) {
        for annotation in ignore_annotations(object) {
            let ignored: Vec<&str> = annotation_names(annotation.names)
                .filter_map(|name| resolve_control(name).ok())
                .flatten()
                .map(|c| c.id)
                .collect();
            let reason = annotation.reason.map_or_else(
                || format!("{IGNORE_ANNOTATION} annotation (no {IGNORE_REASON_ANNOTATION} given)"),
                str::to_string,
            );
            for finding in findings
                .iter_mut()
                .filter(|f| !f.suppressed && ignored.contains(&&*f.id))
            {
                finding.suppressed = true;
                finding.suppression = Some(Box::new(Suppression {
                    kind: "annotation".to_string(),
                    reason: reason.clone(),
                }));
            }
        }
        if let Some(exceptions) = &self.exceptions {
            for finding in findings.iter_mut() {
                exceptions.suppress(finding, object.labels(), self.today);
            }
        }
    }

    /// Findings for ignore annotations on `object` that name no known control (empty when
    /// that control is not selected). They are themselves subject to exceptions.
    pub fn unknown_names(&self, object: &Object, selection: &Selection) -> Vec<Finding> {
        if !selection.includes(UNKNOWN_IGNORED_CONTROL.id) {
            return Vec::new();
        }
        let mut found = Vec::new();
        for annotation in ignore_annotations(object) {
            for name in annotation_names(annotation.names) {
                if resolve_control(name).is_err() {
                    found.push(unknown_name_finding(object, &annotation, name));
                }
            }
        }
        if let Some(exceptions) = &self.exceptions {
            for finding in &mut found {
                exceptions.suppress(finding, object.labels(), self.today);
            }
        }
        found
    }
}

fn annotation_names(names: &str) -> impl Iterator<Item = &str> {
    names
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|n| !n.is_empty())
}

fn unknown_name_finding(object: &Object, annotation: &IgnoreAnnotation<'_>, name: &str) -> Finding {
    let pointer = format!(
        "{}/annotations/{}",
        annotation.metadata_pointer,
        escape_pointer_token(IGNORE_ANNOTATION)
    );
    let mut finding = UNKNOWN_IGNORED_CONTROL.bare_finding(format!(
        "{IGNORE_ANNOTATION} names `{name}`, which is not a control ID, slug or Kubescape ID; it suppresses nothing"
    ));
    finding.location = Some(object.locate(&pointer));
    finding.resource = Some(object.resource.clone());
    finding.evidence = Some(annotation.names.to_string());
    finding
}
