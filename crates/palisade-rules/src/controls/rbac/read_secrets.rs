use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `get`, `list` or `watch` on `secrets`, through a rule that names
    /// them or uses `*`.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// Secrets hold ServiceAccount tokens, registry credentials, TLS keys and database passwords.
    /// `list` and `watch` return every Secret's content, not just names, so read access to Secrets is
    /// usually a path to other identities, often more privileged ones (CIS 5.1.2).
    ///
    /// ## How to fix
    /// Drop the verbs, or limit the rule to the specific Secrets the workload reads. Workloads
    /// usually get their Secrets mounted and need no API access to them.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["app-tls"]
    ///     verbs: ["get"]
    /// ```
    pub static READ_SECRETS = Control {
        id: "RBAC-003",
        slug: "rbac-read-secrets",
        title: "Subject can read Secrets",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0015", "C-0186"],
            cis: &["5.1.2"],
            checkov: &["CKV2_K8S_5"],
            trivy: &["KSV-0041", "KSV-0113"],
            kube_linter: &["access-to-secrets"],
            polaris: &[],
        },
        remediation: "Remove get/list/watch on secrets from the role, or limit the rule to the Secrets needed with resourceNames.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `get`, `list` or `watch` on Secrets.
const PERMISSION: Permission = Permission {
    verbs: &["get", "list", "watch"],
    resources: &[("", "secrets")],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
