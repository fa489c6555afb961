use palisade_core::Severity;
use palisade_k8s::{ContainerKind, Object};
use serde_json::Value;

use super::support::{KINDS, describe, sandbox_pod};
use crate::control::control;
use crate::controls::workload::support::describe as describe_container;
use crate::params::parse_quantity;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers and init containers of an Agent Sandbox `SandboxTemplate` pod template that
    /// do not set `resources.limits.cpu` and `resources.limits.memory`, or set them above the
    /// `sandbox-cpu-limit-max` (default `2`) and `sandbox-memory-limit-max` (default `4Gi`)
    /// parameters. Quantities are compared in base units, so `2000m` equals `2` and `4096Mi`
    /// equals `4Gi`. A limit that is not a valid quantity is reported too.
    ///
    /// ## Why it matters
    /// Sandboxed code may loop, fork or allocate without bound, by accident or on purpose.
    /// Limits keep one sandbox from starving its neighbours and the node, and a ceiling keeps
    /// templates from quietly granting a whole node to untrusted code.
    ///
    /// ## How to fix
    /// Set CPU and memory limits within the ceilings on every container of the template;
    /// raise the parameters if your sandboxes legitimately need more.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: runtime
    ///     resources:
    ///       limits:
    ///         cpu: "1"
    ///         memory: 2Gi
    /// ```
    pub static RESOURCE_CEILINGS = Control {
        id: "SBX-003",
        slug: "sandbox-resource-limits",
        title: "Agent sandbox without resource ceilings",
        severity: Severity::High,
        category: "Agent sandbox",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0303"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Set resources.limits.cpu and .memory on every sandbox container, within the configured ceilings.",
        targets: Targets::Kinds(KINDS),
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    let Some(pod) = sandbox_pod(object) else {
        return;
    };
    let ceilings = [
        ("cpu", &ctx.params.sandbox_cpu_limit_max),
        ("memory", &ctx.params.sandbox_memory_limit_max),
    ];
    for container in pod.containers() {
        if container.kind == ContainerKind::EphemeralContainer {
            continue;
        }
        for (resource, ceiling) in ceilings {
            let field = format!("/resources/limits/{resource}");
            let who = format!("{} of {}", describe_container(&container), describe(object));
            let Some(limit) = container.get(&field) else {
                out.push(Violation::new(
                    container.pointer_to(&field),
                    format!("{who} sets no {resource} limit"),
                ));
                continue;
            };
            let written = match limit {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let evidence = format!("{resource}: {written}");
            match (parse_quantity(&written), parse_quantity(ceiling)) {
                (None, _) => out.push(
                    Violation::new(
                        container.pointer_to(&field),
                        format!("{who} sets a {resource} limit that is not a quantity"),
                    )
                    .with_evidence(evidence),
                ),
                (Some(value), Some(max)) if value > max => out.push(
                    Violation::new(
                        container.pointer_to(&field),
                        format!("{who} allows {resource} {written}, above the ceiling {ceiling}"),
                    )
                    .with_evidence(evidence),
                ),
                _ => {}
            }
        }
    }
}
