use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::each_image;
use crate::control::control;
use crate::controls::workload::support::describe;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// The frozen registry.
const DEPRECATED: &str = "k8s.gcr.io";

control! {
    /// ## What it checks
    /// Container images (including init and ephemeral containers) pulled from the legacy
    /// Kubernetes registry `k8s.gcr.io`, in any namespace.
    ///
    /// ## Why it matters
    /// The Kubernetes project froze `k8s.gcr.io` in April 2023 and moved to
    /// `registry.k8s.io`. Nothing published since (security fixes included) exists in the
    /// old registry, and images there may disappear, so pods using it either run stale
    /// builds or fail to start on new nodes.
    ///
    /// ## How to fix
    /// Replace `k8s.gcr.io` with `registry.k8s.io`; image paths and tags are the same.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: pause
    ///     image: registry.k8s.io/pause:3.9
    /// ```
    pub static DEPRECATED_REGISTRY = Control {
        id: "IMG-006",
        slug: "deprecated-k8s-registry",
        title: "Image from the deprecated k8s.gcr.io registry",
        severity: Severity::Medium,
        category: "Images",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0253"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Use registry.k8s.io instead of k8s.gcr.io.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    each_image(object, |container, image, parsed| {
        if !parsed.is_under(DEPRECATED) {
            return;
        }
        out.push(
            Violation::new(
                container.pointer_to("/image"),
                format!(
                    "{} pulls {image} from the frozen k8s.gcr.io registry",
                    describe(container)
                ),
            )
            .with_evidence(format!("image: {image}")),
        );
    });
}
