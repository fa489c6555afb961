use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{VulnerableImage, flag_vulnerable};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const ARGOCD: VulnerableImage = VulnerableImage {
    names: &["argocd"],
    is_vulnerable: |(major, minor, patch)| match (major, minor) {
        (1, _) | (2, 0) => true,
        (2, 1) => patch < 9,
        (2, 2) => patch < 4,
        _ => false,
    },
    advisory: "CVE-2022-24348 (path traversal in Helm chart values files; fixed in 2.1.9 and 2.2.4)",
};

control! {
    /// ## What it checks
    /// Containers running an Argo CD image (repository name `argocd`, e.g.
    /// `quay.io/argoproj/argocd`) whose tag is a version vulnerable to CVE-2022-24348: any
    /// 1.x, 2.0.x, 2.1.0–2.1.8 and 2.2.0–2.2.3. Tags that are not versions and digest-only
    /// references cannot be judged and pass.
    ///
    /// ## Why it matters
    /// A user allowed to create or update an Argo CD Application can point a Helm values
    /// file path outside the repository and read any file the repo-server can read,
    /// including other applications' secrets and credentials.
    ///
    /// ## How to fix
    /// Upgrade Argo CD to 2.1.9, 2.2.4 or later (ideally a currently supported release).
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: argocd-repo-server
    ///     image: quay.io/argoproj/argocd:v2.2.4
    /// ```
    pub static VULNERABLE_ARGOCD = Control {
        id: "IMG-007",
        slug: "argocd-cve-2022-24348",
        title: "Argo CD vulnerable to CVE-2022-24348",
        severity: Severity::High,
        category: "Vulnerable images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0081"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Upgrade Argo CD to 2.1.9, 2.2.4 or a later release.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    flag_vulnerable(object, &ARGOCD, out);
}
