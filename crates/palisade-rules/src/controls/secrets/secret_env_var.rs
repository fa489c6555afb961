use palisade_core::Severity;
use palisade_k8s::Object;

use crate::control::control;
use crate::controls::workload::support::{describe, items, str_field, with_pod};
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers (including init and ephemeral containers) that receive Secret values as
    /// environment variables: `env[*].valueFrom.secretKeyRef` (one variable) and
    /// `envFrom[*].secretRef` (every key of the Secret).
    ///
    /// ## Why it matters
    /// Environment variables leak easily: applications dump them in crash reports and debug
    /// pages, child processes inherit them, and `/proc/<pid>/environ` exposes them to
    /// anything sharing the process namespace. They also cannot change without a restart,
    /// which discourages rotation. Mounted Secret files avoid all of this and are updated
    /// in place.
    ///
    /// ## How to fix
    /// Mount the Secret as a volume (read-only) and have the application read the file;
    /// many libraries accept a `*_FILE` variable pointing at it.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     env:
    ///       - name: DB_PASSWORD_FILE
    ///         value: /run/secrets/db/password
    ///     volumeMounts:
    ///       - name: db
    ///         mountPath: /run/secrets/db
    ///         readOnly: true
    /// volumes:
    ///   - name: db
    ///     secret:
    ///       secretName: db
    /// ```
    pub static SECRET_ENV_VAR = Control {
        id: "SEC-004",
        slug: "secret-in-env-var",
        title: "Secret consumed as an environment variable",
        severity: Severity::Medium,
        category: "Secrets",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0207"],
            cis: &["5.4.1"],
            checkov: &["CKV_K8S_35"],
            trivy: &[],
            kube_linter: &["read-secret-from-env-var"],
            polaris: &[],
        },
        remediation: "Mount the Secret as a read-only volume and read it from a file instead of an environment variable.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            for (index, var) in items(container.get("/env")) {
                let Some(reference) = var
                    .pointer("/valueFrom/secretKeyRef")
                    .filter(|r| r.is_object())
                else {
                    continue;
                };
                let var_name = str_field(var, "name").unwrap_or("<unnamed>");
                let secret = str_field(reference, "name").unwrap_or("<unnamed>");
                let key = str_field(reference, "key").unwrap_or("<no key>");
                out.push(
                    Violation::new(
                        container.pointer_to(&format!("/env/{index}/valueFrom/secretKeyRef")),
                        format!(
                            "{} reads key \"{key}\" of Secret \"{secret}\" into env var {var_name}",
                            describe(&container)
                        ),
                    )
                    .with_evidence(format!("secretKeyRef: {secret}/{key}")),
                );
            }
            for (index, source) in items(container.get("/envFrom")) {
                let Some(reference) = source.get("secretRef").filter(|r| r.is_object()) else {
                    continue;
                };
                let secret = str_field(reference, "name").unwrap_or("<unnamed>");
                out.push(
                    Violation::new(
                        container.pointer_to(&format!("/envFrom/{index}/secretRef")),
                        format!(
                            "{} loads every key of Secret \"{secret}\" into its environment",
                            describe(&container)
                        ),
                    )
                    .with_evidence(format!("secretRef: {secret}")),
                );
            }
        }
    });
}
