use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::with_pod;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Volumes of type `hostPath`.
    ///
    /// ## Why it matters
    /// A hostPath volume mounts a directory of the node into the container. Mounting `/`,
    /// `/etc`, `/var/lib/kubelet` or the container runtime socket hands the node over; even
    /// read-only mounts leak credentials and other pods' data.
    ///
    /// ## How to fix
    /// Use `emptyDir`, a `persistentVolumeClaim`, a `configMap`/`secret`, or a CSI driver.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: cache
    ///     emptyDir: {}
    /// ```
    pub static HOST_PATH_VOLUME = Control {
        id: "POD-007",
        slug: "host-path-volume",
        title: "hostPath volume",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: Some("hostPathVolumes"),
            kubescape: &["C-0048"],
            cis: &["5.2.12"],
            checkov: &[],
            trivy: &["KSV-0023"],
            kube_linter: &["host-mounts"],
            polaris: &["hostPathSet"],
        },
        remediation: "Replace the hostPath volume with emptyDir, a PersistentVolumeClaim, a ConfigMap/Secret or a CSI volume.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        let volumes = pod.get("/volumes").and_then(Value::as_array);
        for (index, volume) in volumes.into_iter().flatten().enumerate() {
            let Some(host_path) = volume.get("hostPath").filter(|v| !v.is_null()) else {
                continue;
            };
            let name = volume
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("<unnamed>");
            let path = host_path.get("path").and_then(Value::as_str).unwrap_or("");
            out.push(
                Violation::new(
                    pod.pointer_to(&format!("/volumes/{index}/hostPath")),
                    format!("Volume \"{name}\" mounts host path {path}"),
                )
                .with_evidence(format!("hostPath.path: {path}")),
            );
        }
    });
}
