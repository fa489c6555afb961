use palisade_core::Severity;
use palisade_k8s::{Object, ObjectSet};
use serde_json::Value;

use super::reference::tag_version;
use super::support::each_image;
use crate::control::control;
use crate::controls::workload::support::describe;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

/// Repositories (after the registry) of the community ingress-nginx controller.
const CONTROLLER_REPOSITORIES: &[&str] = &[
    "ingress-nginx/controller",
    "ingress-nginx/controller-chroot",
    "kubernetes-ingress-controller/nginx-ingress-controller",
];

/// The controller ConfigMap key that turns snippet annotations off.
const SETTING: &str = "allow-snippet-annotations";

control! {
    /// ## What it checks
    /// Workloads running the community ingress-nginx controller image
    /// (`registry.k8s.io/ingress-nginx/controller`, its `-chroot` variant, or the old
    /// `quay.io/kubernetes-ingress-controller/nginx-ingress-controller`) at a version affected
    /// by CVE-2021-25742 (v0.49.0 and earlier, or v1.0.0) when no ConfigMap in the controller's
    /// namespace, among the scanned objects, sets `allow-snippet-annotations: "false"`.
    ///
    /// The affected range is the advisory's (fixed in v0.49.1 and v1.0.1, which added the
    /// setting). Images pinned only by digest, or with tags that are not versions, cannot be
    /// judged and pass. When the controller's ConfigMap is not part of the scan the mitigation
    /// cannot be seen, so the workload is reported.
    ///
    /// ## Why it matters
    /// Anyone allowed to create an Ingress can put NGINX configuration into the
    /// `*-snippet` annotations and make the controller read files it can access, including
    /// its own ServiceAccount token, which can read every Secret in the cluster.
    ///
    /// ## How to fix
    /// Upgrade the controller (v1.0.1 or later), and set `allow-snippet-annotations: "false"`
    /// in its ConfigMap unless snippets are needed and only trusted users create Ingresses.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: ingress-nginx-controller
    ///   namespace: ingress-nginx
    /// data:
    ///   allow-snippet-annotations: "false"
    /// ```
    pub static INGRESS_NGINX_SNIPPETS = Control {
        id: "IMG-011",
        slug: "ingress-nginx-cve-2021-25742",
        title: "ingress-nginx vulnerable to CVE-2021-25742 with snippet annotations allowed",
        severity: Severity::High,
        category: "Vulnerable images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0059"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Upgrade ingress-nginx to v1.0.1 or later and set allow-snippet-annotations: \"false\" in its ConfigMap.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, workload, _) in set.workloads() {
        let before = out.len();
        flag(workload, index, out);
        // Most workloads are not the controller: look at ConfigMaps only for those that are.
        if out.len() > before && snippets_disabled(set, workload.resource.namespace.as_deref()) {
            out.truncate(before);
        }
    }
}

fn flag(workload: &Object, index: usize, out: &mut Vec<SetViolation>) {
    each_image(workload, |container, image, parsed| {
        if !CONTROLLER_REPOSITORIES.contains(&parsed.repository.as_str()) {
            return;
        }
        let Some(version) = parsed.tag.and_then(tag_version) else {
            return;
        };
        if !is_affected(version) {
            return;
        }
        out.push(SetViolation {
            object: index,
            violation: Violation::new(
                container.pointer_to("/image"),
                format!(
                    "{} runs {image}, affected by CVE-2021-25742 (snippet annotations can read the controller's token), and no scanned ConfigMap in its namespace sets {SETTING}: \"false\"",
                    describe(container)
                ),
            )
            .with_evidence(format!("image: {image}")),
        });
    });
}

/// v0.49.0 and earlier, and v1.0.0.
fn is_affected(version: (u64, u64, u64)) -> bool {
    version <= (0, 49, 0) || version == (1, 0, 0)
}

/// True when a ConfigMap in `namespace` sets `allow-snippet-annotations` to `"false"`.
fn snippets_disabled(set: &ObjectSet, namespace: Option<&str>) -> bool {
    set.of_kind("ConfigMap").any(|(_, config)| {
        config.group().is_empty()
            && config.resource.namespace.as_deref() == namespace
            && config
                .value()
                .pointer(&format!("/data/{SETTING}"))
                .and_then(Value::as_str)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
    })
}

#[cfg(test)]
mod tests {
    use super::is_affected;

    #[test]
    fn affected_range_follows_the_advisory() {
        assert!(is_affected((0, 48, 1)));
        assert!(is_affected((0, 49, 0)));
        assert!(!is_affected((0, 49, 1)));
        assert!(is_affected((1, 0, 0)));
        assert!(!is_affected((1, 0, 1)));
        assert!(!is_affected((1, 9, 4)));
    }
}
