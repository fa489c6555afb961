use palisade_core::Severity;
use palisade_k8s::Object;
use palisade_yaml::escape_pointer_token;
use serde_json::Value;

use super::support::{describe, evidence, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

pub(crate) const PROFILE: &str = "/securityContext/seccompProfile";
const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// True for a `seccompProfile.type` that keeps a profile in force.
pub(crate) fn confining_type(profile: &Value) -> bool {
    matches!(
        profile.get("type").and_then(Value::as_str),
        Some("RuntimeDefault" | "Localhost")
    )
}

fn confining_annotation(value: &Value) -> bool {
    value.as_str().is_some_and(|v| {
        v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/")
    })
}

control! {
    /// ## What it checks
    /// Seccomp profiles that switch filtering off. From policy version v1.19: a pod or container
    /// `securityContext.seccompProfile` whose `type` is not `RuntimeDefault` or `Localhost`
    /// (i.e. `Unconfined`). Before v1.19: the `seccomp.security.alpha.kubernetes.io/pod` and
    /// `container.seccomp.security.alpha.kubernetes.io/*` annotations with a value other than
    /// `runtime/default`, `docker/default` or `localhost/…`. Leaving seccomp unset is allowed
    /// here; the restricted profile requires it (see `seccomp-profile-missing`).
    ///
    /// ## Why it matters
    /// Seccomp removes hundreds of rarely needed system calls from the container's reach,
    /// including many used in kernel exploits. `Unconfined` gives them all back.
    ///
    /// ## How to fix
    /// Set `seccompProfile.type: RuntimeDefault` at pod level.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    /// ```
    pub static SECCOMP_BASELINE = Control {
        id: "POD-012",
        slug: "seccomp-unconfined",
        title: "Seccomp filtering disabled",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("seccompProfile_baseline"),
            kubescape: &["C-0210"],
            cis: &["5.7.2"],
            checkov: &["CKV_K8S_31"],
            trivy: &["KSV-0104"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost).",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        if ctx.pss_version.at_least(19) {
            if let Some(profile) = pod.get(PROFILE).filter(|p| !confining_type(p)) {
                out.push(unconfined(pod.pointer_to(PROFILE), "The pod", profile));
            }
            for container in pod.containers() {
                if let Some(profile) = container.get(PROFILE).filter(|p| !confining_type(p)) {
                    out.push(unconfined(
                        container.pointer_to(PROFILE),
                        &describe(&container),
                        profile,
                    ));
                }
            }
        } else {
            for (key, value) in pod.annotations() {
                let relevant =
                    key == POD_ANNOTATION || key.starts_with(CONTAINER_ANNOTATION_PREFIX);
                if relevant && !confining_annotation(value) {
                    out.push(
                        Violation::new(
                            format!(
                                "{}/annotations/{}",
                                pod.metadata_pointer,
                                escape_pointer_token(key)
                            ),
                            format!("Seccomp annotation {key} is {value}"),
                        )
                        .with_evidence(evidence(key, value)),
                    );
                }
            }
        }
    });
}

fn unconfined(profile_pointer: String, who: &str, profile: &Value) -> Violation {
    let pointer = if profile.get("type").is_some() {
        format!("{profile_pointer}/type")
    } else {
        profile_pointer
    };
    let shown = profile.get("type").cloned().unwrap_or(Value::Null);
    Violation::new(pointer, format!("{who} uses seccomp profile type {shown}"))
        .with_evidence(evidence("seccompProfile.type", &shown))
}
