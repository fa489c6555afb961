use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{host_path_volumes, is_under, normalize_path, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// Where container runtimes and their shims listen.
const SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/run/cri-dockerd.sock",
    "/var/run/dockershim.sock",
    "/run/dockershim.sock",
    "/run/k3s/containerd/containerd.sock",
    "/run/podman/podman.sock",
];

/// Directories too broad to blame on the runtime socket; `sensitive-host-path` reports them.
const TOO_BROAD: &[&str] = &["/", "/var"];

control! {
    /// ## What it checks
    /// `hostPath` volumes that expose a container runtime socket: Docker
    /// (`/var/run/docker.sock`), containerd (`/run/containerd/containerd.sock`), CRI-O
    /// (`/var/run/crio/crio.sock`), cri-dockerd, dockershim, k3s's containerd and Podman,
    /// under both `/run` and `/var/run`. A volume of a directory that holds one of these
    /// sockets (`/var/run`, `/run/containerd`) counts too. Paths are compared after removing
    /// duplicate and trailing slashes and `.`/`..` segments.
    ///
    /// ## Why it matters
    /// Whoever can talk to the runtime socket can start a privileged container with the
    /// node's root filesystem mounted, or exec into any other container on the node. Mounting
    /// the socket is root on the node, read-only or not (connecting to a socket is not a
    /// write to the file).
    ///
    /// ## How to fix
    /// Remove the volume. Build images with a daemonless builder (BuildKit rootless, Kaniko,
    /// Buildah) and read container metadata from the Kubernetes API instead of the runtime.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: workspace
    ///     emptyDir: {}
    /// ```
    pub static CONTAINER_RUNTIME_SOCKET = Control {
        id: "POD-108",
        slug: "container-runtime-socket",
        title: "Container runtime socket mounted",
        severity: Severity::Critical,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0074"],
            cis: &[],
            checkov: &["CKV_K8S_27"],
            trivy: &["KSV-0006"],
            kube_linter: &["docker-sock"],
            polaris: &[],
        },
        remediation: "Remove the hostPath volume of the container runtime socket; use a daemonless image builder or the Kubernetes API.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for volume in host_path_volumes(pod) {
            if volume.path.is_empty() {
                continue;
            }
            let path = normalize_path(volume.path);
            if TOO_BROAD.contains(&path.as_str()) {
                continue;
            }
            let Some(socket) = SOCKETS.iter().find(|s| is_under(s, &path)) else {
                continue;
            };
            let message = if path == *socket {
                format!(
                    "Volume \"{}\" mounts the container runtime socket {}",
                    volume.name, volume.path
                )
            } else {
                format!(
                    "Volume \"{}\" mounts {}, which holds the container runtime socket {socket}",
                    volume.name, volume.path
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
