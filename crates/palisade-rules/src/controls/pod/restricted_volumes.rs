use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::with_pod;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// Volume sources the restricted profile allows.
const ALLOWED: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

control! {
    /// ## What it checks
    /// Restricted profile: volumes whose source is not one of `configMap`, `csi`,
    /// `downwardAPI`, `emptyDir`, `ephemeral`, `image`, `persistentVolumeClaim`, `projected`,
    /// `secret`. It is an allow-list, so unknown and legacy in-tree sources (`nfs`, `iscsi`,
    /// `gitRepo`, `awsElasticBlockStore`, …) fail too. `hostPath` volumes are reported by
    /// `host-path-volume`.
    ///
    /// ## Why it matters
    /// In-tree network and node-attached volume types bypass the storage abstraction the
    /// cluster operators control: they reach storage with the node's credentials, and some
    /// (`gitRepo`) run commands on the node while mounting.
    ///
    /// ## How to fix
    /// Use a PersistentVolumeClaim backed by a StorageClass, or a CSI driver.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: data
    ///     persistentVolumeClaim:
    ///       claimName: data
    /// ```
    pub static RESTRICTED_VOLUMES = Control {
        id: "POD-015",
        slug: "restricted-volume-types",
        title: "Volume type not allowed by the restricted profile",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("restrictedVolumes"),
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0028"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Use configMap, secret, emptyDir, projected, downwardAPI, persistentVolumeClaim, ephemeral, image or csi volumes.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        let volumes = pod.get("/volumes").and_then(Value::as_array);
        for (index, volume) in volumes.into_iter().flatten().enumerate() {
            let Some(fields) = volume.as_object() else {
                continue;
            };
            let name = fields
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("<unnamed>");
            let sources: Vec<&str> = fields
                .iter()
                .filter(|(key, value)| key.as_str() != "name" && !value.is_null())
                .map(|(key, _)| key.as_str())
                .collect();
            if sources.iter().any(|s| ALLOWED.contains(s)) || sources.contains(&"hostPath") {
                continue;
            }
            let violation = match sources.first() {
                Some(source) => Violation::new(
                    pod.pointer_to(&format!("/volumes/{index}/{source}")),
                    format!("Volume \"{name}\" uses the {source} volume type"),
                )
                .with_evidence(format!("volume type: {source}")),
                None => Violation::new(
                    pod.pointer_to(&format!("/volumes/{index}")),
                    format!("Volume \"{name}\" has no volume source"),
                ),
            };
            out.push(violation);
        }
    });
}
