use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `delete` or `deletecollection` on `events`, in the core or the
    /// `events.k8s.io` API group.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// Events record what happened in the cluster: failed logins to pods, image pulls, evictions.
    /// Deleting them is how an intruder removes traces of activity.
    ///
    /// ## How to fix
    /// Nothing but the API server's own garbage collection needs to delete events; remove the verbs.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["events"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    pub static DELETE_EVENTS = Control {
        id: "RBAC-009",
        slug: "rbac-delete-events",
        title: "Subject can delete events",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0031"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove delete and deletecollection on events from the role.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `delete` or `deletecollection` on Events (core and events.k8s.io).
const PERMISSION: Permission = Permission {
    verbs: &["delete", "deletecollection"],
    resources: &[("", "events"), ("events.k8s.io", "events")],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
