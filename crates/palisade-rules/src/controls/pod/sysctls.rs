use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::with_pod;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, PssVersion, Targets, Violation};

/// The safe sysctls, with the policy version each joined the list.
const SAFE_SYSCTLS: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

fn is_safe(name: &str, version: PssVersion) -> bool {
    SAFE_SYSCTLS
        .iter()
        .any(|(safe, since)| *safe == name && version.at_least(*since))
}

control! {
    /// ## What it checks
    /// `spec.securityContext.sysctls` entries outside the safe set of the chosen policy
    /// version: `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`,
    /// `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`,
    /// `net.ipv4.ip_unprivileged_port_start`; from v1.27 `net.ipv4.ip_local_reserved_ports`;
    /// from v1.29 `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`,
    /// `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`; from v1.32
    /// `net.ipv4.tcp_rmem`, `net.ipv4.tcp_wmem`; from v1.37
    /// `net.ipv4.tcp_slow_start_after_idle`, `net.ipv4.tcp_notsent_lowat`.
    ///
    /// ## Why it matters
    /// Safe sysctls are namespaced and isolated per pod. Others change kernel behaviour for
    /// the whole node, affecting every other workload on it, or weaken its defences.
    ///
    /// ## How to fix
    /// Remove the sysctl, or set it on the node (and taint the node for the workloads that
    /// need it).
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   sysctls:
    ///     - name: net.ipv4.ip_local_port_range
    ///       value: "32768 60999"
    /// ```
    pub static SYSCTLS = Control {
        id: "POD-013",
        slug: "unsafe-sysctls",
        title: "Unsafe sysctl",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("sysctls"),
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0026"],
            kube_linter: &["unsafe-sysctls"],
            polaris: &[],
        },
        remediation: "Remove the sysctl from spec.securityContext.sysctls or use only safe sysctls.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        let sysctls = pod
            .get("/securityContext/sysctls")
            .and_then(Value::as_array);
        for (index, sysctl) in sysctls.into_iter().flatten().enumerate() {
            let name = sysctl.get("name").and_then(Value::as_str).unwrap_or("");
            if is_safe(name, ctx.pss_version) {
                continue;
            }
            let pointer = if sysctl.get("name").is_some() {
                format!("/securityContext/sysctls/{index}/name")
            } else {
                format!("/securityContext/sysctls/{index}")
            };
            out.push(
                Violation::new(
                    pod.pointer_to(&pointer),
                    format!(
                        "sysctl {name} is not in the safe set of policy {}",
                        ctx.pss_version
                    ),
                )
                .with_evidence(format!("sysctls.name: {name}")),
            );
        }
    });
}
