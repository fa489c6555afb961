use palisade_core::Severity;

use crate::control::control;
use crate::{Check, ControlRefs, Targets};

control! {
    /// ## What it checks
    /// `palisade.dev/ignore` annotations that name a control Palisade does not know: neither
    /// a control ID (`POD-001`), a slug (`privileged-container`) nor a Kubescape ID (`C-0057`).
    ///
    /// ## Why it matters
    /// An ignore with a typo silences nothing while its author believes the finding is
    /// handled, and an ignore for a control that was renamed hides nothing either. Both leave
    /// a review trail that does not match what the scanner did.
    ///
    /// ## How to fix
    /// Correct the name (`palisade list controls` shows every ID and slug) or delete it.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     palisade.dev/ignore: "POD-001,priviledged-container"  # second name is unknown
    ///     palisade.dev/ignore-reason: "CNI agent"
    /// ```
    pub static UNKNOWN_IGNORED_CONTROL = Control {
        id: "FILE-004",
        slug: "unknown-control-in-ignore",
        title: "Ignore annotation names an unknown control",
        severity: Severity::Low,
        category: "Input",
        references: ControlRefs::NONE,
        remediation: "Name controls by ID, slug or Kubescape ID (see `palisade list controls`), or remove the name.",
        targets: Targets::Files,
        check: Check::Pipeline,
    };
}
