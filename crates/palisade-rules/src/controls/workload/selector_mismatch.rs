use palisade_core::Severity;
use palisade_k8s::{Object, pod_labels, selector_matches};
use serde_json::{Value, json};

use super::support::{escape, items};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const KINDS: &[&str] = &[
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "ReplicationController",
];

control! {
    /// ## What it checks
    /// Deployments, ReplicaSets, StatefulSets, DaemonSets and ReplicationControllers whose
    /// `spec.selector` does not select the labels of their own pod template
    /// (`spec.template.metadata.labels`). Each `matchLabels` entry and each
    /// `matchExpressions` requirement that fails is reported; a ReplicationController's
    /// plain selector map is read the same way as `matchLabels`. An `apps` controller with
    /// no selector at all is reported too (`apps/v1` requires one); a ReplicationController
    /// without one defaults to its template's labels and passes.
    ///
    /// ## Why it matters
    /// The API server rejects such an object, so the manifest fails at deploy time; with
    /// older API versions, or when labels are patched later, the controller instead keeps
    /// creating pods it then does not count as its own.
    ///
    /// ## How to fix
    /// Make every selector requirement hold for the template's labels, usually by copying
    /// `matchLabels` into `template.metadata.labels`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    /// ```
    pub static SELECTOR_MISMATCH = Control {
        id: "WL-010",
        slug: "selector-mismatch",
        title: "Selector does not match the pod template's labels",
        severity: Severity::Medium,
        category: "Workload hygiene",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0296"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["mismatching-selector"],
            polaris: &[],
        },
        remediation: "Make spec.selector match spec.template.metadata.labels.",
        targets: Targets::Kinds(KINDS),
        check: Check::Object(check),
    };
}

fn label_text(labels: Option<&serde_json::Map<String, Value>>, key: &str) -> String {
    match labels.and_then(|l| l.get(key)) {
        Some(Value::String(v)) => format!("{key}={v}"),
        Some(other) => format!("{key}={other}"),
        None => format!("no label {key}"),
    }
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !KINDS.contains(&object.kind()) {
        return;
    }
    let Some(selector) = object
        .value()
        .pointer("/spec/selector")
        .filter(|v| !v.is_null())
    else {
        if object.group() == "apps" {
            let name = object.resource.name.as_deref().unwrap_or("<unnamed>");
            out.push(Violation::new(
                "/spec/selector",
                format!("{} \"{name}\" has no selector", object.kind()),
            ));
        }
        return;
    };
    let Some(fields) = selector.as_object() else {
        return;
    };
    let labels = pod_labels(object);
    let structured = fields.contains_key("matchLabels") || fields.contains_key("matchExpressions");
    let (match_labels, base) = if structured {
        (
            fields.get("matchLabels").and_then(Value::as_object),
            "/spec/selector/matchLabels",
        )
    } else {
        (Some(fields), "/spec/selector")
    };
    for (key, wanted) in match_labels.into_iter().flatten() {
        if selector_matches(Some(&json!({ key.as_str(): wanted })), labels) {
            continue;
        }
        let wanted = wanted
            .as_str()
            .map_or_else(|| wanted.to_string(), str::to_string);
        out.push(
            Violation::new(
                format!("{base}/{}", escape(key)),
                format!(
                    "The selector requires {key}={wanted} but the pod template has {}",
                    label_text(labels, key)
                ),
            )
            .with_evidence(format!("{key}: {wanted}")),
        );
    }
    for (index, expression) in items(fields.get("matchExpressions")) {
        let single = json!({ "matchExpressions": [expression] });
        if selector_matches(Some(&single), labels) {
            continue;
        }
        let key = expression.get("key").and_then(Value::as_str).unwrap_or("");
        let operator = expression
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or("<none>");
        out.push(
            Violation::new(
                format!("/spec/selector/matchExpressions/{index}"),
                format!(
                    "The selector's requirement \"{key} {operator}\" does not hold for the pod template ({})",
                    label_text(labels, key)
                ),
            )
            .with_evidence(format!("matchExpressions: {}", serde_json::to_string(expression).unwrap_or_default())),
        );
    }
}
