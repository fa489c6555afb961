//! Helpers shared by the workload, image and secrets families.

use palisade_k8s::{ContainerKind, ContainerView, Object, PodView};
use serde_json::Value;

pub(crate) use palisade_yaml::escape_pointer_token as escape;

/// Runs `check` on the pod spec of `object`, if it has one.
pub(crate) fn with_pod(object: &Object, check: impl FnOnce(&PodView<'_>)) {
    if let Some(pod) = PodView::of(object) {
        check(&pod);
    }
}

/// How a container is named in messages: `container "app"`, `init container "setup"`, ….
pub(crate) fn describe(container: &ContainerView<'_>) -> String {
    let kind = match container.kind {
        ContainerKind::Container => "container",
        ContainerKind::InitContainer => "init container",
        ContainerKind::EphemeralContainer => "ephemeral container",
    };
    format!("{kind} \"{}\"", container.name())
}

/// True for an explicit boolean `true`.
pub(crate) fn is_true(value: Option<&Value>) -> bool {
    value.and_then(Value::as_bool) == Some(true)
}

/// The items of an array field, with their indices (nothing when the field is not an array).
pub(crate) fn items(value: Option<&Value>) -> impl Iterator<Item = (usize, &Value)> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

/// The string items of an array field, with their indices.
pub(crate) fn string_items(value: Option<&Value>) -> impl Iterator<Item = (usize, Option<&str>)> {
    items(value).map(|(i, v)| (i, v.as_str()))
}

/// A string field of a JSON object.
pub(crate) fn str_field<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// Containers that run for the pod's whole life and so take probes: regular containers and
/// sidecars (init containers with `restartPolicy: Always`).
pub(crate) fn is_long_running(container: &ContainerView<'_>) -> bool {
    match container.kind {
        ContainerKind::Container => true,
        ContainerKind::InitContainer => {
            container.get("/restartPolicy").and_then(Value::as_str) == Some("Always")
        }
        ContainerKind::EphemeralContainer => false,
    }
}

/// Batch kinds, whose pods run to completion.
pub(crate) fn is_batch(object: &Object) -> bool {
    object.group() == "batch" && matches!(object.kind(), "Job" | "CronJob")
}

/// A `hostPath` volume of the pod spec.
pub(crate) struct HostPathVolume<'a> {
    pub index: usize,
    pub name: &'a str,
    /// The path as written.
    pub path: &'a str,
}

/// Every `hostPath` volume of the pod.
pub(crate) fn host_path_volumes<'a>(pod: &PodView<'a>) -> Vec<HostPathVolume<'a>> {
    items(pod.get("/volumes"))
        .filter_map(|(index, volume)| {
            let host_path = volume.get("hostPath").filter(|v| v.is_object())?;
            Some(HostPathVolume {
                index,
                name: str_field(volume, "name").unwrap_or("<unnamed>"),
                path: str_field(host_path, "path").unwrap_or(""),
            })
        })
        .collect()
}

/// A host path in canonical form: no trailing or doubled slashes and no `.` segments, so
/// `/etc/`, `//etc` and `/./etc` all read `/etc`. `..` segments are resolved lexically.
pub(crate) fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// True when `path` is `dir` or lies below it (both normalised).
pub(crate) fn is_under(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// `(index, mount)` for each of the container's `volumeMounts` that mounts `volume`.
pub(crate) fn mounts_of<'a>(
    container: &ContainerView<'a>,
    volume: &'a str,
) -> impl Iterator<Item = (usize, &'a Value)> + 'a {
    items(container.get("/volumeMounts")).filter(move |(_, m)| str_field(m, "name") == Some(volume))
}

/// A Linux capability name in canonical form: upper case, without the `CAP_` prefix.
pub(crate) fn capability(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map_or_else(|| upper.clone(), str::to_string)
}

/// Reports containers and init containers (ephemeral containers cannot set resources) that
/// lack `resources.<section>.<resource>`, e.g. `limits` / `memory`.
pub(crate) fn missing_resource(
    object: &Object,
    section: &str,
    resource: &str,
    out: &mut Vec<crate::Violation>,
) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            if container.kind == ContainerKind::EphemeralContainer {
                continue;
            }
            let pointer = format!("/resources/{section}/{resource}");
            if container.get(&pointer).is_some() {
                continue;
            }
            let what = match (resource, section) {
                ("cpu", "limits") => "CPU limit",
                ("cpu", _) => "CPU request",
                (_, "limits") => "memory limit",
                _ => "memory request",
            };
            out.push(crate::Violation::new(
                container.pointer_to(&pointer),
                format!(
                    "{} sets no {what} (resources.{section}.{resource})",
                    describe(&container)
                ),
            ));
        }
    });
}

/// Reports long-running containers (regular containers and sidecars) without `probe`
/// (`livenessProbe`, `readinessProbe`). Jobs, CronJobs and pods that are not restarted
/// (`restartPolicy: Never` / `OnFailure`) run to completion and are skipped.
pub(crate) fn missing_probe(object: &Object, probe: &str, out: &mut Vec<crate::Violation>) {
    if is_batch(object) {
        return;
    }
    with_pod(object, |pod| {
        let restart = pod.get("/restartPolicy").and_then(Value::as_str);
        if matches!(restart, Some("Never" | "OnFailure")) {
            return;
        }
        for container in pod.containers().filter(is_long_running) {
            let pointer = format!("/{probe}");
            if container.get(&pointer).is_some() {
                continue;
            }
            out.push(crate::Violation::new(
                container.pointer_to(&pointer),
                format!("{} has no {probe}", describe(&container)),
            ));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise() {
        assert_eq!(normalize_path("/etc/"), "/etc");
        assert_eq!(
            normalize_path("//var//run/./docker.sock"),
            "/var/run/docker.sock"
        );
        assert_eq!(normalize_path("/var/lib/../../etc"), "/etc");
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path(""), "/");
    }

    #[test]
    fn under_is_segment_aware() {
        assert!(is_under("/etc", "/etc"));
        assert!(is_under("/etc/ssl", "/etc"));
        assert!(!is_under("/etcd", "/etc"));
        assert!(is_under("/anything", "/"));
    }

    #[test]
    fn capabilities_canonicalise() {
        assert_eq!(capability("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(capability("NET_RAW"), "NET_RAW");
    }
}
