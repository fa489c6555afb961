use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{Permission, report_permission};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Bindings that give a subject `create`, `update` or `patch` on `pods` or on a controller that
    /// creates pods (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs,
    /// ReplicationControllers). Updating a controller changes its pod template, which is as good as
    /// creating a pod.
    ///
    /// Each subject of a binding whose role (in the scanned set) has such a rule is reported at the
    /// subject; the message names the role and rule. Rules limited by `resourceNames` do not count.
    ///
    /// ## Why it matters
    /// Whoever creates a pod chooses its ServiceAccount, volumes and security context: they can
    /// mount any Secret of the namespace, run as any ServiceAccount there and, unless Pod Security
    /// Admission stops them, get a privileged pod on a node (CIS 5.1.4).
    ///
    /// ## How to fix
    /// Keep pod creation to CI/CD identities and controllers; give people read access and a
    /// deployment pipeline.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    pub static CREATE_WORKLOADS = Control {
        id: "RBAC-005",
        slug: "rbac-create-workloads",
        title: "Subject can create pods or workload controllers",
        severity: Severity::Medium,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0188"],
            cis: &["5.1.4"],
            checkov: &[],
            trivy: &["KSV-0048"],
            kube_linter: &["access-to-create-pods"],
            polaris: &[],
        },
        remediation: "Grant pod and workload write access only to deployment tooling, scoped to its namespaces.",
        targets: Targets::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
        check: Check::Set(check),
    };
}

/// `create`, `update` or `patch` on pods and every controller that creates pods.
const PERMISSION: Permission = Permission {
    verbs: &["create", "update", "patch"],
    resources: &[
        ("", "pods"),
        ("", "replicationcontrollers"),
        ("apps", "deployments"),
        ("apps", "replicasets"),
        ("apps", "statefulsets"),
        ("apps", "daemonsets"),
        ("batch", "jobs"),
        ("batch", "cronjobs"),
    ],
    sensitive_names: &[],
};

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_permission(set, &PERMISSION, out);
}
