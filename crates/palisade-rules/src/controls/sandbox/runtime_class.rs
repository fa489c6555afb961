use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{KINDS, describe, sandbox_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/runtimeClassName";

control! {
    /// ## What it checks
    /// Agent Sandbox `SandboxTemplate` objects whose pod template
    /// (`spec.podTemplate.spec.runtimeClassName`) does not name one of the
    /// `hardened-sandbox-runtime-classes` parameter (default `gvisor`), including templates
    /// that set no runtime class and so run on the node's default runtime (runc). Names are
    /// compared exactly: add `kata-qemu`, `kata-clh` and the like to the parameter when the
    /// cluster offers them.
    ///
    /// ## Why it matters
    /// Sandboxes run code nobody reviewed, often written by a model on the fly. A standard
    /// container shares the node's kernel, so one kernel bug is a node compromise; gVisor
    /// or a micro-VM runtime puts a second boundary between that code and the node.
    ///
    /// ## How to fix
    /// Install a sandboxing runtime (gVisor, Kata Containers), create its RuntimeClass and
    /// name it in the template.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: extensions.agents.x-k8s.io/v1alpha1
    /// kind: SandboxTemplate
    /// spec:
    ///   podTemplate:
    ///     spec:
    ///       runtimeClassName: gvisor
    /// ```
    pub static RUNTIME_CLASS = Control {
        id: "SBX-001",
        slug: "sandbox-runtime-class-not-hardened",
        title: "Agent sandbox without a hardened runtime class",
        severity: Severity::High,
        category: "Agent sandbox",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0297"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Set spec.podTemplate.spec.runtimeClassName to a sandboxing runtime such as gvisor.",
        targets: Targets::Kinds(KINDS),
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    let Some(pod) = sandbox_pod(object) else {
        return;
    };
    let allowed = &ctx.params.hardened_sandbox_runtime_classes;
    let listed = allowed.join(", ");
    match pod.get(FIELD) {
        Some(Value::String(class)) if allowed.iter().any(|a| a == class) => {}
        Some(class) => {
            let class = class.as_str().map_or_else(|| class.to_string(), str::to_string);
            out.push(
            Violation::new(
                pod.pointer_to(FIELD),
                format!(
                    "{} runs sandboxes with runtime class \"{class}\", which is not a hardened one ({listed})",
                    describe(object)
                ),
            )
            .with_evidence(format!("runtimeClassName: {class}")),
            );
        }
        None => out.push(Violation::new(
            pod.pointer_to(FIELD),
            format!(
                "{} sets no runtimeClassName, so sandboxes run on the node's default runtime instead of a hardened one ({listed})",
                describe(object)
            ),
        )),
    }
}
