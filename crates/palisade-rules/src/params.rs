//! Control parameters: the inputs users tune in `.palisade.yaml` (`parameters:`).

use serde::Deserialize;

/// Inputs of the parameterised controls. Every field has a default, so an empty
/// `parameters:` section (or none) gives the documented behaviour.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ControlParams {
    /// Registries images may come from (`registry.example.com`, `ghcr.io/acme`); empty = any.
    pub allowed_registries: Vec<String>,
    /// Registries images must not come from.
    pub forbidden_registries: Vec<String>,
    /// Capabilities reported by the insecure-capabilities control.
    pub insecure_capabilities: Vec<String>,
    /// Case-insensitive substrings of env-var and config keys that hold secrets.
    pub sensitive_key_names: Vec<String>,
    /// Image tags that move (`latest`, `main`, …).
    pub floating_tags: Vec<String>,
    /// Labels every workload should carry.
    pub recommended_labels: Vec<String>,
    /// Host directories that must not be mounted with hostPath (nor any directory above them).
    pub sensitive_host_paths: Vec<String>,
    /// Fewest replicas a Deployment or StatefulSet should run.
    pub min_replicas: u32,
    /// Registry or repository prefixes whose images need not be pinned by digest.
    pub digest_exempt_repositories: Vec<String>,
}

impl Default for ControlParams {
    fn default() -> Self {
        let owned = |items: &[&str]| items.iter().map(|s| (*s).to_string()).collect();
        ControlParams {
            allowed_registries: Vec::new(),
            forbidden_registries: Vec::new(),
            insecure_capabilities: owned(&[
                "SYS_ADMIN",
                "NET_ADMIN",
                "SYS_MODULE",
                "SYS_PTRACE",
                "SYS_RAWIO",
                "SYS_BOOT",
                "SYS_TIME",
                "NET_RAW",
                "DAC_READ_SEARCH",
                "BPF",
                "PERFMON",
                "MAC_ADMIN",
                "MAC_OVERRIDE",
                "SYSLOG",
                "ALL",
            ]),
            sensitive_key_names: owned(&[
                "password",
                "passwd",
                "secret",
                "token",
                "apikey",
                "api_key",
                "api-key",
                "access_key",
                "accesskey",
                "private_key",
                "privatekey",
                "credential",
                "auth",
            ]),
            floating_tags: owned(&["latest"]),
            recommended_labels: owned(&["app.kubernetes.io/name"]),
            sensitive_host_paths: owned(&[
                "/",
                "/bin",
                "/boot",
                "/dev",
                "/etc",
                "/etc/kubernetes",
                "/home",
                "/lib",
                "/proc",
                "/root",
                "/sbin",
                "/sys",
                "/usr",
                "/var/lib/containerd",
                "/var/lib/docker",
                "/var/lib/etcd",
                "/var/lib/kubelet",
                "/var/log",
            ]),
            min_replicas: 2,
            digest_exempt_repositories: Vec::new(),
        }
    }
}
