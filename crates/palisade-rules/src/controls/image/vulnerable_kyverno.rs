use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{VulnerableImage, flag_vulnerable};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const KYVERNO: VulnerableImage = VulnerableImage {
    names: &["kyverno"],
    is_vulnerable: |(major, minor, patch)| major == 1 && minor == 8 && (3..=4).contains(&patch),
    advisory: "CVE-2022-47633 (image signature verification bypass; fixed in 1.8.5)",
};

control! {
    /// ## What it checks
    /// Containers running the Kyverno admission controller image (repository name
    /// `kyverno`, e.g. `ghcr.io/kyverno/kyverno`) tagged v1.8.3 or v1.8.4, vulnerable to
    /// CVE-2022-47633. Tags that are not versions and digest-only references cannot be
    /// judged and pass.
    ///
    /// ## Why it matters
    /// In these versions a malicious registry can serve a different image from the one
    /// whose signature Kyverno verified, so `verifyImages` policies admit unsigned code
    /// while appearing to enforce signing.
    ///
    /// ## How to fix
    /// Upgrade Kyverno to 1.8.5 or later.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: kyverno
    ///     image: ghcr.io/kyverno/kyverno:v1.8.5
    /// ```
    pub static VULNERABLE_KYVERNO = Control {
        id: "IMG-009",
        slug: "kyverno-cve-2022-47633",
        title: "Kyverno vulnerable to CVE-2022-47633",
        severity: Severity::High,
        category: "Vulnerable images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0091"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Upgrade Kyverno to 1.8.5 or later.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    flag_vulnerable(object, &KYVERNO, out);
}
