use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{VulnerableImage, flag_vulnerable};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const GRAFANA: VulnerableImage = VulnerableImage {
    names: &["grafana", "grafana-oss", "grafana-enterprise"],
    is_vulnerable: |(major, minor, patch)| major == 9 && minor == 2 && patch <= 3,
    advisory: "CVE-2022-39328 (authentication bypass; fixed in 9.2.4)",
};

control! {
    /// ## What it checks
    /// Containers running a Grafana image (repository name `grafana`, `grafana-oss` or
    /// `grafana-enterprise`) tagged 9.2.0 to 9.2.3, vulnerable to CVE-2022-39328. Tag
    /// suffixes such as `-ubuntu` are ignored. Tags that are not versions and digest-only
    /// references cannot be judged and pass.
    ///
    /// ## Why it matters
    /// A race condition in Grafana's HTTP middleware lets unauthenticated requests reach
    /// endpoints that should require a login, exposing dashboards and the data behind
    /// them to anyone who can reach the server.
    ///
    /// ## How to fix
    /// Upgrade Grafana to 9.2.4 or later.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: grafana
    ///     image: grafana/grafana:9.2.4
    /// ```
    pub static VULNERABLE_GRAFANA = Control {
        id: "IMG-008",
        slug: "grafana-cve-2022-39328",
        title: "Grafana vulnerable to CVE-2022-39328",
        severity: Severity::Critical,
        category: "Vulnerable images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0090"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Upgrade Grafana to 9.2.4 or later.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    flag_vulnerable(object, &GRAFANA, out);
}
