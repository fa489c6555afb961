//! What a workload can do through RBAC: the ServiceAccount its pods run as, whether that
//! account's token is mounted into them, and the bindings (in the scanned set) that name the
//! account. Shared by the controls that judge workloads by their account's permissions.
//!
//! Conventions:
//! - The account is `serviceAccountName`, else the deprecated `serviceAccount`, else
//!   `default`, in the workload's namespace (`default` when the manifest sets none).
//! - The token is mounted unless the pod spec sets `automountServiceAccountToken: false`, or
//!   the pod spec leaves it unset and the scanned ServiceAccount sets it to `false`.
//! - A binding names the account through a `ServiceAccount` subject, or through the groups
//!   every service account belongs to (`system:serviceaccounts`,
//!   `system:serviceaccounts:<namespace>`). Bootstrap policy is skipped, as everywhere in RBAC.
//! - Pods a controller owns (`ownerReferences` with `controller: true`) are skipped; their
//!   controller is reported instead.

use std::collections::HashMap;

use palisade_k8s::{Object, ObjectSet, PodView};
use serde_json::Value;

use super::support::{Permission, RuleRef, bindings, bound_role, subjects};

/// The ServiceAccount a workload's pods run as.
#[derive(Debug, Clone)]
pub(crate) struct WorkloadAccount<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    /// Where findings about the account point: the field naming it, or the pod spec when the
    /// account is the implicit `default`.
    pub pointer: String,
    /// False for the implicit `default` account (no field names it).
    pub explicit: bool,
}

impl WorkloadAccount<'_> {
    /// `ServiceAccount "shop/api"`.
    pub fn describe(&self) -> String {
        format!("ServiceAccount \"{}/{}\"", self.namespace, self.name)
    }

    /// `serviceAccountName: api`, as evidence.
    pub fn evidence(&self) -> String {
        if self.explicit {
            format!("serviceAccountName: {}", self.name)
        } else {
            "serviceAccountName: unset (default)".to_string()
        }
    }
}

/// The account of a workload's pod spec.
pub(crate) fn workload_account<'a>(object: &'a Object, pod: &PodView<'a>) -> WorkloadAccount<'a> {
    let namespace = object.resource.namespace.as_deref().unwrap_or("default");
    for field in ["serviceAccountName", "serviceAccount"] {
        let pointer = format!("/{field}");
        if let Some(name) = pod
            .get(&pointer)
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
        {
            return WorkloadAccount {
                namespace,
                name,
                pointer: pod.pointer_to(&pointer),
                explicit: true,
            };
        }
    }
    WorkloadAccount {
        namespace,
        name: "default",
        pointer: pod.spec_pointer.to_string(),
        explicit: false,
    }
}

/// Whether the account's token is mounted into the pods (see the module conventions).
pub(crate) fn token_mounted(
    set: &ObjectSet,
    pod: &PodView<'_>,
    account: &WorkloadAccount<'_>,
) -> bool {
    if let Some(own) = pod
        .get("/automountServiceAccountToken")
        .and_then(Value::as_bool)
    {
        return own;
    }
    // A ServiceAccount written without a namespace lands in `default`.
    let unnamespaced = (account.namespace == "default")
        .then(|| set.find("ServiceAccount", None, account.name))
        .flatten();
    let service_account = set
        .find("ServiceAccount", Some(account.namespace), account.name)
        .or(unnamespaced)
        .map(|(_, o)| o)
        .filter(|o| o.group().is_empty());
    service_account
        .and_then(|sa| sa.value().get("automountServiceAccountToken"))
        .and_then(Value::as_bool)
        != Some(false)
}

/// A binding that names a workload's account, and its role when the set holds it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccountBinding<'a> {
    pub binding: &'a Object,
    pub role: Option<&'a Object>,
}

impl AccountBinding<'_> {
    /// `ClusterRoleBinding "ci" (ClusterRole "edit", cluster-wide)`.
    pub fn describe(&self) -> String {
        let (role_kind, role_name) = super::support::role_ref(self.binding).unwrap_or(("?", "?"));
        format!(
            "{} \"{}\" ({role_kind} \"{role_name}\", {})",
            self.binding.kind(),
            self.binding.resource.name.as_deref().unwrap_or("<unnamed>"),
            super::support::scope(self.binding)
        )
    }
}

/// The bindings of a set by the service accounts they name, built once per check so that
/// judging every workload stays linear in the number of bindings.
pub(crate) struct AccountIndex<'a> {
    set: &'a ObjectSet,
    /// `(namespace, name)` of ServiceAccount subjects.
    by_account: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// `system:serviceaccounts:<namespace>` groups.
    by_namespace_group: HashMap<&'a str, Vec<usize>>,
    /// `system:serviceaccounts`: every account of the cluster.
    all_accounts: Vec<usize>,
    /// The role of every binding above, looked up once.
    roles: HashMap<usize, Option<&'a Object>>,
}

impl<'a> AccountIndex<'a> {
    pub fn new(set: &'a ObjectSet) -> Self {
        let mut index = AccountIndex {
            set,
            by_account: HashMap::new(),
            by_namespace_group: HashMap::new(),
            all_accounts: Vec::new(),
            roles: HashMap::new(),
        };
        for (binding_index, binding) in bindings(set) {
            index.roles.insert(binding_index, bound_role(set, binding));
            for subject in subjects(binding) {
                match subject.kind {
                    "ServiceAccount" => index
                        .by_account
                        .entry((subject.namespace.unwrap_or("default"), subject.name))
                        .or_default()
                        .push(binding_index),
                    "Group" if subject.name == "system:serviceaccounts" => {
                        index.all_accounts.push(binding_index);
                    }
                    "Group" => {
                        if let Some(ns) = subject.name.strip_prefix("system:serviceaccounts:") {
                            index
                                .by_namespace_group
                                .entry(ns)
                                .or_default()
                                .push(binding_index);
                        }
                    }
                    _ => {}
                }
            }
        }
        index
    }

