use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `create` on `persistentvolumes`.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// A PersistentVolume can be a `hostPath` volume: whoever creates one and claims it mounts any
    /// directory of a node, whatever Pod Security Admission says about hostPath in pods (CIS 5.1.9).
    ///
    /// ## How to fix
    /// Let users claim storage with PersistentVolumeClaims and provision volumes through
    /// StorageClasses; keep PersistentVolume creation to storage administrators.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["persistentvolumeclaims"]
    ///     verbs: ["create", "get", "list"]
    /// ```
    pub static CREATE_PERSISTENT_VOLUMES = Control {
        id: "RBAC-012",
        slug: "rbac-create-persistent-volumes",
        title: "Subject can create PersistentVolumes",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0278"],
            cis: &["5.1.9"],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove create on persistentvolumes; let workloads request storage through PersistentVolumeClaims and StorageClasses.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `create` on PersistentVolumes.
const PERMISSION: Permission = Permission {
    verbs: &["create"],
    resources: &[("", "persistentvolumes")],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
