use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{capability, describe, string_items, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers whose `securityContext.capabilities.add` lists a capability from the
    /// `insecure-capabilities` parameter (by default SYS_ADMIN, NET_ADMIN, SYS_MODULE,
    /// SYS_PTRACE, SYS_RAWIO, SYS_BOOT, SYS_TIME, NET_RAW, DAC_READ_SEARCH, BPF, PERFMON,
    /// MAC_ADMIN, MAC_OVERRIDE, SYSLOG and ALL). Names are compared case-insensitively and
    /// with or without the `CAP_` prefix.
    ///
    /// Unlike `dangerous-capabilities` (POD-006, the Pod Security Standards allow-list), this
    /// control is a deny-list you can tune to your organisation.
    ///
    /// ## Why it matters
    /// Each of these capabilities opens a known path out of the container or into other
    /// workloads: loading kernel modules, tracing other processes, raw packet spoofing,
    /// reading any file regardless of permissions, or reconfiguring the node's network.
    ///
    /// ## How to fix
    /// Remove the capability from `capabilities.add`. Drop `ALL` and add back only the
    /// narrow capability the program needs, such as `NET_BIND_SERVICE`.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    ///     add: ["NET_BIND_SERVICE"]
    /// ```
    pub static INSECURE_CAPABILITIES = Control {
        id: "POD-104",
        slug: "insecure-capabilities",
        title: "Container adds an insecure capability",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0046"],
            cis: &["5.2.9"],
            checkov: &["CKV_K8S_25"],
            trivy: &["KSV-0022"],
            kube_linter: &[],
            polaris: &["dangerousCapabilities", "insecureCapabilities"],
        },
        remediation: "Remove the capability from securityContext.capabilities.add; drop ALL and add back only what is needed.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    let insecure: Vec<String> = ctx
        .params
        .insecure_capabilities
        .iter()
        .map(|c| capability(c))
        .collect();
    if insecure.is_empty() {
        return;
    }
    with_pod(object, |pod| {
        for container in pod.containers() {
            for (index, name) in string_items(container.get("/securityContext/capabilities/add")) {
                let Some(name) = name else { continue };
                if insecure.contains(&capability(name)) {
                    out.push(
                        Violation::new(
                            container
                                .pointer_to(&format!("/securityContext/capabilities/add/{index}")),
                            format!("{} adds insecure capability {name}", describe(&container)),
                        )
                        .with_evidence(format!("capabilities.add: {name}")),
                    );
                }
            }
        }
    });
}
