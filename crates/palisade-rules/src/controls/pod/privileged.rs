use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{describe, is_true, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers (including init and ephemeral containers) with
    /// `securityContext.privileged: true`.
    ///
    /// ## Why it matters
    /// A privileged container has every capability and every device of the node, and no
    /// seccomp, AppArmor or SELinux confinement: root in it is root on the node. Escaping to
    /// the host takes one `mount` or `nsenter`.
    ///
    /// ## How to fix
    /// Remove `privileged: true`. Grant only the specific capability the workload needs with
    /// `capabilities.add`, or use a device plugin for hardware access.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     securityContext:
    ///       privileged: false
    /// ```
    pub static PRIVILEGED = Control {
        id: "POD-001",
        slug: "privileged-container",
        title: "Privileged container",
        severity: Severity::Critical,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("privileged"),
            kubescape: &["C-0057"],
            cis: &["5.2.2"],
            checkov: &["CKV_K8S_16"],
            trivy: &["KSV-0017"],
            kube_linter: &["privileged-container"],
            polaris: &["runAsPrivileged"],
        },
        remediation: "Set securityContext.privileged to false (or remove it) and add only the capabilities the container needs.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            if is_true(container.get("/securityContext/privileged")) {
                out.push(
                    Violation::new(
                        container.pointer_to("/securityContext/privileged"),
                        format!("{} runs privileged", describe(&container)),
                    )
                    .with_evidence("privileged: true"),
                );
            }
        }
    });
}
