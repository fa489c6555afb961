use palisade_core::Severity;
use palisade_k8s::{Object, PodView};
use serde_json::Value;

use super::support::find_token;
use crate::control::control;
use crate::controls::workload::support::{describe, escape, items, str_field};
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

/// Workload kinds (whose env values are scanned) and ConfigMaps.
const KINDS: &[&str] = &[
    "Pod",
    "PodTemplate",
    "ReplicationController",
    "Deployment",
    "ReplicaSet",
    "DaemonSet",
    "StatefulSet",
    "Job",
    "CronJob",
    "ConfigMap",
];

control! {
    /// ## What it checks
    /// Literal environment variable values (in every container of a Pod or workload) and
    /// ConfigMap `data` values that contain a credential in a well-known format, whatever
    /// the variable or key is called:
    /// - AWS access key IDs (`AKIA…` / `ASIA…` and 16 upper-case letters or digits),
    /// - GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`),
    /// - Slack tokens (`xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-`),
    /// - Google API keys (`AIza…`) and Stripe live keys (`sk_live_`, `rk_live_`),
    /// - PEM private keys (`-----BEGIN … PRIVATE KEY-----`),
    /// - JSON Web Tokens (three base64url segments, the first two starting `eyJ`).
    ///
    /// The matched text is redacted in the finding unless `--show-secrets` is given.
    ///
    /// ## Why it matters
    /// These formats are live credentials, not configuration: whoever reads the manifest
    /// (in Git, CI logs, or through `get` on ConfigMaps and pods, which far more identities
    /// have than access to Secrets) can use them directly. Automated scanners harvest
    /// exactly these patterns from public repositories within minutes.
    ///
    /// ## How to fix
    /// Revoke and rotate the credential first, then deliver the new one through a Secret
    /// (or a workload identity, so there is no static credential at all).
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: GITHUB_TOKEN
    ///     valueFrom:
    ///       secretKeyRef:
    ///         name: ci-bot
    ///         key: token
    /// ```
    pub static KNOWN_TOKEN = Control {
        id: "SEC-002",
        slug: "hardcoded-credential",
        title: "Hard-coded credential in a well-known format",
        severity: Severity::High,
        category: "Secrets",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0012"],
            cis: &[],
            checkov: &[],
            trivy: &["KSV-0109"],
            kube_linter: &["env-var-secret"],
            polaris: &["sensitiveContainerEnvVar", "sensitiveConfigmapContent"],
        },
        remediation: "Revoke and rotate the credential, then provide it through a Secret or a workload identity.",
        targets: Targets::Kinds(KINDS),
        check: Check::Object(check),
    };
}

/// `an AWS access key ID`, `a GitHub token`.
fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() == "ConfigMap" && object.group().is_empty() {
        let name = object.resource.name.as_deref().unwrap_or("<unnamed>");
        let data = object.value().get("data").and_then(Value::as_object);
        for (key, value) in data.into_iter().flatten() {
            let Some(token) = value.as_str().and_then(find_token) else {
                continue;
            };
            out.push(
                Violation::new(
                    format!("/data/{}", escape(key)),
                    format!(
                        "ConfigMap \"{name}\" key \"{key}\" contains what looks like {}",
                        with_article(token.kind)
                    ),
                )
                .with_evidence(format!(
                    "{}: {}",
                    token.kind,
                    ctx.secret_evidence(token.text)
                )),
            );
        }
        return;
    }
    let Some(pod) = PodView::of(object) else {
        return;
    };
    for container in pod.containers() {
        for (index, var) in items(container.get("/env")) {
            let name = str_field(var, "name").unwrap_or("<unnamed>");
            let Some(token) = var
                .get("value")
                .and_then(Value::as_str)
                .and_then(find_token)
            else {
                continue;
            };
            out.push(
                Violation::new(
                    container.pointer_to(&format!("/env/{index}/value")),
                    format!(
                        "{} env var {name} contains what looks like {}",
                        describe(&container),
                        with_article(token.kind)
                    ),
                )
                .with_evidence(format!(
                    "{}: {}",
                    token.kind,
                    ctx.secret_evidence(token.text)
                )),
            );
        }
    }
}
