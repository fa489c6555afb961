use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{describe, is_true, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/securityContext/windowsOptions/hostProcess";

control! {
    /// ## What it checks
    /// `securityContext.windowsOptions.hostProcess: true` on the pod or on any container.
    ///
    /// ## Why it matters
    /// A Windows HostProcess container runs directly on the node, as a node user, with
    /// access to the host's network and file system: the Windows equivalent of a privileged
    /// container with host namespaces.
    ///
    /// ## How to fix
    /// Remove `hostProcess: true`. Node administration belongs in node tooling, not in pods.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   windowsOptions:
    ///     hostProcess: false
    /// ```
    pub static WINDOWS_HOST_PROCESS = Control {
        id: "POD-005",
        slug: "windows-host-process",
        title: "Windows HostProcess container",
        severity: Severity::Critical,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("windowsHostProcess"),
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0103"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove windowsOptions.hostProcess or set it to false.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        if is_true(pod.get(FIELD)) {
            out.push(
                Violation::new(
                    pod.pointer_to(FIELD),
                    "The pod runs as a Windows HostProcess pod",
                )
                .with_evidence("hostProcess: true"),
            );
        }
        for container in pod.containers() {
            if is_true(container.get(FIELD)) {
                out.push(
                    Violation::new(
                        container.pointer_to(FIELD),
                        format!(
                            "{} runs as a Windows HostProcess container",
                            describe(&container)
                        ),
                    )
                    .with_evidence("hostProcess: true"),
                );
            }
        }
    });
}
