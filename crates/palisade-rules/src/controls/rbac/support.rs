//! What the RBAC controls share: reading bindings and their subjects, resolving a binding's
//! role inside the scanned set, and deciding whether a rule grants a permission.
//!
//! Conventions every RBAC control follows:
//! - Permission controls ("who can read Secrets") report on the **binding**, one finding per
//!   subject, pointing at that subject (`/subjects/N`); the message names the role and the rule
//!   that grants the permission, and the evidence is that rule. An unbound role grants nothing,
//!   so it is not reported. A binding whose role is not in the scanned set is not reported
//!   either: its permissions are unknown.
//! - Subject controls (anonymous users, `system:masters`, the `default` ServiceAccount) report
//!   on the binding's subject name (`/subjects/N/name`), whatever the role.
//! - Role-definition controls (wildcards) report on the role's rule (`/rules/N/...`).
//! - Kubernetes' own bootstrap policy (objects labelled `kubernetes.io/bootstrapping:
//!   rbac-defaults`) is skipped: the API server recreates it at every start, so it cannot be
//!   changed and would make every cluster scan report the same findings.
//! - A rule limited by `resourceNames` is least privilege already and grants nothing here,
//!   unless a control names the objects that matter (CoreDNS's ConfigMap).
//! - Resource matching follows the API server: `*` matches every resource, `*/exec` every
//!   `exec` subresource, anything else must be spelled exactly (`pods/*` is not a wildcard).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use palisade_k8s::{Object, ObjectSet, selector_matches};
use serde_json::Value;

use crate::{SetViolation, Violation};

/// At most this many items of a list are spelled out in a message or evidence; a workload
/// whose account is bound a hundred times would otherwise carry kilobytes per finding.
pub(crate) const LISTED_ITEMS: usize = 8;

/// The first [`LISTED_ITEMS`] of `items` joined by `separator`, then how many more `noun`s
/// there are: `a; b; and 3 more rules`.
pub(crate) fn bounded_join(items: &[String], separator: &str, noun: &str) -> String {
    let listed = &items[..items.len().min(LISTED_ITEMS)];
    let mut text = listed.join(separator);
    if items.len() > LISTED_ITEMS {
        let more = items.len() - LISTED_ITEMS;
        let _ = write!(text, "{separator}and {more} more {noun}");
    }
    text
}

/// True for Kubernetes' bootstrap RBAC objects, which nobody can change.
pub(crate) fn is_bootstrap(object: &Object) -> bool {
    object
        .labels()
        .and_then(|labels| labels.get("kubernetes.io/bootstrapping"))
        .and_then(Value::as_str)
        == Some("rbac-defaults")
}

/// RoleBindings and ClusterRoleBindings of the set, bootstrap policy excluded.
pub(crate) fn bindings(set: &ObjectSet) -> impl Iterator<Item = (usize, &Object)> {
    set.objects()
        .iter()
        .enumerate()
        .filter(|(_, o)| is_binding(o) && !is_bootstrap(o))
}

fn is_binding(object: &Object) -> bool {
    object.group() == "rbac.authorization.k8s.io"
        && matches!(object.kind(), "RoleBinding" | "ClusterRoleBinding")
}

/// One subject of a binding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub index: usize,
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: Option<&'a str>,
}

impl Subject<'_> {
    /// `ServiceAccount "ci/deployer"`, `Group "system:masters"`, `User "alice"`.
    pub fn describe(&self) -> String {
        match (self.kind, self.namespace) {
            ("ServiceAccount", Some(ns)) => format!("ServiceAccount \"{ns}/{}\"", self.name),
            (kind, _) => format!("{kind} \"{}\"", self.name),
        }
    }

    /// Pointer of this subject inside its binding.
    pub fn pointer(&self) -> String {
        format!("/subjects/{}", self.index)
    }
}

/// The subjects of a binding. A ServiceAccount subject without a namespace gets the binding's.
pub(crate) fn subjects(binding: &Object) -> impl Iterator<Item = Subject<'_>> {
    let binding_namespace = binding.resource.namespace.as_deref();
    binding
        .value()
        .get("subjects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(move |(index, subject)| {
            let text = |field: &str| subject.get(field).and_then(Value::as_str);
            let kind = text("kind")?;
            let name = text("name")?;
            let namespace = text("namespace").or(if kind == "ServiceAccount" {
                binding_namespace
            } else {
                None
            });
            Some(Subject {
                index,
                kind,
                name,
                namespace,
            })
        })
}

/// `roleRef.kind` and `roleRef.name` of a binding.
pub(crate) fn role_ref(binding: &Object) -> Option<(&str, &str)> {
    let role_ref = binding.value().get("roleRef")?;
    Some((
        role_ref.get("kind")?.as_str()?,
        role_ref.get("name")?.as_str()?,
    ))
}

