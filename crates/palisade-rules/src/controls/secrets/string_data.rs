use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use crate::control::control;
use crate::controls::workload::support::escape;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Secret objects with values in `stringData`, the plain-text form of a Secret's
    /// content: each non-empty key is reported. The value is redacted in the finding unless
    /// `--show-secrets` is given. (`data` is base64, which is encoding, not protection,
    /// either; `stringData` is the tell-tale sign of a hand-written Secret meant to be
    /// applied from the repository.)
    ///
    /// ## Why it matters
    /// A Secret manifest with its values in the repository hands the credential to everyone
    /// with read access to the repository, its forks, CI caches and history, none of which
    /// Kubernetes RBAC or encryption at rest protect.
    ///
    /// ## How to fix
    /// Keep Secret values out of version control: create them out of band, or commit an
    /// encrypted form (Sealed Secrets, SOPS) or an ExternalSecret that fetches the value from
    /// a secret manager. Rotate credentials that were committed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: external-secrets.io/v1beta1
    /// kind: ExternalSecret
    /// metadata:
    ///   name: db
    /// spec:
    ///   secretStoreRef:
    ///     name: vault
    ///     kind: ClusterSecretStore
    ///   target:
    ///     name: db
    ///   data:
    ///     - secretKey: password
    ///       remoteRef:
    ///         key: prod/db
    ///         property: password
    /// ```
    pub static STRING_DATA = Control {
        id: "SEC-005",
        slug: "secret-string-data",
        title: "Secret values committed in stringData",
        severity: Severity::Low,
        category: "Secrets",
        references: ControlRefs::NONE,
        remediation: "Remove the values from the manifest: create the Secret out of band or use Sealed Secrets, SOPS or External Secrets; rotate committed credentials.",
        targets: Targets::Kinds(&["Secret"]),
        check: Check::Object(check),
    };
}

fn check(ctx: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if object.kind() != "Secret" || !object.group().is_empty() {
        return;
    }
    let name = object.resource.name.as_deref().unwrap_or("<unnamed>");
    let entries = object.value().get("stringData").and_then(Value::as_object);
    for (key, value) in entries.into_iter().flatten() {
        let Some(value) = value.as_str().filter(|v| !v.is_empty()) else {
            continue;
        };
        out.push(
            Violation::new(
                format!("/stringData/{}", escape(key)),
                format!("Secret \"{name}\" has a plain-text value for {key} in stringData"),
            )
            .with_evidence(format!("{key}: {}", ctx.secret_evidence(value))),
        );
    }
}
