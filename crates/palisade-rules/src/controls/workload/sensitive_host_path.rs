use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{host_path_volumes, is_under, normalize_path, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// `hostPath` volumes of a sensitive directory of the node, or of a directory that
    /// contains one. The directories come from the `sensitive-host-paths` parameter; by
    /// default `/`, `/bin`, `/boot`, `/dev`, `/etc`, `/etc/kubernetes`, `/home`, `/lib`,
    /// `/proc`, `/root`, `/sbin`, `/sys`, `/usr`, `/var/lib/containerd`, `/var/lib/docker`,
    /// `/var/lib/etcd`, `/var/lib/kubelet` and `/var/log`. So `/var/lib` is reported (it
    /// holds the kubelet's directory) but `/etc/ssl/certs` is not. Paths are compared after
    /// removing duplicate and trailing slashes and `.`/`..` segments.
    ///
    /// ## Why it matters
    /// These directories hold the node's credentials (kubelet client certificates,
    /// `/etc/kubernetes` kubeconfigs, etcd data, SSH keys), every other pod's volumes and
    /// logs, and the binaries and configuration the host runs as root. Even read-only, they
    /// leak enough to take over the node or the cluster; writable, they are a direct escape.
    ///
    /// ## How to fix
    /// Mount the narrowest path the workload really needs, read-only, or use a purpose-built
    /// alternative: the downward API, a CSI driver, or a node agent with an explicit
    /// exception.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: containers-logs
    ///     hostPath:
    ///       path: /var/log/containers
    ///       type: Directory
    /// ```
    pub static SENSITIVE_HOST_PATH = Control {
        id: "POD-109",
        slug: "sensitive-host-path",
        title: "Sensitive host directory mounted",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0121"],
            kube_linter: &["sensitive-host-mounts"],
            polaris: &[],
        },
        remediation: "Mount only the narrow host path the workload needs, read-only, or replace the hostPath volume.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    let sensitive: Vec<String> = ctx
        .params
        .sensitive_host_paths
        .iter()
        .map(|p| normalize_path(p))
        .collect();
    with_pod(object, |pod| {
        for volume in host_path_volumes(pod) {
            if volume.path.is_empty() {
                continue;
            }
            let path = normalize_path(volume.path);
            let message = if sensitive.contains(&path) {
                format!(
                    "Volume \"{}\" mounts sensitive host path {}",
                    volume.name, volume.path
                )
            } else {
                let inner: Vec<&str> = sensitive
                    .iter()
                    .filter(|s| is_under(s, &path))
                    .map(String::as_str)
                    .collect();
                if inner.is_empty() {
                    continue;
                }
                format!(
                    "Volume \"{}\" mounts {}, which contains sensitive host paths ({})",
                    volume.name,
                    volume.path,
                    inner.join(", ")
                )
            };
            out.push(
                Violation::new(
                    pod.pointer_to(&format!("/volumes/{}/hostPath/path", volume.index)),
                    message,
                )
                .with_evidence(format!("hostPath.path: {}", volume.path)),
            );
        }
    });
}
