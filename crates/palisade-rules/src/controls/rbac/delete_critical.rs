use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `delete` or `deletecollection` on Secrets, Pods, Services,
    /// Deployments, ReplicaSets, DaemonSets, StatefulSets, Jobs or CronJobs.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// Deleting these takes applications down (denial of service) and can remove evidence or
    /// security tooling, such as a DaemonSet running a runtime sensor.
    ///
    /// ## How to fix
    /// Give delete rights to the deployment tooling that owns the resources, not to every reader or
    /// operator.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch", "update", "patch"]
    /// ```
    pub static DELETE_CRITICAL = Control {
        id: "RBAC-016",
        slug: "rbac-delete-critical",
        title: "Subject can delete critical resources",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0007"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove delete and deletecollection on these resources from roles that do not manage their lifecycle.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `delete` or `deletecollection` on Secrets, Pods, Services and workload controllers.
const PERMISSION: Permission = Permission {
    verbs: &["delete", "deletecollection"],
    resources: &[
        ("", "secrets"),
        ("", "pods"),
        ("", "services"),
        ("apps", "deployments"),
        ("apps", "replicasets"),
        ("apps", "daemonsets"),
        ("apps", "statefulsets"),
        ("batch", "jobs"),
        ("batch", "cronjobs"),
    ],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
