use palisade_core::Severity;
use palisade_k8s::{ContainerView, Object, PodView};

use super::support::{describe, items, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const APPARMOR_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

control! {
    /// ## What it checks
    /// Containers with none of the Linux hardening mechanisms set:
    /// - a `seccompProfile` (pod or container `securityContext`),
    /// - an `appArmorProfile` (pod or container), or the legacy
    ///   `container.apparmor.security.beta.kubernetes.io/<container>` annotation,
    /// - `seLinuxOptions` (pod or container),
    /// - a non-empty `capabilities.drop` list (container).
    ///
    /// Any one of them passes; the other controls judge whether the chosen value is good.
    /// Windows pods (`spec.os.name: windows`) are skipped.
    ///
    /// ## Why it matters
    /// Namespaces and cgroups isolate a container, but the kernel's whole system-call
    /// surface and the runtime's default capability set stay reachable. Seccomp, AppArmor,
    /// SELinux and dropping capabilities each cut that surface; a container with none of
    /// them relies on the node's defaults alone, and those differ between runtimes and
    /// clusters.
    ///
    /// ## How to fix
    /// At minimum set `seccompProfile.type: RuntimeDefault` on the pod and drop `ALL`
    /// capabilities in every container.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///     - name: app
    ///       securityContext:
    ///         capabilities:
    ///           drop: ["ALL"]
    /// ```
    pub static LINUX_HARDENING = Control {
        id: "POD-118",
        slug: "linux-hardening-missing",
        title: "No Linux hardening configured",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0055"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &["linuxHardening"],
        },
        remediation: "Set seccompProfile.type: RuntimeDefault and drop ALL capabilities (or configure AppArmor/SELinux).",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn hardened(pod: &PodView<'_>, container: &ContainerView<'_>) -> bool {
    let either = |field: &str| {
        let pointer = format!("/securityContext/{field}");
        pod.get(&pointer).is_some() || container.get(&pointer).is_some()
    };
    let apparmor_annotation = pod
        .annotations()
        .any(|(key, _)| key.strip_prefix(APPARMOR_ANNOTATION) == Some(container.name()));
    let drops = items(container.get("/securityContext/capabilities/drop"))
        .next()
        .is_some();
    either("seccompProfile")
        || either("appArmorProfile")
        || either("seLinuxOptions")
        || apparmor_annotation
        || drops
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        if pod.is_windows() {
            return;
        }
        for container in pod.containers() {
            if hardened(pod, &container) {
                continue;
            }
            out.push(Violation::new(
                container.pointer_to("/securityContext"),
                format!(
                    "{} sets none of seccompProfile, appArmorProfile, seLinuxOptions or capabilities.drop (nor does the pod)",
                    describe(&container)
                ),
            ));
        }
    });
}
