use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/allowPrivilegedContainer";

control! {
    /// ## What it checks
    /// OpenShift `SecurityContextConstraints` (`security.openshift.io`) with
    /// `allowPrivilegedContainer: true`.
    ///
    /// ## Why it matters
    /// Every pod admitted under such a constraint may run privileged containers, which have
    /// all capabilities and the host's devices: whoever can use the SCC (through RBAC `use`
    /// or its `users`/`groups`) can take over the node.
    ///
    /// ## How to fix
    /// Use the `restricted-v2` SCC for workloads; keep privileged SCCs for the platform's own
    /// components and grant `use` on them narrowly.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.openshift.io/v1
    /// kind: SecurityContextConstraints
    /// allowPrivilegedContainer: false
    /// ```
    pub static SCC_PRIVILEGED = Control {
        id: "POD-120",
        slug: "scc-allows-privileged",
        title: "SecurityContextConstraints allow privileged containers",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["scc-deny-privileged-container"],
            polaris: &[],
        },
        remediation: "Set allowPrivilegedContainer: false, or restrict who may use this SCC.",
        targets: Targets::Kinds(&["SecurityContextConstraints"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() != "SecurityContextConstraints" || object.group() != "security.openshift.io" {
        return;
    }
    if object.value().pointer(FIELD).and_then(Value::as_bool) == Some(true) {
        out.push(
            Violation::new(
                FIELD,
                format!(
                    "SecurityContextConstraints \"{}\" let pods run privileged containers",
                    object.resource.name.as_deref().unwrap_or("<unnamed>")
                ),
            )
            .with_evidence("allowPrivilegedContainer: true"),
        );
    }
}
