use palisade_core::Severity;
use palisade_k8s::ObjectSet;
use serde_json::Value;

use super::support::{describe, kind_in_namespace, namespace_phrase, text};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// StatefulSets (`apps`) whose `spec.serviceName` names a Service that is not in the scan,
    /// or a Service that is not headless (`clusterIP` other than `None`). As with the other
    /// reference controls, a namespace is only checked when the scan holds at least one
    /// Service in it. A StatefulSet without `serviceName` is not reported (the field is
    /// optional since Kubernetes 1.30).
    ///
    /// ## Why it matters
    /// The governing Service gives each replica its stable DNS name
    /// (`db-0.db.shop.svc`). With the Service missing, or not headless, those names do not
    /// resolve and peers that find each other by name (databases, brokers) cannot form a
    /// cluster.
    ///
    /// ## How to fix
    /// Create a headless Service (`clusterIP: None`) selecting the StatefulSet's pods and
    /// name it in `serviceName`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: db
    /// ```
    pub static STATEFULSET_SERVICE = Control {
        id: "REF-011",
        slug: "statefulset-service-not-headless",
        title: "StatefulSet's governing Service missing or not headless",
        severity: Severity::Low,
        category: "References",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Point serviceName at a headless Service (clusterIP: None) that selects the StatefulSet's pods.",
        targets: Targets::Kinds(&["StatefulSet"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for (index, stateful) in set.of_kind("StatefulSet") {
        if stateful.group() != "apps" {
            continue;
        }
        let Some(name) = text(stateful.value(), "/spec/serviceName") else {
            continue;
        };
        let namespace = stateful.resource.namespace.as_deref();
        if !kind_in_namespace(set, "Service", namespace) {
            continue;
        }
        let message = match set.find("Service", namespace, name) {
            None => format!(
                "{} names Service \"{name}\", which is not among the scanned objects of {}",
                describe(stateful),
                namespace_phrase(namespace)
            ),
            Some((_, service)) => {
                let cluster_ip = service
                    .value()
                    .pointer("/spec/clusterIP")
                    .and_then(Value::as_str);
                if cluster_ip == Some("None") {
                    continue;
                }
                format!(
                    "{} names Service \"{name}\", which is not headless (clusterIP: {}), so its pods get no stable DNS names",
                    describe(stateful),
                    cluster_ip.unwrap_or("unset")
                )
            }
        };
        out.push(SetViolation {
            object: index,
            violation: Violation::new("/spec/serviceName", message)
                .with_evidence(format!("serviceName: {name}")),
        });
    }
}
