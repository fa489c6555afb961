use palisade_core::Severity;

use crate::control::control;
use crate::{Check, ControlRefs, Targets};

control! {
    /// ## What it checks
    /// Unquoted values that YAML 1.1 (what Kubernetes' decoder and `kubectl apply` use) and
    /// YAML 1.2 (many other tools, linters and editors) read differently: `yes`/`no`/`on`/`off`,
    /// `y`/`n`, numbers with a leading zero such as `0644`, binary `0b…` and `_`-separated numbers.
    ///
    /// ## Why it matters
    /// `privileged: yes` is `true` to Kubernetes but the string `"yes"` to a YAML 1.2 policy
    /// engine, which may then let the pod through; `defaultMode: 0644` is 420 to Kubernetes but
    /// 644 to others. Security decisions should not depend on which parser reads the file.
    ///
    /// ## How to fix
    /// Write the canonical form (`true`, `false`, `0o644` or the decimal value) or quote the value
    /// if it is meant as a string.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   privileged: yes   # ambiguous-value: write `true`
    /// ```
    pub static AMBIGUOUS_VALUE = Control {
        id: "FILE-003",
        slug: "ambiguous-value",
        title: "Value read differently by YAML 1.1 and YAML 1.2 tools",
        severity: Severity::Low,
        category: "Input",
        references: ControlRefs::NONE,
        remediation: "Write the value in a form every YAML parser reads the same way, or quote it.",
        targets: Targets::Files,
        check: Check::Pipeline,
    };
}
