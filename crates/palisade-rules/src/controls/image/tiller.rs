use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::each_image;
use crate::control::control;
use crate::controls::workload::support::describe;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers running Tiller, the server side of Helm v2: any image whose repository's
    /// last segment is `tiller` (`gcr.io/kubernetes-helm/tiller`, `ghcr.io/helm/tiller`, …),
    /// whatever the tag.
    ///
    /// ## Why it matters
    /// Tiller runs with broad (often cluster-admin) rights and, in its default setup, accepts
    /// unauthenticated gRPC requests from any pod in the cluster: any workload can install a
    /// chart that runs privileged pods. Helm v2 reached end of life in November 2020 and gets
    /// no fixes.
    ///
    /// ## How to fix
    /// Migrate releases to Helm 3 (no in-cluster component) and delete the Tiller Deployment,
    /// Service and ServiceAccount.
    ///
    /// ## Example
    /// ```sh
    /// helm 2to3 convert my-release && helm 2to3 cleanup
    /// ```
    pub static TILLER = Control {
        id: "IMG-012",
        slug: "tiller-deployed",
        title: "Helm v2 Tiller deployed",
        severity: Severity::High,
        category: "Vulnerable images",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &["CKV_K8S_34"],
            trivy: &["KSV-0102"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Migrate to Helm 3 and remove Tiller from the cluster.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    each_image(object, |container, image, parsed| {
        if parsed.short_name() != "tiller" {
            return;
        }
        out.push(
            Violation::new(
                container.pointer_to("/image"),
                format!(
                    "{} runs Helm v2's Tiller ({image}), end of life since 2020",
                    describe(container)
                ),
            )
            .with_evidence(format!("image: {image}")),
        );
    });
}
