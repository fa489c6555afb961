use palisade_core::Severity;
use palisade_k8s::{ContainerView, Object, PodView};
use serde_json::Value;

use super::support::{describe, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const NON_ROOT: &str = "/securityContext/runAsNonRoot";
const USER: &str = "/securityContext/runAsUser";

control! {
    /// ## What it checks
    /// Containers that nothing stops from running as UID 0. A container passes when its
    /// effective `runAsNonRoot` is `true` or its effective `runAsUser` is a non-zero UID,
    /// where "effective" means the container's `securityContext` value, or the pod's when the
    /// container leaves it unset. Windows pods (`spec.os.name: windows`) are skipped: they
    /// use `windowsOptions.runAsUserName` instead.
    ///
    /// This is looser than `run-as-non-root` (POD-017, the Pod Security Standards rule), which
    /// insists on `runAsNonRoot: true`; a pinned non-zero `runAsUser` is enough here.
    ///
    /// ## Why it matters
    /// Without either setting the image's `USER` decides, and most base images default to
    /// root. Root in a container owns every file in it and is one kernel bug or host mount
    /// away from root on the node.
    ///
    /// ## How to fix
    /// Set `runAsNonRoot: true` (so the kubelet refuses a root image) and/or a non-zero
    /// `runAsUser`, on the pod or on each container.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    /// ```
    pub static MAY_RUN_AS_ROOT = Control {
        id: "POD-103",
        slug: "may-run-as-root",
        title: "Container can run as the root user",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0013"],
            cis: &["5.2.7"],
            checkov: &["CKV_K8S_23"],
            trivy: &["KSV-0012"],
            kube_linter: &["run-as-non-root"],
            polaris: &["runAsRootAllowed"],
        },
        remediation: "Set runAsNonRoot: true or a non-zero runAsUser in the pod or container securityContext.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

/// A field's effective value and the pointer of the place that set it.
fn effective<'a>(
    pod: &PodView<'a>,
    container: &ContainerView<'a>,
    field: &str,
) -> Option<(&'a Value, String)> {
    if let Some(v) = container.get(field) {
        return Some((v, container.pointer_to(field)));
    }
    pod.get(field).map(|v| (v, pod.pointer_to(field)))
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        if pod.is_windows() {
            return;
        }
        for container in pod.containers() {
            let non_root = effective(pod, &container, NON_ROOT);
            if non_root
                .as_ref()
                .is_some_and(|(v, _)| v.as_bool() == Some(true))
            {
                continue;
            }
            let user = effective(pod, &container, USER);
            match user {
                Some((v, _)) if v.as_i64().is_some_and(|uid| uid != 0) => {}
                Some((v, pointer)) => out.push(
                    Violation::new(
                        pointer,
                        format!(
                            "{} runs as root: runAsUser is {v} and runAsNonRoot is not true",
                            describe(&container)
                        ),
                    )
                    .with_evidence(format!("runAsUser: {v}")),
                ),
                None => {
                    let (pointer, evidence) = match non_root {
                        Some((v, pointer)) => (pointer, Some(format!("runAsNonRoot: {v}"))),
                        None => (container.pointer_to(NON_ROOT), None),
                    };
                    let mut violation = Violation::new(
                        pointer,
                        format!(
                            "{} may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set",
                            describe(&container)
                        ),
                    );
                    violation.evidence = evidence;
                    out.push(violation);
                }
            }
        }
    });
}
