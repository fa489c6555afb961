use palisade_core::Severity;
use palisade_k8s::Object;
use palisade_yaml::escape_pointer_token;
use serde_json::Value;

use super::support::{describe, evidence, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";
const FIELD: &str = "/securityContext/appArmorProfile/type";

control! {
    /// ## What it checks
    /// AppArmor profiles that switch confinement off: a pod or container
    /// `securityContext.appArmorProfile.type` other than `RuntimeDefault` or `Localhost`
    /// (that is, `Unconfined`), and `container.apparmor.security.beta.kubernetes.io/*`
    /// annotations other than `runtime/default`, `localhost/…` or empty.
    ///
    /// ## Why it matters
    /// The runtime's default AppArmor profile blocks writes to `/proc` and `/sys` and mounting,
    /// classic steps of a container escape. `Unconfined` removes that layer.
    ///
    /// ## How to fix
    /// Remove the override, or set `type: RuntimeDefault` (or `Localhost` with a profile loaded
    /// on the nodes).
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   appArmorProfile:
    ///     type: RuntimeDefault
    /// ```
    pub static APPARMOR_PROFILE = Control {
        id: "POD-009",
        slug: "apparmor-unconfined",
        title: "AppArmor confinement disabled",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("appArmorProfile"),
            kubescape: &["C-0055"],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0002"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Use the RuntimeDefault AppArmor profile (or a Localhost profile) instead of Unconfined.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn allowed_type(value: &Value) -> bool {
    matches!(value.as_str(), Some("RuntimeDefault" | "Localhost"))
}

fn allowed_annotation(value: &Value) -> bool {
    match value.as_str() {
        Some(v) => v.is_empty() || v == "runtime/default" || v.starts_with("localhost/"),
        None => false,
    }
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for (key, value) in pod.annotations() {
            let Some(container) = key.strip_prefix(ANNOTATION_PREFIX) else {
                continue;
            };
            if !allowed_annotation(value) {
                out.push(
                    Violation::new(
                        format!(
                            "{}/annotations/{}",
                            pod.metadata_pointer,
                            escape_pointer_token(key)
                        ),
                        format!("AppArmor annotation sets container \"{container}\" to {value}"),
                    )
                    .with_evidence(evidence(key, value)),
                );
            }
        }
        if let Some(value) = pod.get(FIELD).filter(|v| !allowed_type(v)) {
            out.push(
                Violation::new(
                    pod.pointer_to(FIELD),
                    format!("The pod's AppArmor profile is {value}"),
                )
                .with_evidence(evidence("appArmorProfile.type", value)),
            );
        }
        for container in pod.containers() {
            if let Some(value) = container.get(FIELD).filter(|v| !allowed_type(v)) {
                out.push(
                    Violation::new(
                        container.pointer_to(FIELD),
                        format!("{} has AppArmor profile {value}", describe(&container)),
                    )
                    .with_evidence(evidence("appArmorProfile.type", value)),
                );
            }
        }
    });
}
