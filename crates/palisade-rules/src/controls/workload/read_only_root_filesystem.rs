use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{describe, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const FIELD: &str = "/securityContext/readOnlyRootFilesystem";

control! {
    /// ## What it checks
    /// Containers (including init and ephemeral containers) whose
    /// `securityContext.readOnlyRootFilesystem` is not `true`, whether it is unset or set to
    /// `false`. There is no pod-level equivalent of this field.
    ///
    /// ## Why it matters
    /// A writable root filesystem lets an intruder drop tools, rewrite binaries or the
    /// container's own configuration, and keep that foothold until the container is
    /// recreated. With a read-only root, the only writable places are the volumes you mount
    /// on purpose, which are easy to audit.
    ///
    /// ## How to fix
    /// Set `readOnlyRootFilesystem: true` and mount an `emptyDir` where the program really
    /// needs to write (`/tmp`, a cache directory).
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     securityContext:
    ///       readOnlyRootFilesystem: true
    ///     volumeMounts:
    ///       - name: tmp
    ///         mountPath: /tmp
    /// volumes:
    ///   - name: tmp
    ///     emptyDir: {}
    /// ```
    pub static READ_ONLY_ROOT_FILESYSTEM = Control {
        id: "POD-101",
        slug: "writable-root-filesystem",
        title: "Root filesystem is not read-only",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0017"],
            cis: &[],
            checkov: &["CKV_K8S_22"],
            trivy: &["KSV-0014"],
            kube_linter: &["no-read-only-root-fs"],
            polaris: &["notReadOnlyRootFilesystem"],
        },
        remediation: "Set securityContext.readOnlyRootFilesystem to true and mount emptyDir volumes where the container must write.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            match container.get(FIELD) {
                Some(v) if v.as_bool() == Some(true) => {}
                Some(v) => out.push(
                    Violation::new(
                        container.pointer_to(FIELD),
                        format!(
                            "{} sets readOnlyRootFilesystem to {v}",
                            describe(&container)
                        ),
                    )
                    .with_evidence(format!("readOnlyRootFilesystem: {v}")),
                ),
                None => out.push(Violation::new(
                    container.pointer_to(FIELD),
                    format!(
                        "{} does not set readOnlyRootFilesystem to true",
                        describe(&container)
                    ),
                )),
            }
        }
    });
}
