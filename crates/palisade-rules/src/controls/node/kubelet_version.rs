use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use crate::control::control;
use crate::params::parse_minor_version;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/status/nodeInfo/kubeletVersion";

control! {
    /// ## What it checks
    /// Node objects whose `status.nodeInfo.kubeletVersion` is older than the
    /// `minimum-kubelet-version` parameter (default `1.34`: the three newest Kubernetes minor
    /// releases, 1.34 to 1.36, are the ones upstream still patches). Only major and minor
    /// are compared; vendor suffixes (`v1.33.4-eks-1a2b3c`, `+k3s1`) are ignored.
    ///
    /// Node objects only appear in exports of a live cluster (`kubectl get nodes -o yaml`);
    /// manifests in a repository have none, so this control finds nothing there. Nodes
    /// without a readable version are not judged.
    ///
    /// ## Why it matters
    /// Kubernetes releases get security fixes for about fourteen months. Older kubelets keep
    /// every vulnerability found since, and an outdated node usually means an outdated
    /// control plane too.
    ///
    /// ## How to fix
    /// Upgrade the cluster, control plane first and then node pools, to a supported minor
    /// release; set `minimum-kubelet-version` to the oldest release your vendor supports.
    ///
    /// ## Example
    /// ```yaml
    /// # .palisade.yaml
    /// parameters:
    ///   minimum-kubelet-version: "1.34"
    /// ```
    pub static KUBELET_VERSION = Control {
        id: "NODE-001",
        slug: "outdated-kubelet-version",
        title: "Node runs an unsupported Kubernetes version",
        severity: Severity::Low,
        category: "Cluster",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0273"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Upgrade the cluster and its node pools to a supported Kubernetes minor release.",
        targets: Targets::Kinds(&["Node"]),
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() != "Node" || !object.group().is_empty() {
        return;
    }
    let Some(minimum) = parse_minor_version(&ctx.params.minimum_kubelet_version) else {
        return;
    };
    let Some(written) = object.value().pointer(FIELD).and_then(Value::as_str) else {
        return;
    };
    let Some(version) = parse_minor_version(written) else {
        return;
    };
    if version < minimum {
        out.push(
            Violation::new(
                FIELD,
                format!(
                    "Node \"{}\" runs kubelet {written}, older than the oldest supported release {}.{}",
                    object.resource.name.as_deref().unwrap_or("<unnamed>"),
                    minimum.0,
                    minimum.1
                ),
            )
            .with_evidence(format!("kubeletVersion: {written}")),
        );
    }
}