/// The Role or ClusterRole a binding refers to, when the set holds it. A RoleBinding's Role is
/// looked up in the binding's namespace; ClusterRoles are cluster-scoped.
pub(crate) fn bound_role<'a>(set: &'a ObjectSet, binding: &Object) -> Option<&'a Object> {
    let (kind, name) = role_ref(binding)?;
    let namespace = match kind {
        "Role" if binding.kind() == "RoleBinding" => binding.resource.namespace.as_deref(),
        "ClusterRole" => None,
        _ => return None,
    };
    set.find(kind, namespace, name)
        .map(|(_, o)| o)
        .filter(|o| o.group() == "rbac.authorization.k8s.io")
}

/// How a role is named in messages: `ClusterRole "edit"`.
pub(crate) fn describe_role(role: &Object) -> String {
    format!(
        "{} \"{}\"",
        role.kind(),
        role.resource.name.as_deref().unwrap_or("<unnamed>")
    )
}

/// One rule of a role, with the role that holds it (an aggregated ClusterRole's rules come from
/// the ClusterRoles it selects).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleRef<'a> {
    pub role: &'a Object,
    pub index: usize,
    pub rule: &'a Value,
}

impl RuleRef<'_> {
    /// `ClusterRole "reader" rule 2`.
    pub fn describe(&self) -> String {
        format!("{} rule {}", describe_role(self.role), self.index)
    }

    /// The rule in compact JSON, as evidence.
    pub fn evidence(&self) -> String {
        format!("rules[{}]: {}", self.index, self.rule)
    }
}

/// The rules a role grants: its own, plus, for a ClusterRole with an `aggregationRule`, the
/// rules of every ClusterRole in the set its selectors match (recursively).
pub(crate) fn effective_rules<'a>(set: &'a ObjectSet, role: &'a Object) -> Vec<RuleRef<'a>> {
    let mut rules = Vec::new();
    let mut visited: BTreeSet<usize> = BTreeSet::new();
    let mut pending = vec![role];
    while let Some(current) = pending.pop() {
        rules.extend(own_rules(current));
        let selectors = current
            .value()
            .pointer("/aggregationRule/clusterRoleSelectors")
            .and_then(Value::as_array);
        let Some(selectors) = selectors.filter(|_| current.kind() == "ClusterRole") else {
            continue;
        };
        for (index, candidate) in set.of_kind("ClusterRole") {
            if std::ptr::eq(candidate, role) || !visited.insert(index) {
                continue;
            }
            if selectors
                .iter()
                .any(|s| selector_matches(Some(s), candidate.labels()))
            {
                pending.push(candidate);
            }
        }
    }
    rules
}

fn own_rules(role: &Object) -> impl Iterator<Item = RuleRef<'_>> {
    role.value()
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(move |(index, rule)| RuleRef { role, index, rule })
}

/// The string items of a rule field (`verbs`, `resources`, `apiGroups`, `resourceNames`).
pub(crate) fn items<'a>(rule: &'a Value, field: &str) -> Vec<&'a str> {
    rule.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// A permission some control looks for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Permission {
    /// Verbs any of which counts.
    pub verbs: &'static [&'static str],
    /// `(apiGroup, resource)` pairs any of which counts; `resource` may name a subresource.
    pub resources: &'static [(&'static str, &'static str)],
    /// Object names that count even when a rule is limited by `resourceNames`.
    pub sensitive_names: &'static [&'static str],
}

/// What a rule grants of a permission: the matched verbs and resources, or `None`.
pub(crate) fn grants(rule: &Value, permission: &Permission) -> Option<(Vec<String>, Vec<String>)> {
    let names = items(rule, "resourceNames");
    if !names.is_empty() && !names.iter().any(|n| permission.sensitive_names.contains(n)) {
        return None;
    }
    let verbs = items(rule, "verbs");
    let groups = items(rule, "apiGroups");
    let resources = items(rule, "resources");
    let matched_verbs: Vec<String> = permission
        .verbs
        .iter()
        .filter(|v| verbs.iter().any(|x| *x == "*" || x == *v))
        .map(|v| (*v).to_string())
        .collect();
    if matched_verbs.is_empty() {
        return None;
    }
    let mut matched_resources: Vec<String> = Vec::new();
    for (group, resource) in permission.resources {
        let group_ok = groups.iter().any(|g| *g == "*" || g == group);
        if group_ok && resources.iter().any(|r| resource_matches(r, resource)) {
            let display = if group.is_empty() {
                (*resource).to_string()
            } else {
                format!("{resource}.{group}")
            };
            if !matched_resources.contains(&display) {
                matched_resources.push(display);
            }
        }
    }
    (!matched_resources.is_empty()).then_some((matched_verbs, matched_resources))
}

/// RBAC resource matching: `*`, the exact resource, or `*/sub` for a subresource `sub`.
fn resource_matches(rule_resource: &str, wanted: &str) -> bool {
    if rule_resource == "*" || rule_resource == wanted {
        return true;
    }
    match (rule_resource.strip_prefix("*/"), wanted.split_once('/')) {
        (Some(sub), Some((_, wanted_sub))) => sub == wanted_sub,
        _ => false,
    }
}

