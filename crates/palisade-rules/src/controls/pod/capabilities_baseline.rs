use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{describe, string_items, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// Capabilities the baseline profile lets a container add: the container runtime's defaults.
pub(crate) const BASELINE_ALLOWED: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

control! {
    /// ## What it checks
    /// Capabilities in `securityContext.capabilities.add` beyond the container runtime's
    /// default set (`AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`,
    /// `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`, `SYS_CHROOT`). Names are
    /// compared exactly, as Pod Security Admission does: `NET_RAW` and `CAP_SYS_ADMIN` both fail.
    ///
    /// Kubescape's C-0219 checks the same rule on PodSecurityPolicy objects (removed in
    /// Kubernetes v1.25); this control checks the pods such a policy would have admitted.
    ///
    /// ## Why it matters
    /// Capabilities such as `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE` or `NET_RAW` give
    /// a container much of the power of root on the node: mounting file systems, rewriting
    /// routing, tracing other processes, loading kernel modules, spoofing packets.
    ///
    /// ## How to fix
    /// Remove the capability from `add`; if the workload really needs it, run it on dedicated
    /// nodes and document an exception.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    ///     add: ["NET_BIND_SERVICE"]
    /// ```
    pub static CAPABILITIES_BASELINE = Control {
        id: "POD-006",
        slug: "dangerous-capabilities",
        title: "Container adds capabilities beyond the default set",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("capabilities_baseline"),
            kubescape: &["C-0046", "C-0219"],
            cis: &["5.2.8", "5.2.9"],
            checkov: &["CKV_K8S_25", "CKV_K8S_39"],
            trivy: &["KSV-0022"],
            kube_linter: &["privilege-escalation-container"],
            polaris: &["dangerousCapabilities", "insecureCapabilities"],
        },
        remediation: "Remove the capability from securityContext.capabilities.add.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            for (index, name) in string_items(container.get("/securityContext/capabilities/add")) {
                if name.is_some_and(|n| BASELINE_ALLOWED.contains(&n)) {
                    continue;
                }
                let shown = name.unwrap_or("<non-string>");
                out.push(
                    Violation::new(
                        container.pointer_to(&format!("/securityContext/capabilities/add/{index}")),
                        format!("{} adds capability {shown}", describe(&container)),
                    )
                    .with_evidence(format!("capabilities.add: {shown}")),
                );
            }
        }
    });
}
