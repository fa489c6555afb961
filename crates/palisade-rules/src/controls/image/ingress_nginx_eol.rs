use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::each_image;
use crate::control::control;
use crate::controls::workload::support::describe;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// Repositories (after the registry) of the community ingress-nginx controller.
const CONTROLLER_REPOSITORIES: &[&str] = &[
    "ingress-nginx/controller",
    "ingress-nginx/controller-chroot",
    "kubernetes-ingress-controller/nginx-ingress-controller",
];

control! {
    /// ## What it checks
    /// Containers running the community ingress-nginx controller image
    /// (`registry.k8s.io/ingress-nginx/controller`, its `-chroot` variant, the same paths on
    /// `k8s.gcr.io`, or the old `quay.io/kubernetes-ingress-controller/nginx-ingress-controller`),
    /// whatever the tag. The project reaches end of life in March 2026.
    ///
    /// ## Why it matters
    /// After end of life no security fixes are released, and the controller is an
    /// internet-facing component with a history of critical vulnerabilities (the
    /// "IngressNightmare" admission-webhook flaws among them). Running it means carrying
    /// every future bug unpatched.
    ///
    /// ## How to fix
    /// Plan a migration to a maintained ingress or Gateway API implementation, and until
    /// then keep the controller on its latest release with the admission webhook reachable
    /// only from the API server.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: web
    /// spec:
    ///   parentRefs:
    ///     - name: public
    ///   rules:
    ///     - backendRefs:
    ///         - name: web
    ///           port: 80
    /// ```
    pub static INGRESS_NGINX_EOL = Control {
        id: "IMG-010",
        slug: "ingress-nginx-end-of-life",
        title: "End-of-life ingress-nginx controller",
        severity: Severity::Medium,
        category: "Vulnerable images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0292"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Migrate to a maintained ingress controller or Gateway API implementation.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    each_image(object, |container, image, parsed| {
        if !CONTROLLER_REPOSITORIES.contains(&parsed.repository.as_str()) {
            return;
        }
        out.push(
            Violation::new(
                container.pointer_to("/image"),
                format!(
                    "{} runs the ingress-nginx controller ({image}), which reaches end of life in March 2026",
                    describe(container)
                ),
            )
            .with_evidence(format!("image: {image}")),
        );
    });
}
