//! Reading `SandboxTemplate` objects.

use palisade_k8s::{Object, PodView};

/// The kinds these controls read (their scoring denominator).
pub(crate) const KINDS: &[&str] = &["SandboxTemplate"];

/// True for a `SandboxTemplate` of the Agent Sandbox API groups (`extensions.agents.x-k8s.io`,
/// or `agents.x-k8s.io` as some early releases and Kubescape name it).
pub(crate) fn is_sandbox_template(object: &Object) -> bool {
    object.kind() == "SandboxTemplate"
        && matches!(
            object.group(),
            "extensions.agents.x-k8s.io" | "agents.x-k8s.io"
        )
}

/// The pod template of a `SandboxTemplate` (`spec.podTemplate`), viewed like a workload's.
pub(crate) fn sandbox_pod(object: &Object) -> Option<PodView<'_>> {
    if !is_sandbox_template(object) {
        return None;
    }
    let value = object.value();
    let spec = value
        .pointer("/spec/podTemplate/spec")
        .filter(|v| v.is_object())?;
    Some(PodView {
        spec,
        spec_pointer: "/spec/podTemplate/spec",
        metadata: value
            .pointer("/spec/podTemplate/metadata")
            .filter(|v| v.is_object()),
        metadata_pointer: "/spec/podTemplate/metadata",
    })
}

/// `SandboxTemplate "python-runtime"`.
pub(crate) fn describe(object: &Object) -> String {
    format!(
        "SandboxTemplate \"{}\"",
        object.resource.name.as_deref().unwrap_or("<unnamed>")
    )
}
