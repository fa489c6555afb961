use palisade_core::Severity;
use palisade_k8s::Object;

use super::volume_access::{VolumeSource, report_mounted};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const SECRET: VolumeSource = VolumeSource {
    field: "secret",
    name_field: "secretName",
    projected: Some("secret"),
    kind: "Secret",
};

control! {
    /// ## What it checks
    /// Containers that mount a volume backed by a Secret: a `secret` volume, or a `projected`
    /// volume with a `secret` source. One finding per mount, at the container's
    /// `volumeMounts` entry, naming the Secret and the mount path. Volumes no container
    /// mounts are ignored.
    ///
    /// This is an attack-surface inventory, not a misconfiguration: mounting a Secret as a
    /// file is the recommended way to hand it to an application (better than environment
    /// variables). The findings say which workloads hold credentials, so that they get the
    /// strictest hardening and network policy, and so exceptions document why.
    ///
    /// ## Why it matters
    /// Whoever compromises the container reads the mounted credentials and can move on to the
    /// systems they unlock. Knowing where Secrets are mounted is the first input of an
    /// attack-path analysis.
    ///
    /// ## How to fix
    /// Mount only the Secrets (and keys, with `items`) the workload needs, read-only, and
    /// harden the workload accordingly; record an exception for expected mounts.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: db
    ///     secret:
    ///       secretName: db-credentials
    ///       items:
    ///         - key: password
    ///           path: password
    /// ```
    pub static SECRET_VOLUME = Control {
        id: "WL-014",
        slug: "secret-volume-mounted",
        title: "Workload mounts a Secret",
        severity: Severity::Low,
        category: "Attack surface",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0255"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Mount only the Secrets and keys the workload needs, read-only, and harden the workload that holds them.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    report_mounted(object, &SECRET, out);
}
