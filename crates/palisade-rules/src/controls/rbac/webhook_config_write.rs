use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `create`, `update`, `patch`, `delete` or `deletecollection` on
    /// `validatingwebhookconfigurations` or `mutatingwebhookconfigurations`.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// Admission webhooks see and may rewrite every object sent to the API server. Whoever controls
    /// their configuration can switch off policy enforcement, or register a webhook that injects
    /// containers into pods or reads every Secret as it is created (CIS 5.1.12).
    ///
    /// ## How to fix
    /// Keep webhook configuration changes to cluster administrators and the installer of the
    /// admission controller.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["admissionregistration.k8s.io"]
    ///     resources: ["validatingwebhookconfigurations"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    pub static WEBHOOK_CONFIG_WRITE = Control {
        id: "RBAC-014",
        slug: "rbac-webhook-config-write",
        title: "Subject can modify admission webhook configurations",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0281"],
            cis: &["5.1.12"],
            checkov: &["CKV_K8S_155"],
            trivy: &["KSV-0114"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove write verbs on validating/mutating webhook configurations from the role.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// Writes to validating and mutating webhook configurations.
const PERMISSION: Permission = Permission {
    verbs: &["create", "update", "patch", "delete", "deletecollection"],
    resources: &[
        (
            "admissionregistration.k8s.io",
            "validatingwebhookconfigurations",
        ),
        (
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations",
        ),
    ],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