/// Where a binding's permissions apply: `in namespace "x"` or `cluster-wide`.
pub(crate) fn scope(binding: &Object) -> String {
    match (binding.kind(), binding.resource.namespace.as_deref()) {
        ("RoleBinding", Some(ns)) => format!("in namespace \"{ns}\""),
        ("RoleBinding", None) => "in its namespace".to_string(),
        _ => "cluster-wide".to_string(),
    }
}

/// The shared body of the permission controls: every subject of every binding whose role (in
/// the set) has a rule granting `permission` is reported once, at the subject.
pub(crate) fn report_permission(
    set: &ObjectSet,
    permission: &Permission,
    out: &mut Vec<SetViolation>,
) {
    for (index, binding) in bindings(set) {
        let Some(role) = bound_role(set, binding) else {
            continue;
        };
        let granted = effective_rules(set, role)
            .into_iter()
            .find_map(|rule| grants(rule.rule, permission).map(|g| (rule, g)));
        let Some((rule, (verbs, resources))) = granted else {
            continue;
        };
        for subject in subjects(binding) {
            out.push(SetViolation {
                object: index,
                violation: Violation::new(
                    subject.pointer(),
                    format!(
                        "{} can {} {} {} through {}",
                        subject.describe(),
                        verbs.join("/"),
                        resources.join(", "),
                        scope(binding),
                        via(role, &rule)
                    ),
                )
                .with_evidence(rule.evidence()),
            });
        }
    }
}

/// `ClusterRole "x" rule 2`, or for a rule an aggregated ClusterRole gets from another one,
/// `ClusterRole "admin" (aggregating ClusterRole "x" rule 2)`.
fn via(bound: &Object, rule: &RuleRef<'_>) -> String {
    if std::ptr::eq(bound, rule.role) {
        rule.describe()
    } else {
        format!("{} (aggregating {})", describe_role(bound), rule.describe())
    }
}

/// Reports every subject (of non-bootstrap bindings) that `matches`, at its name.
pub(crate) fn report_subjects(
    set: &ObjectSet,
    matches: impl Fn(&Subject<'_>) -> bool,
    message: impl Fn(&Subject<'_>, &Object) -> String,
    out: &mut Vec<SetViolation>,
) {
    for (index, binding) in bindings(set) {
        for subject in subjects(binding).filter(|s| matches(s)) {
            out.push(SetViolation {
                object: index,
                violation: Violation::new(
                    format!("{}/name", subject.pointer()),
                    message(&subject, binding),
                )
                .with_evidence(format!("{}: {}", subject.kind, subject.name)),
            });
        }
    }
}

/// `roleRef` as written, for messages: `ClusterRole "edit"`.
pub(crate) fn describe_role_ref(binding: &Object) -> String {
    role_ref(binding).map_or_else(
        || "no role".to_string(),
        |(kind, name)| format!("{kind} \"{name}\""),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const SECRETS: Permission = Permission {
        verbs: &["get", "list", "watch"],
        resources: &[("", "secrets")],
        sensitive_names: &[],
    };

    const EXEC: Permission = Permission {
        verbs: &["create"],
        resources: &[("", "pods/exec")],
        sensitive_names: &[],
    };

    #[test]
    fn rules_grant_by_exact_name_or_wildcard() {
        let rule = json!({"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]});
        assert_eq!(
            grants(&rule, &SECRETS),
            Some((vec!["list".to_string()], vec!["secrets".to_string()]))
        );
        let star = json!({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]});
        assert!(grants(&star, &SECRETS).is_some());
        let apps = json!({"apiGroups": ["apps"], "resources": ["secrets"], "verbs": ["get"]});
        assert!(grants(&apps, &SECRETS).is_none(), "wrong API group");
        let named = json!({"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["tls"], "verbs": ["get"]});
        assert!(grants(&named, &SECRETS).is_none(), "resourceNames limits");
    }

    #[test]
    fn subresources_match_like_the_api_server() {
        let any_exec = json!({"apiGroups": [""], "resources": ["*/exec"], "verbs": ["create"]});
        assert!(grants(&any_exec, &EXEC).is_some());
        let pods = json!({"apiGroups": [""], "resources": ["pods"], "verbs": ["create"]});
        assert!(grants(&pods, &EXEC).is_none(), "pods is not pods/exec");
        let not_wildcard = json!({"apiGroups": [""], "resources": ["pods/*"], "verbs": ["create"]});
        assert!(grants(&not_wildcard, &EXEC).is_none());
    }

    #[test]
    fn long_lists_are_cut_and_counted() {
        let items: Vec<String> = (1..=11).map(|i| format!("b{i}")).collect();
        assert_eq!(
            bounded_join(&items[..2], ", ", "bindings"),
            "b1, b2",
            "short lists are whole"
        );
        assert_eq!(
            bounded_join(&items, "; ", "bindings"),
            "b1; b2; b3; b4; b5; b6; b7; b8; and 3 more bindings"
        );
    }
}
