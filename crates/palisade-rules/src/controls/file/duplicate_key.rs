use palisade_core::Severity;

use crate::control::control;
use crate::{Check, ControlRefs, Targets};

control! {
    /// ## What it checks
    /// Mappings that set the same key twice.
    ///
    /// ## Why it matters
    /// Kubernetes keeps only the last value, silently; other tools reject the file or keep the
    /// first. A reviewer reading the first occurrence (say `privileged: false`) approves a pod
    /// that is deployed with the second (`privileged: true`).
    ///
    /// ## How to fix
    /// Delete one of the two entries so the file says one thing.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   privileged: false
    ///   privileged: true   # duplicate-key: this value wins
    /// ```
    pub static DUPLICATE_KEY = Control {
        id: "FILE-002",
        slug: "duplicate-key",
        title: "Mapping key defined twice",
        severity: Severity::Medium,
        category: "Input",
        references: ControlRefs::NONE,
        remediation: "Remove the duplicated key so only one value remains.",
        targets: Targets::Files,
        check: Check::Pipeline,
    };
}
