use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that let a subject `update` or `patch` the `services/status` subresource.
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported
    /// at the subject; the message names the role and rule. Load-balancer controllers need
    /// this right; an exception documents them.
    ///
    /// ## Why it matters
    /// A Service's status holds its load balancer addresses. Writing
    /// `status.loadBalancer.ingress` makes kube-proxy send traffic for that address to the
    /// Service, so a subject with this right can intercept traffic meant for any IP
    /// (CVE-2020-8554).
    ///
    /// ## How to fix
    /// Grant `services/status` only to the cloud or load-balancer controller's account.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["services"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    pub static SERVICE_STATUS = Control {
        id: "RBAC-027",
        slug: "rbac-modify-service-status",
        title: "Subject can modify services/status",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &["CKV2_K8S_4"],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Grant update/patch on services/status only to the load-balancer controller.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

const PERMISSION: Permission = Permission {
    verbs: &["update", "patch"],
    resources: &[("", "services/status")],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
