use palisade_core::Severity;

use crate::control::control;
use crate::{Check, ControlRefs, Targets};

control! {
    /// ## What it checks
    /// That every scanned file is valid YAML or JSON within Palisade's input limits (size,
    /// nesting depth, alias expansion).
    ///
    /// ## Why it matters
    /// A manifest that does not parse is never deployed the way its author thinks, and nothing
    /// in it can be checked. A file that expands aliases without bound ("billion laughs") can
    /// exhaust the memory of every tool that reads it.
    ///
    /// ## How to fix
    /// Fix the syntax error at the reported line and column (`kubectl apply --dry-run=client -f`
    /// shows the same problem), or exclude the file from the scan if it is a template.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: web
    ///  labels: {}   # bad indentation: invalid-manifest at line 3
    /// ```
    pub static INVALID_MANIFEST = Control {
        id: "FILE-001",
        slug: "invalid-manifest",
        title: "File is not valid YAML/JSON",
        severity: Severity::High,
        category: "Input",
        references: ControlRefs::NONE,
        remediation: "Fix the syntax error at the reported position so the file parses.",
        targets: Targets::Files,
        check: Check::Pipeline,
    };
}
