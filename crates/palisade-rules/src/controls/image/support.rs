//! Helpers the image controls share.

use palisade_k8s::{ContainerView, Object};
use serde_json::Value;

use super::reference::{ImageRef, tag_version};
use crate::Violation;
use crate::controls::workload::support::{describe, with_pod};

/// Calls `f` for every container with a parseable `image`, with the reference as written.
pub(crate) fn each_image(
    object: &Object,
    mut f: impl FnMut(&ContainerView<'_>, &str, ImageRef<'_>),
) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            let Some(image) = container.get("/image").and_then(Value::as_str) else {
                continue;
            };
            if let Some(parsed) = ImageRef::parse(image) {
                f(&container, image, parsed);
            }
        }
    });
}

/// True when the tag is absent or one of `floating` (case-insensitive).
pub(crate) fn is_floating(image: &ImageRef<'_>, floating: &[String]) -> bool {
    match image.tag {
        None => true,
        Some(tag) => floating.iter().any(|f| f.eq_ignore_ascii_case(tag)),
    }
}

/// A known-vulnerable application image: which repositories, and which tag versions.
pub(crate) struct VulnerableImage {
    /// Last repository segments that identify the application (`argocd`).
    pub names: &'static [&'static str],
    pub is_vulnerable: fn((u64, u64, u64)) -> bool,
    /// `CVE-…: what it allows`, for the message.
    pub advisory: &'static str,
}

/// Reports containers running a vulnerable version of `vulnerable`. Images pinned only by
/// digest, or whose tag is not a version, are not judged.
pub(crate) fn flag_vulnerable(
    object: &Object,
    vulnerable: &VulnerableImage,
    out: &mut Vec<Violation>,
) {
    each_image(object, |container, image, parsed| {
        if !vulnerable.names.contains(&parsed.short_name()) {
            return;
        }
        let Some(version) = parsed.tag.and_then(tag_version) else {
            return;
        };
        if (vulnerable.is_vulnerable)(version) {
            out.push(
                Violation::new(
                    container.pointer_to("/image"),
                    format!(
                        "{} runs {image}, affected by {}",
                        describe(container),
                        vulnerable.advisory
                    ),
                )
                .with_evidence(format!("image: {image}")),
            );
        }
    });
}
