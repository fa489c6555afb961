use palisade_core::Severity;
use palisade_k8s::Object;

use super::volume_access::{VolumeSource, report_mounted};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const CLAIM: VolumeSource = VolumeSource {
    field: "persistentVolumeClaim",
    name_field: "claimName",
    projected: None,
    kind: "PersistentVolumeClaim",
};

control! {
    /// ## What it checks
    /// Containers that mount a `persistentVolumeClaim` volume, one finding per mount at the
    /// container's `volumeMounts` entry, naming the claim and the mount path. Generic
    /// `ephemeral` volumes (a fresh claim per pod) and StatefulSet `volumeClaimTemplates`
    /// are not counted: they hold no data from before the pod.
    ///
    /// An attack-surface inventory: persistent data is what an intruder comes for, and a
    /// writable claim is also a place to leave something behind for the next pod.
    ///
    /// ## Why it matters
    /// A compromised container can read, encrypt or poison everything on the claims it
    /// mounts, and the damage outlives the pod.
    ///
    /// ## How to fix
    /// Mount claims only in the workloads that own the data, `readOnly: true` where the
    /// workload only reads, and record an exception for expected mounts.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: reader
    ///     volumeMounts:
    ///       - name: reports
    ///         mountPath: /reports
    ///         readOnly: true
    /// ```
    pub static PVC_VOLUME = Control {
        id: "WL-015",
        slug: "pvc-volume-mounted",
        title: "Workload mounts a PersistentVolumeClaim",
        severity: Severity::Low,
        category: "Attack surface",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0257"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Mount persistent claims only where the data is used, read-only where possible.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    report_mounted(object, &CLAIM, out);
}
