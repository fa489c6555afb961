use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{is_true, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/shareProcessNamespace";

control! {
    /// ## What it checks
    /// Pod specs with `shareProcessNamespace: true`.
    ///
    /// ## Why it matters
    /// In a shared process namespace every container sees and can signal the others'
    /// processes, and can read their environment and filesystem through
    /// `/proc/<pid>/environ` and `/proc/<pid>/root` when running as the same user. A
    /// compromised sidecar then reaches the main container's secrets, and the reverse.
    ///
    /// ## How to fix
    /// Remove `shareProcessNamespace` unless a container truly needs to see its neighbours'
    /// processes (debugging is better done with an ephemeral container and
    /// `kubectl debug --target`).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   shareProcessNamespace: false
    /// ```
    pub static SHARE_PROCESS_NAMESPACE = Control {
        id: "POD-114",
        slug: "share-process-namespace",
        title: "Containers share the pod's process namespace",
        severity: Severity::Low,
        category: "Pod security",
        references: ControlRefs::NONE,
        remediation: "Remove spec.shareProcessNamespace or set it to false.",
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
                    "The pod's containers share one process namespace",
                )
                .with_evidence("shareProcessNamespace: true"),
            );
        }
    });
}
