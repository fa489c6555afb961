use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Services of `type: NodePort`.
    ///
    /// ## Why it matters
    /// A NodePort opens the same port on every node of the cluster, on every node address,
    /// bypassing the load balancer and Ingress layer where TLS, authentication and rate limits
    /// usually live. Node firewalls are rarely as strict as the cluster's edge.
    ///
    /// ## How to fix
    /// Use a `ClusterIP` Service behind an Ingress or Gateway, or a LoadBalancer restricted by
    /// `loadBalancerSourceRanges` when the service must be reachable from outside.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: ClusterIP
    ///   ports:
    ///     - port: 80
    ///       targetPort: 8080
    /// ```
    pub static NODE_PORT_SERVICE = Control {
        id: "NET-005",
        slug: "service-node-port",
        title: "Service of type NodePort",
        severity: Severity::Low,
        category: "Network",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["exposed-services"],
            polaris: &[],
        },
        remediation: "Expose the Service through an Ingress or a restricted LoadBalancer instead of NodePort.",
        targets: Targets::Kinds(&["Service"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() != "Service" || !object.group().is_empty() {
        return;
    }
    if object.value().pointer("/spec/type").and_then(Value::as_str) == Some("NodePort") {
        out.push(
            Violation::new(
                "/spec/type",
                "The Service opens a port on every node of the cluster",
            )
            .with_evidence("type: NodePort"),
        );
    }
}
