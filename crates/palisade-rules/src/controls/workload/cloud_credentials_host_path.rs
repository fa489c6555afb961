use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{host_path_volumes, normalize_path, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// Where cloud credentials live on nodes; `*` matches any one path segment (a user's home).
const CREDENTIALS: &[(&str, &str)] = &[
    (
        "/etc/kubernetes/azure.json",
        "Azure cloud-provider service principal",
    ),
    ("/etc/kubernetes/cloud.conf", "cloud-provider configuration"),
    (
        "/etc/kubernetes/cloud-config",
        "cloud-provider configuration",
    ),
    ("/root/.aws", "AWS CLI credentials"),
    ("/home/*/.aws", "AWS CLI credentials"),
    ("/root/.config/gcloud", "Google Cloud SDK credentials"),
    ("/home/*/.config/gcloud", "Google Cloud SDK credentials"),
    ("/root/.azure", "Azure CLI credentials"),
    ("/home/*/.azure", "Azure CLI credentials"),
    ("/var/lib/waagent", "Azure VM agent certificates"),
];

control! {
    /// ## What it checks
    /// `hostPath` volumes that expose cloud credentials stored on the node: the AKS/cloud
    /// provider's `/etc/kubernetes/azure.json` and `cloud.conf`/`cloud-config`, the Azure VM
    /// agent's `/var/lib/waagent`, and the AWS, Google Cloud and Azure CLI credential
    /// directories in `/root` and in users' homes (`/home/<user>/.aws`, `.config/gcloud`,
    /// `.azure`). The volume is reported when it is one of these paths, lies inside one, or
    /// is a directory containing one (`/etc/kubernetes`, `/home`); mounting `/` is left to
    /// `sensitive-host-path`.
    ///
    /// ## Why it matters
    /// These files hold the node's cloud identity. A pod that reads them can act as the node
    /// in the cloud account: attach disks, read storage buckets, change load balancers, often
    /// far beyond the cluster.
    ///
    /// ## How to fix
    /// Remove the volume. Give the workload its own narrowly scoped cloud identity with
    /// workload identity federation (IRSA / EKS Pod Identity, GKE Workload Identity, Azure
    /// Workload Identity).
    ///
    /// ## Example
    /// ```yaml
    /// # Azure Workload Identity instead of mounting azure.json
    /// metadata:
    ///   labels:
    ///     azure.workload.identity/use: "true"
    /// spec:
    ///   serviceAccountName: app
    /// ```
    pub static CLOUD_CREDENTIALS_HOST_PATH = Control {
        id: "POD-110",
        slug: "cloud-credentials-host-path",
        title: "Cloud credentials mounted from the node",
        severity: Severity::High,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0020"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove the hostPath volume and use workload identity (IRSA, GKE Workload Identity, Azure Workload Identity) instead.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

/// Segments of a normalised path (`/` has none).
fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// True when the first `n` segments of `a` and `b` agree, `*` matching any segment.
fn prefix_matches(pattern: &[&str], path: &[&str], n: usize) -> bool {
    pattern
        .iter()
        .zip(path)
        .take(n)
        .all(|(p, s)| *p == "*" || p == s)
}

/// True when mounting `path` exposes `pattern`: one contains the other.
fn exposes(path: &str, pattern: &str) -> bool {
    let path = segments(path);
    let pattern = segments(pattern);
    !path.is_empty() && prefix_matches(&pattern, &path, path.len().min(pattern.len()))
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for volume in host_path_volumes(pod) {
            let path = normalize_path(volume.path);
            let mut exposed: Vec<&str> = Vec::new();
            for (pattern, what) in CREDENTIALS {
                if exposes(&path, pattern) && !exposed.contains(what) {
                    exposed.push(what);
                }
            }
            if exposed.is_empty() {
                continue;
            }
            let what = exposed.join(", ");
            out.push(
                Violation::new(
                    pod.pointer_to(&format!("/volumes/{}/hostPath/path", volume.index)),
                    format!(
                        "Volume \"{}\" mounts host path {}, exposing the node's {what}",
                        volume.name, volume.path
                    ),
                )
                .with_evidence(format!("hostPath.path: {}", volume.path)),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::exposes;

    #[test]
    fn credential_paths_match_by_segment() {
        assert!(exposes("/root/.aws", "/root/.aws"));
        assert!(exposes("/root/.aws/credentials", "/root/.aws"));
        assert!(exposes("/home", "/home/*/.aws"));
        assert!(exposes("/home/alice/.aws", "/home/*/.aws"));
        assert!(exposes("/etc/kubernetes", "/etc/kubernetes/azure.json"));
        assert!(!exposes("/home/alice/.awsx", "/home/*/.aws"));
        assert!(!exposes(
            "/etc/kubernetes/pki",
            "/etc/kubernetes/azure.json"
        ));
        assert!(!exposes("/", "/root/.aws"), "/ is sensitive-host-path's");
    }
}
