use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `update` or `patch` on `certificatesigningrequests/approval`
    /// (`certificates.k8s.io`).
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// Approving a CertificateSigningRequest issues a client certificate the API server trusts.
    /// Whoever can approve their own request can mint a certificate for any user or group,
    /// `system:masters` included, and certificates cannot be revoked (CIS 5.1.11).
    ///
    /// ## How to fix
    /// Leave approval to the controller manager's built-in approvers and a few administrators.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["certificatesigningrequests"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    pub static APPROVE_CSR = Control {
        id: "RBAC-013",
        slug: "rbac-approve-csr",
        title: "Subject can approve certificate signing requests",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0280"],
            cis: &["5.1.11"],
            checkov: &["CKV_K8S_156"],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove update on certificatesigningrequests/approval from the role; leave approval to the controller manager and trusted approvers.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `update` or `patch` on certificatesigningrequests/approval.
const PERMISSION: Permission = Permission {
    verbs: &["update", "patch"],
    resources: &[("certificates.k8s.io", "certificatesigningrequests/approval")],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
