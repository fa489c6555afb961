use palisade_core::Severity;
use palisade_k8s::ObjectSet;

use super::support::{pod_references, report_missing};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, SetViolation, Targets};

control! {
    /// ## What it checks
    /// Workloads with a `persistentVolumeClaim` volume whose `claimName` is not a
    /// PersistentVolumeClaim in the scan. Only checked when the scan holds at least one
    /// PersistentVolumeClaim in the workload's namespace. StatefulSet `volumeClaimTemplates`
    /// create their own claims and are not references.
    ///
    /// ## Why it matters
    /// Pods whose claim does not exist stay `Pending` forever; the workload never starts.
    ///
    /// ## How to fix
    /// Create the claim with the workload, correct `claimName`, or use a StatefulSet
    /// `volumeClaimTemplate`.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: data
    ///     persistentVolumeClaim:
    ///       claimName: db-data
    /// ```
    pub static MISSING_PVC = Control {
        id: "REF-004",
        slug: "missing-persistent-volume-claim",
        title: "Workload refers to a missing PersistentVolumeClaim",
        severity: Severity::Low,
        category: "References",
        references: ControlRefs::NONE,
        remediation: "Create the PersistentVolumeClaim with the workload or fix claimName.",
        targets: Targets::Workloads,
        check: Check::Set(check),
    };
}

fn check(_: &CheckContext, set: &ObjectSet, out: &mut Vec<SetViolation>) {
    report_missing(
        set,
        "PersistentVolumeClaim",
        |pod| pod_references(pod, "persistentVolumeClaim", "claimName", None),
        out,
    );
}