    /// Every non-bootstrap binding of the set that names `account`, in scan order.
    pub fn bindings(&self, account: &WorkloadAccount<'_>) -> Vec<AccountBinding<'a>> {
        let mut indices: Vec<usize> = self
            .by_account
            .get(&(account.namespace, account.name))
            .into_iter()
            .flatten()
            .chain(
                self.by_namespace_group
                    .get(account.namespace)
                    .into_iter()
                    .flatten(),
            )
            .chain(&self.all_accounts)
            .copied()
            .collect();
        indices.sort_unstable();
        indices.dedup();
        indices
            .into_iter()
            .filter_map(|i| {
                Some(AccountBinding {
                    binding: self.set.get(i)?,
                    role: self.roles.get(&i).copied().flatten(),
                })
            })
            .collect()
    }
}

/// Workloads worth judging by their account: not owned by a controller, token mounted.
/// Yields `(index, workload, account)`.
pub(crate) fn mounted_accounts(
    set: &ObjectSet,
) -> impl Iterator<Item = (usize, &Object, WorkloadAccount<'_>)> + '_ {
    set.workloads().filter_map(move |(index, object, pod)| {
        if is_controlled(object) {
            return None;
        }
        let account = workload_account(object, &pod);
        token_mounted(set, &pod, &account).then_some((index, object, account))
    })
}

/// True for objects a controller owns.
fn is_controlled(object: &Object) -> bool {
    object
        .value()
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|owner| owner.get("controller").and_then(Value::as_bool) == Some(true))
}

/// `Deployment "web"`.
pub(crate) fn describe_workload(object: &Object) -> String {
    format!(
        "{} \"{}\"",
        object.kind(),
        object.resource.name.as_deref().unwrap_or("<unnamed>")
    )
}

/// `*` verbs on `*` resources in `*` API groups: the rule `cluster-admin` carries.
pub(crate) fn is_full_wildcard(rule: &Value) -> bool {
    ["verbs", "resources", "apiGroups"]
        .iter()
        .all(|field| super::support::items(rule, field).contains(&"*"))
}

/// Permissions that hand over the cluster (or every workload in a namespace) to whoever holds
/// them, with how messages name them.
pub(crate) const TAKEOVER: &[(&str, Permission)] = &[
    (
        "run pods",
        Permission {
            verbs: &["create"],
            resources: &[
                ("", "pods"),
                ("apps", "deployments"),
                ("apps", "daemonsets"),
                ("apps", "statefulsets"),
                ("apps", "replicasets"),
                ("batch", "jobs"),
                ("batch", "cronjobs"),
            ],
            sensitive_names: &[],
        },
    ),
    (
        "exec into pods",
        Permission {
            verbs: &["create", "get"],
            resources: &[("", "pods/exec"), ("", "pods/attach")],
            sensitive_names: &[],
        },
    ),
    (
        "read secrets",
        Permission {
            verbs: &["get", "list", "watch"],
            resources: &[("", "secrets")],
            sensitive_names: &[],
        },
    ),
    (
        "escalate or bind roles",
        Permission {
            verbs: &["escalate", "bind"],
            resources: &[
                ("rbac.authorization.k8s.io", "roles"),
                ("rbac.authorization.k8s.io", "clusterroles"),
            ],
            sensitive_names: &[],
        },
    ),
    (
        "write bindings",
        Permission {
            verbs: &["create", "update", "patch"],
            resources: &[
                ("rbac.authorization.k8s.io", "rolebindings"),
                ("rbac.authorization.k8s.io", "clusterrolebindings"),
            ],
            sensitive_names: &[],
        },
    ),
    (
        "impersonate",
        Permission {
            verbs: &["impersonate"],
            resources: &[("", "users"), ("", "groups"), ("", "serviceaccounts")],
            sensitive_names: &[],
        },
    ),
    (
        "use the nodes proxy",
        Permission {
            verbs: &["get", "create", "connect"],
            resources: &[("", "nodes/proxy")],
            sensitive_names: &[],
        },
    ),
    (
        "mint service account tokens",
        Permission {
            verbs: &["create"],
            resources: &[("", "serviceaccounts/token")],
            sensitive_names: &[],
        },
    ),
    (
        "change admission webhooks",
        Permission {
            verbs: &["create", "update", "patch"],
            resources: &[
                (
                    "admissionregistration.k8s.io",
                    "mutatingwebhookconfigurations",
                ),
                (
                    "admissionregistration.k8s.io",
                    "validatingwebhookconfigurations",
                ),
            ],
            sensitive_names: &[],
        },
    ),
    (
        "approve certificate requests",
        Permission {
            verbs: &["update", "patch"],
            resources: &[("certificates.k8s.io", "certificatesigningrequests/approval")],
            sensitive_names: &[],
        },
    ),
];

/// The first takeover permission a rule grants, as `(what, verbs, resources)`.
pub(crate) fn takeover_grant(
    rule: &RuleRef<'_>,
) -> Option<(&'static str, Vec<String>, Vec<String>)> {
    TAKEOVER.iter().find_map(|(what, permission)| {
        super::support::grants(rule.rule, permission)
            .map(|(verbs, resources)| (*what, verbs, resources))
    })
}
