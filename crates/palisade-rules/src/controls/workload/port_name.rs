use palisade_core::Severity;
use palisade_k8s::{Object, PodView};
use serde_json::Value;

use super::support::{describe, items};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Port names that break the IANA service-name rules Kubernetes applies
    /// (`IANA_SVC_NAME`): at most 15 characters, only lower-case letters, digits and `-`, at
    /// least one letter, no `-` at either end and no `--`. Checked in containers'
    /// `ports[*].name` and in a Service's `ports[*].targetPort` when it is a name.
    ///
    /// ## Why it matters
    /// The API server rejects a pod template with an invalid port name, so the rollout
    /// fails; a Service whose `targetPort` names an invalid (and so undefinable) port
    /// never routes traffic.
    ///
    /// ## How to fix
    /// Rename the port, e.g. `http-metrics` instead of `HTTP_Metrics` or
    /// `prometheus-metrics-port`.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    ///   - name: http-metrics
    ///     containerPort: 9090
    /// ```
    pub static PORT_NAME = Control {
        id: "WL-019",
        slug: "invalid-port-name",
        title: "Port name is not a valid service name",
        severity: Severity::Low,
        category: "Reliability",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["invalid-target-ports"],
            polaris: &[],
        },
        remediation: "Use port names of at most 15 lower-case letters, digits and single hyphens.",
        targets: Targets::Kinds(&[
            "Pod",
            "Deployment",
            "ReplicaSet",
            "DaemonSet",
            "StatefulSet",
            "Job",
            "CronJob",
            "ReplicationController",
            "PodTemplate",
            "Service",
        ]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if let Some(pod) = PodView::of(object) {
        for container in pod.containers() {
            for (index, port) in items(container.get("/ports")) {
                let Some(name) = port.get("name").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(problem) = invalid(name) {
                    out.push(
                        Violation::new(
                            container.pointer_to(&format!("/ports/{index}/name")),
                            format!(
                                "{} names a port \"{name}\": {problem}",
                                describe(&container)
                            ),
                        )
                        .with_evidence(format!("name: {name}")),
                    );
                }
            }
        }
    } else if object.kind() == "Service" && object.group().is_empty() {
        let ports = object.value().pointer("/spec/ports");
        for (index, port) in items(ports) {
            let Some(name) = port.get("targetPort").and_then(Value::as_str) else {
                continue;
            };
            if name.parse::<u32>().is_ok() {
                continue;
            }
            if let Some(problem) = invalid(name) {
                out.push(
                    Violation::new(
                        format!("/spec/ports/{index}/targetPort"),
                        format!("The Service targets port \"{name}\": {problem}"),
                    )
                    .with_evidence(format!("targetPort: {name}")),
                );
            }
        }
    }
}

/// Why `name` is not an IANA service name, if it is not.
fn invalid(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.len() > 15 {
        return Some("port names have 1 to 15 characters");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("only lower-case letters, digits and '-' are allowed");
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("a port name needs at least one letter");
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Some("'-' may not start or end the name nor repeat");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::invalid;

    #[test]
    fn iana_service_names() {
        assert!(invalid("http").is_none());
        assert!(invalid("http-metrics").is_none());
        assert!(invalid("h2c").is_none());
        assert!(invalid("metrics-port-long").is_some(), "16 characters");
        assert!(invalid("HTTP").is_some());
        assert!(invalid("http_alt").is_some());
        assert!(invalid("8080").is_some());
        assert!(invalid("-web").is_some());
        assert!(invalid("web--ui").is_some());
    }
}
