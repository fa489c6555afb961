use palisade_core::Severity;
use palisade_k8s::{Object, ObjectSet};
use serde_json::Value;

use super::support::{Direction, isolates, network_policies, pod_selector, rules};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets, Violation};

control! {
    /// ## What it checks
    /// Namespaces without a default-deny ingress NetworkPolicy: a policy whose `podSelector` is
    /// empty (`{}`, every pod of the namespace), that isolates Ingress and has no ingress rules.
    /// Every namespace the scan mentions is checked: Namespace objects and the namespaces of
    /// other objects. The finding is on the Namespace object when it was scanned, else on the
    /// `metadata.namespace` of the first object in that namespace.
    ///
    /// ## Why it matters
    /// With a default deny in place, a new workload is unreachable until someone allows its
    /// traffic; without it, every new workload starts open to the whole cluster and stays so
    /// until someone remembers to write a policy (CIS 5.3.2).
    ///
    /// ## How to fix
    /// Add a default-deny policy to every namespace, then allow the traffic each workload
    /// needs with further policies.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny-ingress
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: ["Ingress"]
    /// ```
    pub static NAMESPACE_DEFAULT_DENY = Control {
        id: "NET-004",
        slug: "namespace-without-default-deny",
        title: "Namespace without a default-deny ingress NetworkPolicy",
        severity: Severity::Medium,
        category: "Network",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0049", "C-0054", "C-0206"],
            cis: &["5.3.2"],
            checkov: &[],
            trivy: &["KSV-0038"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Add a NetworkPolicy with podSelector {} and policyTypes [Ingress] and no ingress rules to the namespace.",
        targets: Targets::Kinds(&["Namespace"]),
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    for namespace in set.namespaces() {
        let denied = network_policies(set).any(|(_, policy)| {
            policy.resource.namespace.as_deref() == Some(namespace) && is_default_deny(policy)
        });
        if denied {
            continue;
        }
        let message = format!(
            "Namespace \"{namespace}\" has no default-deny ingress NetworkPolicy; pods are reachable from the whole cluster unless a policy selects them"
        );
        let namespace_object = set
            .of_kind("Namespace")
            .find(|(_, o)| o.group().is_empty() && o.resource.name.as_deref() == Some(namespace));
        let (index, pointer) = if let Some((index, _)) = namespace_object {
            (index, "/metadata/name")
        } else {
            let first = set
                .objects()
                .iter()
                .position(|o| o.resource.namespace.as_deref() == Some(namespace));
            let Some(index) = first else { continue };
            (index, "/metadata/namespace")
        };
        out.push(SetViolation {
            object: index,
            violation: Violation::new(pointer, message),
        });
    }
}

/// `podSelector: {}`, isolating Ingress, with no ingress rules.
fn is_default_deny(policy: &Object) -> bool {
    let selects_all = pod_selector(policy).is_none_or(|s| match s {
        Value::Object(map) => map.values().all(|v| match v {
            Value::Object(m) => m.is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        }),
        _ => false,
    });
    selects_all
        && isolates(policy, Direction::Ingress)
        && rules(policy, Direction::Ingress).is_empty()
}
