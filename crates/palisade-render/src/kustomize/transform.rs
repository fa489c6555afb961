//! The built-in transformers: namespace, name prefix/suffix, labels, annotations, images and
//! replicas, with the field specs Kustomize v5 uses for the built-in kinds.

use serde_json::Value;

use super::fields::{merge_pairs, visit};
use super::load::{Image, Kustomization};
use super::resource::{Resource, is_cluster_scoped};

const WORKLOADS: &[&str] = &["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"];

/// Sets the namespace of every namespaced resource, and of RoleBinding subjects named `default`.
/// Namespace objects are renamed to it, as Kustomize does.
pub(crate) fn namespace(resources: &mut [Resource], namespace: &str) {
    for r in resources {
        if r.kind() == "Namespace" && r.name() != namespace {
            r.set_name(namespace);
        }
        if matches!(r.kind(), "RoleBinding" | "ClusterRoleBinding")
            && let Some(Value::Array(subjects)) = r.value.get_mut("subjects")
        {
            for subject in subjects {
                if subject["name"] == "default"
                    && let Value::Object(map) = subject
                {
                    map.insert("namespace".into(), Value::String(namespace.to_owned()));
                }
            }
        }
        if !is_cluster_scoped(r.kind()) && r.namespace() != namespace {
            r.set_namespace(namespace);
        }
    }
}

/// Adds `prefix` and `suffix` to every name but those of namespaces, CRDs and API services.
pub(crate) fn prefix_suffix(resources: &mut [Resource], prefix: &str, suffix: &str) {
    for r in resources {
        if matches!(r.kind(), "Namespace" | "CustomResourceDefinition")
            || (r.kind() == "APIService" && r.group() == "apiregistration.k8s.io")
            || r.name().is_empty()
        {
            continue;
        }
        let name = format!("{prefix}{}{suffix}", r.name());
        r.set_name(&name);
    }
}

/// How far labels reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LabelReach {
    /// `metadata.labels` only.
    Metadata,
    /// Also pod templates.
    Templates,
    /// Also selectors (commonLabels, `includeSelectors: true`).
    Selectors,
}

/// Adds labels to metadata and, depending on `reach`, templates and selectors.
pub(crate) fn labels(resources: &mut [Resource], pairs: &[(String, String)], reach: LabelReach) {
    if pairs.is_empty() {
        return;
    }
    for r in resources {
        let kind = r.kind().to_owned();
        // Labels go into existing claim templates; the list itself is never created.
        let has_claim_templates = r.value["spec"]["volumeClaimTemplates"].is_array();
        let mut add = |path: &str, create: bool| {
            visit(&mut r.value, path, create, &mut |v| merge_pairs(v, pairs));
        };
        add("metadata/labels", true);
        if reach == LabelReach::Metadata {
            continue;
        }
        let kind = kind.as_str();
        // Pod templates.
        if WORKLOADS.contains(&kind) || matches!(kind, "Job" | "ReplicationController") {
            add("spec/template/metadata/labels", true);
        }
        if kind == "CronJob" {
            add("spec/jobTemplate/metadata/labels", true);
            add("spec/jobTemplate/spec/template/metadata/labels", true);
        }
        if kind == "StatefulSet" && has_claim_templates {
            add("spec/volumeClaimTemplates/metadata/labels", true);
        }
        if reach != LabelReach::Selectors {
            continue;
        }
        match kind {
            "Service" | "ReplicationController" => add("spec/selector", true),
            "Job" | "PodDisruptionBudget" => add("spec/selector/matchLabels", false),
            "CronJob" => add("spec/jobTemplate/spec/selector/matchLabels", false),
            "NetworkPolicy" => {
                add("spec/podSelector/matchLabels", false);
                add("spec/ingress/from/podSelector/matchLabels", false);
                add("spec/egress/to/podSelector/matchLabels", false);
            }
            _ if WORKLOADS.contains(&kind) => {
                add("spec/selector/matchLabels", true);
                add(
                    "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
                    false,
                );
                for affinity in ["podAffinity", "podAntiAffinity"] {
                    add(
                        &format!(
                            "spec/template/spec/affinity/{affinity}/\
                             preferredDuringSchedulingIgnoredDuringExecution/\
                             podAffinityTerm/labelSelector/matchLabels"
                        ),
                        false,
                    );
                    add(
                        &format!(
                            "spec/template/spec/affinity/{affinity}/\
                             requiredDuringSchedulingIgnoredDuringExecution/\
                             labelSelector/matchLabels"
                        ),
                        false,
                    );
                }
            }
            _ => {}
        }
    }
}

/// Adds annotations to metadata and pod templates.
pub(crate) fn annotations(resources: &mut [Resource], pairs: &[(String, String)]) {
    if pairs.is_empty() {
        return;
    }
    for r in resources {
        let kind = r.kind().to_owned();
        let mut add = |path: &str| {
            visit(&mut r.value, path, true, &mut |v| merge_pairs(v, pairs));
        };
        add("metadata/annotations");
        if WORKLOADS.contains(&kind.as_str())
            || matches!(kind.as_str(), "Job" | "ReplicationController")
        {
            add("spec/template/metadata/annotations");
        }
        if kind == "CronJob" {
            add("spec/jobTemplate/metadata/annotations");
            add("spec/jobTemplate/spec/template/metadata/annotations");
        }
    }
}

