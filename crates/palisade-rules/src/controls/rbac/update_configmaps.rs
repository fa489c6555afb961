use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `update` or `patch` on every ConfigMap, or on a list of named
    /// ConfigMaps that includes `coredns`.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule.
    ///
    /// ## Why it matters
    /// ConfigMaps configure other workloads. Rewriting CoreDNS's ConfigMap in `kube-system`
    /// redirects service names to attacker-chosen addresses for the whole cluster (DNS poisoning);
    /// rewriting an application's config changes its behaviour without touching its Deployment.
    ///
    /// ## How to fix
    /// Limit the rule with `resourceNames` to the ConfigMaps the subject manages.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     resourceNames: ["app-settings"]
    ///     verbs: ["get", "update", "patch"]
    /// ```
    pub static UPDATE_CONFIGMAPS = Control {
        id: "RBAC-010",
        slug: "rbac-update-configmaps",
        title: "Subject can modify ConfigMaps (CoreDNS included)",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0037"],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0049"],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Limit update/patch on configmaps with resourceNames to the ConfigMaps the subject owns.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `update` or `patch` on ConfigMaps; a rule limited to named ConfigMaps counts when it names `coredns`.
const PERMISSION: Permission = Permission {
    verbs: &["update", "patch"],
    resources: &[("", "configmaps")],
    sensitive_names: &["coredns"],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
