use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{KINDS, describe, sandbox_pod};
use crate::control::control;
use crate::controls::image::reference::ImageRef;
use crate::controls::workload::support::describe as describe_container;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Container images of an Agent Sandbox `SandboxTemplate` pod template that
    /// - come from outside the `allowed-registries` parameter (the same list the
    ///   `image-registry-not-allowed` control uses; when it is empty this part is skipped), or
    /// - are neither pinned by digest nor tagged with a fixed version: no tag, or a tag in the
    ///   `floating-tags` parameter (default `latest`).
    ///
    /// Images are read as Kubernetes would pull them (`python` is
    /// `docker.io/library/python:latest`). Registry prefixes match whole path segments.
    ///
    /// ## Why it matters
    /// Every sandbox starts from this image. An image from an unvetted registry, or a moving
    /// tag that can be repointed, lets whoever controls that source run code in every new
    /// sandbox.
    ///
    /// ## How to fix
    /// Build sandbox images in your own registry, list it in `allowed-registries`, and pin
    /// the template to a version tag or, better, a digest.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: runtime
    ///     image: registry.example.com/sandbox/python@sha256:4f53e7f1c9b0d5c8a2e1f3b6d7c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90
    /// ```
    pub static IMAGE_PROVENANCE = Control {
        id: "SBX-004",
        slug: "sandbox-image-provenance",
        title: "Agent sandbox image from an unvetted source or a moving tag",
        severity: Severity::High,
        category: "Agent sandbox",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0304"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Use images from an allowed registry, pinned by digest or a fixed version tag.",
        targets: Targets::Kinds(KINDS),
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    let Some(pod) = sandbox_pod(object) else {
        return;
    };
    let allowed = &ctx.params.allowed_registries;
    let floating = &ctx.params.floating_tags;
    for container in pod.containers() {
        let Some(image) = container.get("/image").and_then(Value::as_str) else {
            continue;
        };
        let Some(parsed) = ImageRef::parse(image) else {
            continue;
        };
        let who = format!("{} of {}", describe_container(&container), describe(object));
        let pointer = container.pointer_to("/image");
        if !allowed.is_empty() && !allowed.iter().any(|prefix| parsed.is_under(prefix)) {
            out.push(
                Violation::new(
                    pointer.clone(),
                    format!(
                        "{who} uses {image} from {}, which is not an allowed registry",
                        parsed.registry
                    ),
                )
                .with_evidence(format!("image: {image}")),
            );
        }
        let moving = parsed.digest.is_none()
            && parsed
                .tag
                .is_none_or(|tag| floating.iter().any(|f| f.eq_ignore_ascii_case(tag)));
        if moving {
            let tag = parsed.tag.unwrap_or("no tag (latest)");
            out.push(
                Violation::new(
                    pointer,
                    format!("{who} uses {image} with a moving tag, {tag}, and no digest"),
                )
                .with_evidence(format!("image: {image}")),
            );
        }
    }
}
