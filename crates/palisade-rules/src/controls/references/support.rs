//! What the reference controls share.
//!
//! A reference is only checked when the scanned set holds at least one object of the
//! referenced kind in the referencing object's namespace: then that kind was evidently part of
//! what was scanned for the namespace, and a missing name is a real dangling reference. When
//! the scan holds none (one Deployment file, a chart whose Secrets come from elsewhere), every
//! reference would look dangling, so nothing is reported. Pods owned by a controller are
//! skipped; their controller is checked instead.

use palisade_k8s::{Object, ObjectSet, PodView};
use serde_json::Value;

use crate::{SetViolation, Violation};

/// True when the set holds an object of `kind` (core or any group) in `namespace`.
pub(crate) fn kind_in_namespace(set: &ObjectSet, kind: &str, namespace: Option<&str>) -> bool {
    set.has_kind_in(kind, namespace)
}

/// True when the set holds a workload (an object with a pod spec) in `namespace`.
pub(crate) fn workload_in_namespace(set: &ObjectSet, namespace: Option<&str>) -> bool {
    set.workloads_in(namespace).next().is_some()
}

/// Whether an object of `kind` named `name` exists in `namespace`.
pub(crate) fn exists(set: &ObjectSet, kind: &str, namespace: Option<&str>, name: &str) -> bool {
    set.find(kind, namespace, name).is_some()
}

/// True for objects a controller owns.
pub(crate) fn is_controlled(object: &Object) -> bool {
    object
        .value()
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|owner| owner.get("controller").and_then(Value::as_bool) == Some(true))
}

/// `Deployment "web"`.
pub(crate) fn describe(object: &Object) -> String {
    format!(
        "{} \"{}\"",
        object.kind(),
        object.resource.name.as_deref().unwrap_or("<unnamed>")
    )
}

/// `namespace "shop"`, or `its namespace` for objects without one.
pub(crate) fn namespace_phrase(namespace: Option<&str>) -> String {
    namespace.map_or_else(
        || "its namespace".to_string(),
        |ns| format!("namespace \"{ns}\""),
    )
}

/// One reference from a pod spec to a named object.
#[derive(Debug)]
pub(crate) struct Reference<'a> {
    /// Pointer of the name field, relative to the object.
    pub pointer: String,
    pub name: &'a str,
    /// What refers: `volume "config"`, `container "app" envFrom`.
    pub via: String,
}

/// The string at `pointer` in `value`, if non-empty.
pub(crate) fn text<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// True when a reference is marked `optional: true`.
pub(crate) fn optional(value: &Value) -> bool {
    value.get("optional").and_then(Value::as_bool) == Some(true)
}

/// References of a pod spec to objects of one kind: volumes (also inside projected volumes)
/// through `volume_field`/`volume_name`, and container env and envFrom through `key_ref` and
/// `from_ref` (ConfigMap or Secret). Optional references are left out.
pub(crate) fn pod_references<'a>(
    pod: &PodView<'a>,
    volume_field: &str,
    volume_name: &str,
    env_refs: Option<(&str, &str)>,
) -> Vec<Reference<'a>> {
    let mut refs = Vec::new();
    let volumes = pod.get("/volumes").and_then(Value::as_array);
    for (index, volume) in volumes.into_iter().flatten().enumerate() {
        let volume_label = format!(
            "volume \"{}\"",
            volume
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("<unnamed>")
        );
        if let Some(source) = volume.get(volume_field).filter(|s| !optional(s))
            && let Some(name) = text(source, &format!("/{volume_name}"))
        {
            refs.push(Reference {
                pointer: pod.pointer_to(&format!("/volumes/{index}/{volume_field}/{volume_name}")),
                name,
                via: volume_label.clone(),
            });
        }
        let sources = volume
            .pointer("/projected/sources")
            .and_then(Value::as_array);
        for (source_index, source) in sources.into_iter().flatten().enumerate() {
            let Some(projected) = source.get(volume_field).filter(|s| !optional(s)) else {
                continue;
            };
            // Projected sources always name their object `name`.
            if let Some(name) = text(projected, "/name") {
                refs.push(Reference {
                    pointer: pod.pointer_to(&format!(
                        "/volumes/{index}/projected/sources/{source_index}/{volume_field}/name"
                    )),
                    name,
                    via: volume_label.clone(),
                });
            }
        }
    }
    let Some((key_ref, from_ref)) = env_refs else {
        return refs;
    };
    for container in pod.containers() {
        let env = container.get("/env").and_then(Value::as_array);
        for (index, var) in env.into_iter().flatten().enumerate() {
            let Some(reference) = var
                .pointer(&format!("/valueFrom/{key_ref}"))
                .filter(|r| !optional(r))
            else {
                continue;
            };
            if let Some(name) = text(reference, "/name") {
                refs.push(Reference {
                    pointer: container
                        .pointer_to(&format!("/env/{index}/valueFrom/{key_ref}/name")),
                    name,
                    via: format!(
                        "env var {} of container \"{}\"",
                        var.get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("<unnamed>"),
                        container.name()
                    ),
                });
            }
        }
        let env_from = container.get("/envFrom").and_then(Value::as_array);
        for (index, source) in env_from.into_iter().flatten().enumerate() {
            let Some(reference) = source.get(from_ref).filter(|r| !optional(r)) else {
                continue;
            };
            if let Some(name) = text(reference, "/name") {
                refs.push(Reference {
                    pointer: container.pointer_to(&format!("/envFrom/{index}/{from_ref}/name")),
                    name,
                    via: format!("envFrom of container \"{}\"", container.name()),
                });
            }
        }
    }
    refs
}

/// Reports the references of every workload to `kind` objects that do not exist, when the
/// set holds objects of that kind in the workload's namespace.
pub(crate) fn report_missing(
    set: &ObjectSet,
    kind: &str,
    references: impl for<'a> Fn(&PodView<'a>) -> Vec<Reference<'a>>,
    out: &mut Vec<SetViolation>,
) {
    for (index, workload, pod) in set.workloads() {
        let namespace = workload.resource.namespace.as_deref();
        if is_controlled(workload) || !kind_in_namespace(set, kind, namespace) {
            continue;
        }
        for reference in references(&pod) {
            if exists(set, kind, namespace, reference.name) {
                continue;
            }
            out.push(SetViolation {
                object: index,
                violation: Violation::new(
                    reference.pointer,
                    format!(
                        "{} refers to {kind} \"{}\" ({}), which is not among the scanned objects of {}",
                        describe(workload),
                        reference.name,
                        reference.via,
                        namespace_phrase(namespace)
                    ),
                )
                .with_evidence(format!("{kind}: {}", reference.name)),
            });
        }
    }
}
