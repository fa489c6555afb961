use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that let a subject create, update, patch or delete the objects that steer
    /// traffic: Services, Endpoints, EndpointSlices, Ingresses and NetworkPolicies
    /// (`networking.k8s.io`, and the old `extensions` group for Ingress and NetworkPolicy).
    /// Rules limited by `resourceNames` are not counted.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported
    /// at the subject; the message names the role and rule.
    ///
    /// ## Why it matters
    /// Whoever controls Services and Endpoints decides which pods receive a Service's traffic
    /// and can intercept it (CVE-2020-8554 used `externalIPs` this way); whoever controls
    /// NetworkPolicies can lift the isolation that contains a compromised pod.
    ///
    /// ## How to fix
    /// Keep networking objects in the hands of the deployment pipeline; give other subjects
    /// read access only, or name the objects they manage with `resourceNames`.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["", "networking.k8s.io"]
    ///     resources: ["services", "ingresses", "networkpolicies"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    pub static MANAGE_NETWORKING = Control {
        id: "RBAC-026",
        slug: "rbac-manage-networking",
        title: "Subject can change Services, Endpoints, Ingresses or NetworkPolicies",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0056"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Give write access to networking objects only to the deployment pipeline, or limit it with resourceNames.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

const PERMISSION: Permission = Permission {
    verbs: &["create", "update", "patch", "delete"],
    resources: &[
        ("", "services"),
        ("", "endpoints"),
        ("discovery.k8s.io", "endpointslices"),
        ("networking.k8s.io", "ingresses"),
        ("networking.k8s.io", "networkpolicies"),
        ("extensions", "ingresses"),
        ("extensions", "networkpolicies"),
    ],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