/// Rewrites container images (any `containers` / `initContainers` list, at any depth).
pub(crate) fn images(resources: &mut [Resource], images: &[Image]) {
    if images.is_empty() {
        return;
    }
    for r in resources {
        rewrite_images(&mut r.value, images);
    }
}

fn rewrite_images(value: &mut Value, images: &[Image]) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if matches!(key.as_str(), "containers" | "initContainers")
                    && let Value::Array(containers) = child
                {
                    for container in containers.iter_mut() {
                        if let Some(Value::String(image)) = container.get_mut("image")
                            && let Some(new) = new_image(image, images)
                        {
                            *image = new;
                        }
                    }
                }
                rewrite_images(child, images);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_images(v, images)),
        _ => {}
    }
}

fn new_image(current: &str, images: &[Image]) -> Option<String> {
    let (name, tag, digest) = split_image(current);
    let rule = images.iter().find(|i| i.name == name)?;
    let mut name = rule.new_name.clone().unwrap_or_else(|| name.to_owned());
    let (mut tag, mut digest) = (tag.to_owned(), digest.to_owned());
    match (&rule.new_tag, &rule.digest) {
        (Some(t), Some(d)) => (tag, digest) = (t.clone(), d.clone()),
        (Some(t), None) => (tag, digest) = (t.clone(), String::new()),
        (None, Some(d)) => (tag, digest) = (String::new(), d.clone()),
        (None, None) => {}
    }
    if !tag.is_empty() {
        name.push(':');
        name.push_str(&tag);
    }
    if !digest.is_empty() {
        name.push('@');
        name.push_str(&digest);
    }
    Some(name)
}

/// Splits an image reference into name, tag and digest as Kustomize does (a `:` before the
/// first `/` belongs to the registry host).
pub(crate) fn split_image(image: &str) -> (&str, &str, &str) {
    let offset = image.find('/').filter(|&i| i > 0).unwrap_or(0);
    let search = &image[offset..];
    let at = search.find('@').map(|i| i + offset);
    let colon = search.find(':').map(|i| i + offset);
    match (colon, at) {
        (None, None) => (image, "", ""),
        (c, Some(d)) if c.is_none_or(|c| d < c) => (&image[..d], "", &image[d + 1..]),
        (Some(c), Some(d)) => (&image[..c], &image[c + 1..d], &image[d + 1..]),
        (Some(c), None) => (&image[..c], &image[c + 1..], ""),
        (None, Some(_)) => unreachable!("handled by the digest-only arm"),
    }
}

/// Sets `spec.replicas` of the workloads named in `replicas` (current or earlier name).
pub(crate) fn replicas(resources: &mut [Resource], replicas: &[(String, i64)]) {
    for (name, count) in replicas {
        for r in resources.iter_mut() {
            if !matches!(
                r.kind(),
                "Deployment" | "ReplicationController" | "ReplicaSet" | "StatefulSet"
            ) || !r.all_ids().any(|(_, n)| n == name)
            {
                continue;
            }
            visit(&mut r.value, "spec/replicas", true, &mut |v| {
                *v = Value::from(*count);
            });
        }
    }
}

/// Runs the transformers of one kustomization that come after the patches, in Kustomize's
/// order: namespace, prefix/suffix, labels, annotations.
pub(crate) fn run_metadata(resources: &mut [Resource], k: &Kustomization) {
    if let Some(ns) = &k.namespace
        && !ns.is_empty()
    {
        namespace(resources, ns);
    }
    let prefix = k.name_prefix.as_deref().unwrap_or("");
    let suffix = k.name_suffix.as_deref().unwrap_or("");
    if !prefix.is_empty() || !suffix.is_empty() {
        prefix_suffix(resources, prefix, suffix);
    }
    labels(resources, &k.common_labels, LabelReach::Selectors);
    for set in &k.labels {
        let reach = if set.include_selectors {
            LabelReach::Selectors
        } else if set.include_templates {
            LabelReach::Templates
        } else {
            LabelReach::Metadata
        };
        labels(resources, &set.pairs, reach);
    }
    annotations(resources, &k.common_annotations);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_like_kustomize() {
        assert_eq!(split_image("nginx"), ("nginx", "", ""));
        assert_eq!(split_image("nginx:1.25"), ("nginx", "1.25", ""));
        assert_eq!(
            split_image("localhost:5000/app:v1@sha256:ab"),
            ("localhost:5000/app", "v1", "sha256:ab")
        );
        assert_eq!(
            split_image("quay.io/t@sha256:ab"),
            ("quay.io/t", "", "sha256:ab")
        );
        assert_eq!(split_image("registry:5000/x"), ("registry:5000/x", "", ""));
    }

    #[test]
    fn new_image_replaces_tag_and_digest() {
        let rule = Image {
            name: "nginx".into(),
            new_name: Some("mirror/nginx".into()),
            new_tag: None,
            digest: Some("sha256:cd".into()),
        };
        assert_eq!(
            new_image("nginx:1.25", std::slice::from_ref(&rule)).as_deref(),
            Some("mirror/nginx@sha256:cd")
        );
        assert_eq!(new_image("redis:7", &[rule]), None);
    }
}
