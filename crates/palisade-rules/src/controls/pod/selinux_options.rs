use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, evidence, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// `seLinuxOptions` on the pod or any container that set a `user` or `role`, or a `type`
    /// other than `container_t`, `container_init_t`, `container_kvm_t` and, from policy
    /// version v1.31, `container_engine_t`.
    ///
    /// ## Why it matters
    /// The SELinux type decides what a container process may touch on the node. Custom types
    /// such as `spc_t` (super-privileged container) or `unconfined_t` turn confinement off;
    /// custom users and roles can do the same.
    ///
    /// ## How to fix
    /// Remove `seLinuxOptions.user`, `.role` and any custom `.type`; keep only `level` when
    /// you need MCS labels.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   seLinuxOptions:
    ///     level: "s0:c123,c456"
    /// ```
    pub static SELINUX_OPTIONS = Control {
        id: "POD-010",
        slug: "selinux-custom-options",
        title: "Custom SELinux user, role or type",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("seLinuxOptions"),
            kubescape: &["C-0055"],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0025"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove seLinuxOptions.user/role and use one of the container_* SELinux types.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn type_allowed(ctx: &CheckContext, value: &str) -> bool {
    matches!(
        value,
        "" | "container_t" | "container_init_t" | "container_kvm_t"
    ) || (value == "container_engine_t" && ctx.pss_version.at_least(31))
}

/// Reports the offending parts of one `seLinuxOptions` block.
fn check_options(
    ctx: &CheckContext,
    options: Option<&Value>,
    base: &str,
    who: &str,
    out: &mut Vec<Violation>,
) {
    let Some(options) = options.and_then(Value::as_object) else {
        return;
    };
    for field in ["type", "user", "role"] {
        let Some(value) = options.get(field).filter(|v| !v.is_null()) else {
            continue;
        };
        let ok = match (field, value.as_str()) {
            ("type", Some(t)) => type_allowed(ctx, t),
            (_, Some(s)) => s.is_empty(),
            (_, None) => false,
        };
        if !ok {
            out.push(
                Violation::new(
                    format!("{base}/{field}"),
                    format!("{who} sets SELinux {field} {value}"),
                )
                .with_evidence(evidence(&format!("seLinuxOptions.{field}"), value)),
            );
        }
    }
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    const OPTIONS: &str = "/securityContext/seLinuxOptions";
    with_pod(object, |pod| {
        check_options(
            ctx,
            pod.get(OPTIONS),
            &pod.pointer_to(OPTIONS),
            "The pod",
            out,
        );
        for container in pod.containers() {
            let who = describe(&container);
            check_options(
                ctx,
                container.get(OPTIONS),
                &container.pointer_to(OPTIONS),
                &who,
                out,
            );
        }
    });
}
