use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::{could_be_secret, is_sensitive_name};
use crate::control::control;
use crate::controls::workload::support::{describe, items, str_field, with_pod};
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Environment variables (in containers, init and ephemeral containers) whose name
    /// contains one of the `sensitive-key-names` parameter's substrings (by default
    /// `password`, `secret`, `token`, `apikey`, `credential`, `auth`, …; case-insensitive)
    /// and that carry a literal `value` rather than `valueFrom`. Values that cannot be
    /// credentials are ignored: booleans, numbers, and a bare `$(OTHER_VAR)` reference.
    /// Names ending in `_FILE`, `_PATH` or `_DIR` point at a secret rather than hold one and
    /// are ignored too. The value is redacted in the finding unless `--show-secrets` is
    /// given.
    ///
    /// ## Why it matters
    /// A credential written into a manifest lives in Git history, CI logs, Helm release
    /// records and the pod spec, which many more people and service accounts can read
    /// than the Secret objects RBAC protects. Rotating it means changing and redeploying
    /// code.
    ///
    /// ## How to fix
    /// Move the value into a Secret (created out of band or by an external-secrets
    /// operator) and reference it, preferably as a mounted file; rotate the exposed
    /// credential.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     valueFrom:
    ///       secretKeyRef:
    ///         name: db
    ///         key: password
    /// ```
    pub static ENV_LITERAL = Control {
        id: "SEC-001",
        slug: "secret-in-env-literal",
        title: "Credential written as a literal environment variable",
        severity: Severity::High,
        category: "Secrets",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0012", "C-0259"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["env-var-secret"],
            polaris: &["sensitiveContainerEnvVar"],
        },
        remediation: "Move the value into a Secret and reference it (preferably as a mounted file); rotate the exposed credential.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            for (index, var) in items(container.get("/env")) {
                let Some(name) = str_field(var, "name") else {
                    continue;
                };
                let Some(value) = var.get("value").and_then(Value::as_str) else {
                    continue;
                };
                if !is_sensitive_name(name, &ctx.params) || !could_be_secret(value) {
                    continue;
                }
                out.push(
                    Violation::new(
                        container.pointer_to(&format!("/env/{index}/value")),
                        format!(
                            "{} sets {name} to a literal value; credentials belong in a Secret",
                            describe(&container)
                        ),
                    )
                    .with_evidence(format!("{name}: {}", ctx.secret_evidence(value))),
                );
            }
        }
    });
}
