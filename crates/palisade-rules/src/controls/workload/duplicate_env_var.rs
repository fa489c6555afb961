use std::collections::HashMap;

use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{describe, items, str_field, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers (including init and ephemeral containers) whose `env` list sets the same
    /// variable name more than once. Each repetition after the first is reported.
    /// Variables from `envFrom` are not counted: overriding them with `env` is intended.
    ///
    /// ## Why it matters
    /// Kubernetes keeps the last occurrence, silently. The earlier value, which is usually
    /// what a reviewer reads, is not what runs; tools that merge or patch manifests may pick
    /// either one, so the effective configuration depends on the tool.
    ///
    /// ## How to fix
    /// Keep one entry per name and delete the others.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: LOG_LEVEL
    ///     value: info
    /// ```
    pub static DUPLICATE_ENV_VAR = Control {
        id: "WL-009",
        slug: "duplicate-env-var",
        title: "Environment variable set twice",
        severity: Severity::Low,
        category: "Workload hygiene",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0295"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &["duplicate-env-var"],
            polaris: &[],
        },
        remediation: "Remove the repeated env entries so each variable is set once.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            let mut first_seen: HashMap<&str, usize> = HashMap::new();
            for (index, var) in items(container.get("/env")) {
                let Some(name) = str_field(var, "name") else {
                    continue;
                };
                match first_seen.get(name) {
                    Some(first) => out.push(
                        Violation::new(
                            container.pointer_to(&format!("/env/{index}/name")),
                            format!(
                                "{} sets env var {name} again (first at env[{first}]); the last one wins",
                                describe(&container)
                            ),
                        )
                        .with_evidence(format!("name: {name}")),
                    ),
                    None => {
                        first_seen.insert(name, index);
                    }
                }
            }
        }
    });
}
