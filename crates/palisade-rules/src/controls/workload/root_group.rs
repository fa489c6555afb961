use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, items, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Group IDs of 0 (the `root` group) set explicitly: the pod's
    /// `securityContext.runAsGroup`, `fsGroup` and `supplementalGroups`, and each container's
    /// `securityContext.runAsGroup`. Unset fields are not reported: the image decides them.
    ///
    /// ## Why it matters
    /// Many files on a node and in images are group-readable or group-writable by root
    /// (GID 0). A process in the root group, even with a non-root UID, gets that access
    /// through any host mount or shared volume, and `fsGroup: 0` makes every mounted volume
    /// root-group owned.
    ///
    /// ## How to fix
    /// Use a dedicated non-zero GID for `runAsGroup` and `fsGroup`, and remove 0 from
    /// `supplementalGroups`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsUser: 10001
    ///     runAsGroup: 10001
    ///     fsGroup: 10001
    /// ```
    pub static ROOT_GROUP = Control {
        id: "POD-102",
        slug: "root-group",
        title: "Runs with the root group",
        severity: Severity::Low,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0116"],
            kube_linter: &["run-as-non-root"],
            polaris: &[],
        },
        remediation: "Use a non-zero GID for runAsGroup and fsGroup and remove 0 from supplementalGroups.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn is_zero(value: Option<&Value>) -> bool {
    value.and_then(Value::as_i64) == Some(0)
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for field in ["runAsGroup", "fsGroup"] {
            let pointer = format!("/securityContext/{field}");
            if is_zero(pod.get(&pointer)) {
                out.push(
                    Violation::new(
                        pod.pointer_to(&pointer),
                        format!("The pod sets {field} to 0 (root group)"),
                    )
                    .with_evidence(format!("{field}: 0")),
                );
            }
        }
        for (index, group) in items(pod.get("/securityContext/supplementalGroups")) {
            if is_zero(Some(group)) {
                out.push(
                    Violation::new(
                        pod.pointer_to(&format!("/securityContext/supplementalGroups/{index}")),
                        "The pod adds the root group (0) to supplementalGroups",
                    )
                    .with_evidence("supplementalGroups: 0"),
                );
            }
        }
        for container in pod.containers() {
            if is_zero(container.get("/securityContext/runAsGroup")) {
                out.push(
                    Violation::new(
                        container.pointer_to("/securityContext/runAsGroup"),
                        format!("{} sets runAsGroup to 0 (root group)", describe(&container)),
                    )
                    .with_evidence("runAsGroup: 0"),
                );
            }
        }
    });
}
