//! Small helpers the pod controls share.

use palisade_k8s::{ContainerKind, ContainerView, Object, PodView};
use serde_json::Value;

/// Runs `check` on the pod spec of `object`, if it has one.
pub(crate) fn with_pod(object: &Object, check: impl FnOnce(&PodView<'_>)) {
    if let Some(pod) = PodView::of(object) {
        check(&pod);
    }
}

/// How a container is named in messages: `container "app"`, `init container "setup"`, ….
pub(crate) fn describe(container: &ContainerView<'_>) -> String {
    let kind = match container.kind {
        ContainerKind::Container => "container",
        ContainerKind::InitContainer => "init container",
        ContainerKind::EphemeralContainer => "ephemeral container",
    };
    format!("{kind} \"{}\"", container.name())
}

/// `field: value` as evidence, with the value in compact JSON form.
pub(crate) fn evidence(field: &str, value: &Value) -> String {
    match value {
        Value::String(s) => format!("{field}: {s}"),
        other => format!("{field}: {other}"),
    }
}

/// True for an explicit boolean `true`.
pub(crate) fn is_true(value: Option<&Value>) -> bool {
    value.and_then(Value::as_bool) == Some(true)
}

/// The string items of an array field, with their indices.
pub(crate) fn string_items(value: Option<&Value>) -> impl Iterator<Item = (usize, Option<&str>)> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, v)| (i, v.as_str()))
}

/// Reports `spec.<field>: true` for the host-namespace controls, which differ only in the field.
pub(crate) fn flag_host_namespace(
    object: &Object,
    field: &str,
    namespace: &str,
    out: &mut Vec<crate::Violation>,
) {
    with_pod(object, |pod| {
        let pointer = format!("/{field}");
        if is_true(pod.get(&pointer)) {
            out.push(
                crate::Violation::new(
                    pod.pointer_to(&pointer),
                    format!("The pod shares the node's {namespace} namespace"),
                )
                .with_evidence(format!("{field}: true")),
            );
        }
    });
}
