use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{could_be_secret, is_sensitive_name};
use crate::control::control;
use crate::controls::workload::support::escape;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// ConfigMap keys (in `data` and `binaryData`) whose name contains one of the
    /// `sensitive-key-names` parameter's substrings (by default `password`, `secret`,
    /// `token`, `apikey`, `credential`, `auth`, …; case-insensitive) and whose value could
    /// be a credential: not empty, not a boolean, not a number. Keys ending in `_file`,
    /// `-path` and similar name a location, not a secret, and are ignored. The value is
    /// redacted in the finding unless `--show-secrets` is given.
    ///
    /// ## Why it matters
    /// ConfigMaps are meant for non-confidential settings: they are not encrypted at rest
    /// even when Secrets are, they show up in `kubectl describe` output and logs, and RBAC
    /// roles commonly grant read access to them far more widely than to Secrets.
    ///
    /// ## How to fix
    /// Move the key into a Secret and mount or reference that; rotate the exposed value.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: app-credentials
    /// type: Opaque
    /// data:
    ///   api-key: <base64, created out of band>
    /// ```
    pub static CONFIGMAP_SENSITIVE_KEY = Control {
        id: "SEC-003",
        slug: "configmap-sensitive-key",
        title: "Sensitive-looking key in a ConfigMap",
        severity: Severity::Medium,
        category: "Secrets",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0012"],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-01010"],
            kube_linter: &[],
            polaris: &["sensitiveConfigmapContent"],
        },
        remediation: "Move the value into a Secret and reference that instead; rotate the exposed value.",
        targets: Targets::Kinds(&["ConfigMap"]),
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() != "ConfigMap" || !object.group().is_empty() {
        return;
    }
    let name = object.resource.name.as_deref().unwrap_or("<unnamed>");
    for section in ["data", "binaryData"] {
        let entries = object.value().get(section).and_then(Value::as_object);
        for (key, value) in entries.into_iter().flatten() {
            let Some(value) = value.as_str() else {
                continue;
            };
            if !is_sensitive_name(key, &ctx.params) || !could_be_secret(value) {
                continue;
            }
            out.push(
                Violation::new(
                    format!("/{section}/{}", escape(key)),
                    format!("ConfigMap \"{name}\" holds {key}, which looks like a credential"),
                )
                .with_evidence(format!("{key}: {}", ctx.secret_evidence(value))),
            );
        }
    }
}
