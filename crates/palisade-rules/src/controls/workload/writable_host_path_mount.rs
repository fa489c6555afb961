use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{describe, host_path_volumes, is_true, mounts_of, str_field, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Volume mounts of `hostPath` volumes without `readOnly: true`, in every container,
    /// init container and ephemeral container. A hostPath volume no container mounts is not
    /// reported here (see `host-path-volume`, POD-007, for any use of hostPath).
    ///
    /// ## Why it matters
    /// A writable host mount lets the container change files on the node: plant a binary in
    /// a directory the host executes from, edit kubelet or systemd configuration, or create a
    /// symlink the kubelet later follows as root. Read-only mounts keep the exposure to
    /// disclosure.
    ///
    /// ## How to fix
    /// Set `readOnly: true` on the volume mount, or replace the hostPath volume with an
    /// `emptyDir`, a PersistentVolumeClaim or a CSI volume.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: varlog
    ///     mountPath: /var/log
    ///     readOnly: true
    /// ```
    pub static WRITABLE_HOST_PATH_MOUNT = Control {
        id: "POD-107",
        slug: "writable-host-path-mount",
        title: "hostPath volume mounted writable",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0045"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["writable-host-mount"],
            polaris: &[],
        },
        remediation: "Set readOnly: true on every volumeMount of a hostPath volume, or stop using hostPath.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        let volumes = host_path_volumes(pod);
        if volumes.is_empty() {
            return;
        }
        for container in pod.containers() {
            for volume in &volumes {
                for (index, mount) in mounts_of(&container, volume.name) {
                    if is_true(mount.get("readOnly")) {
                        continue;
                    }
                    let at = str_field(mount, "mountPath").unwrap_or("<no mountPath>");
                    out.push(
                        Violation::new(
                            container.pointer_to(&format!("/volumeMounts/{index}/readOnly")),
                            format!(
                                "{} mounts host path {} (volume \"{}\") writable at {at}",
                                describe(&container),
                                volume.path,
                                volume.name
                            ),
                        )
                        .with_evidence(format!("hostPath.path: {}", volume.path)),
                    );
                }
            }
        }
    });
}
