use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe_role, is_bootstrap, items};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Roles and ClusterRoles with a rule whose `verbs` or `resources` contain `*`. The
    /// finding points at the wildcard in the role definition (whether or not the role is
    /// bound). A wildcard only in `apiGroups` is not reported: with named resources and verbs
    /// it stays bounded. Kubernetes' bootstrap roles are skipped.
    ///
    /// ## Why it matters
    /// A wildcard grants every current and future verb or resource, including ones added later
    /// by CRDs and API upgrades (`escalate`, `impersonate`, new subresources). It hides what
    /// the role really allows and breaks least privilege (CIS 5.1.3).
    ///
    /// ## How to fix
    /// List the resources and verbs the subject needs.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    pub static WILDCARD_RULE = Control {
        id: "RBAC-002",
        slug: "rbac-wildcard-rule",
        title: "Wildcard verb or resource in a role",
        severity: Severity::High,
        category: "RBAC",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0187", "C-0035"],
            cis: &["5.1.3"],
            checkov: &["CKV_K8S_49"],
            trivy: &["KSV-0044", "KSV-0045", "KSV-0046", "KSV-0112"],
            kube_linter: &["wildcard-in-rules"],
            polaris: &[],
        },
        remediation: "Replace `*` in verbs and resources with the explicit verbs and resources the role needs.",
        targets: Targets::Kinds(&["Role", "ClusterRole"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !matches!(object.kind(), "Role" | "ClusterRole")
        || object.group() != "rbac.authorization.k8s.io"
        || is_bootstrap(object)
    {
        return;
    }
    let rules = object.value().get("rules").and_then(Value::as_array);
    for (index, rule) in rules.into_iter().flatten().enumerate() {
        let verb = wildcard_position(rule, "verbs");
        let resource = wildcard_position(rule, "resources");
        let (pointer, what) = match (verb, resource) {
            (Some(v), Some(_)) => (
                format!("/rules/{index}/verbs/{v}"),
                "every verb on every resource",
            ),
            (Some(v), None) => (format!("/rules/{index}/verbs/{v}"), "every verb"),
            (None, Some(r)) => (format!("/rules/{index}/resources/{r}"), "every resource"),
            (None, None) => continue,
        };
        out.push(
            Violation::new(
                pointer,
                format!("{} rule {index} allows {what} (`*`)", describe_role(object)),
            )
            .with_evidence(format!(
                "verbs: {}; resources: {}",
                items(rule, "verbs").join(", "),
                items(rule, "resources").join(", ")
            )),
        );
    }
}

/// Index of `*` in a rule's list field.
fn wildcard_position(rule: &Value, field: &str) -> Option<usize> {
    rule.get(field)?
        .as_array()?
        .iter()
        .position(|x| x.as_str() == Some("*"))
}
