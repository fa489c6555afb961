//! Control parameters: the inputs users tune in `.palisade.yaml` (`parameters:`).

use serde::{Deserialize, Deserializer};

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
    /// Oldest supported kubelet minor version (`1.34`); Nodes reporting an older one fail.
    #[serde(deserialize_with = "minor_version")]
    pub minimum_kubelet_version: String,
    /// Runtime classes that isolate Agent Sandbox pods well enough (`gvisor`, `kata-qemu`).
    pub hardened_sandbox_runtime_classes: Vec<String>,
    /// Highest CPU limit an Agent Sandbox container may set (a Kubernetes quantity).
    #[serde(deserialize_with = "quantity")]
    pub sandbox_cpu_limit_max: String,
    /// Highest memory limit an Agent Sandbox container may set (a Kubernetes quantity).
    #[serde(deserialize_with = "quantity")]
    pub sandbox_memory_limit_max: String,
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
            minimum_kubelet_version: "1.34".to_string(),
            hardened_sandbox_runtime_classes: owned(&["gvisor"]),
            sandbox_cpu_limit_max: "2".to_string(),
            sandbox_memory_limit_max: "4Gi".to_string(),
        }
    }
}

/// `major.minor` at the start of a Kubernetes version (`v1.33.4-eks-1a2b3c`, `1.34`).
pub(crate) fn parse_minor_version(text: &str) -> Option<(u64, u64)> {
    let text = text.trim();
    let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let core = text.split(['-', '+']).next().unwrap_or(text);
    let mut parts = core.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    match parts.next() {
        None => {}
        Some(patch) => {
            patch.parse::<u64>().ok()?;
        }
    }
    parts.next().is_none().then_some((major, minor))
}

/// A Kubernetes resource quantity (`500m`, `2`, `1.5`, `4Gi`, `1e3`) in base units (cores,
/// bytes). `None` when it is not a quantity.
pub(crate) fn parse_quantity(text: &str) -> Option<f64> {
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1_048_576.0),
        ("Gi", 1_073_741_824.0),
        ("Ti", 1_099_511_627_776.0),
        ("Pi", 1_125_899_906_842_624.0),
        ("Ei", 1_152_921_504_606_846_976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    let text = text.trim();
    let (number, factor) = SUFFIXES
        .iter()
        .find_map(|(suffix, factor)| text.strip_suffix(suffix).map(|n| (n, *factor)))
        .unwrap_or((text, 1.0));
    let plain = number
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '+' | '-' | 'e' | 'E'));
    if number.is_empty()
        || !plain
        || !number.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '.')
    {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    (value.is_finite() && value >= 0.0).then_some(value * factor)
}

fn minor_version<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    match parse_minor_version(&text) {
        Some(_) => Ok(text),
        None => Err(serde::de::Error::custom(format!(
            "`{text}` is not a Kubernetes version like 1.34"
        ))),
    }
}

fn quantity<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = match QuantityText::deserialize(deserializer)? {
        QuantityText::Text(text) => text,
        QuantityText::Number(number) => number.to_string(),
    };
    match parse_quantity(&text) {
        Some(_) => Ok(text),
        None => Err(serde::de::Error::custom(format!(
            "`{text}` is not a Kubernetes quantity like 2, 500m or 4Gi"
        ))),
    }
}

/// A quantity as YAML may spell it: `4Gi` is a string, `2` a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum QuantityText {
    Text(String),
    Number(serde_json::Number),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_major_and_minor() {
        assert_eq!(parse_minor_version("v1.33.4-eks-1a2b3c"), Some((1, 33)));
        assert_eq!(parse_minor_version("1.34"), Some((1, 34)));
        assert_eq!(parse_minor_version("v1.30.0+k3s1"), Some((1, 30)));
        assert_eq!(parse_minor_version("1"), None);
        assert_eq!(parse_minor_version("one.two"), None);
        assert_eq!(parse_minor_version("1.2.3.4"), None);
    }

    #[test]
    fn quantities_use_kubernetes_suffixes() {
        assert_eq!(parse_quantity("500m"), Some(0.5));
        assert_eq!(parse_quantity("2"), Some(2.0));
        assert_eq!(parse_quantity("4Gi"), Some(4.0 * 1_073_741_824.0));
        assert_eq!(parse_quantity("1G"), Some(1e9));
        assert_eq!(parse_quantity("1e3"), Some(1000.0));
        assert_eq!(parse_quantity("1.5"), Some(1.5));
        assert_eq!(parse_quantity("Gi"), None);
        assert_eq!(parse_quantity("lots"), None);
        assert_eq!(parse_quantity("-1"), None);
    }

    #[test]
    fn invalid_parameters_are_rejected() {
        let bad_version: Result<ControlParams, _> =
            serde_json::from_value(serde_json::json!({"minimum-kubelet-version": "latest"}));
        assert!(
            bad_version
                .unwrap_err()
                .to_string()
                .contains("not a Kubernetes version")
        );
        let bad_quantity: Result<ControlParams, _> =
            serde_json::from_value(serde_json::json!({"sandbox-memory-limit-max": "big"}));
        assert!(
            bad_quantity
                .unwrap_err()
                .to_string()
                .contains("not a Kubernetes quantity")
        );
        let numeric: ControlParams =
            serde_json::from_value(serde_json::json!({"sandbox-cpu-limit-max": 4})).unwrap();
        assert_eq!(numeric.sandbox_cpu_limit_max, "4");
    }
}
