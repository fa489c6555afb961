use palisade_core::Severity;
use palisade_k8s::Object;

use super::volume_access::{VolumeSource, report_mounted};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const CONFIG_MAP: VolumeSource = VolumeSource {
    field: "configMap",
    name_field: "name",
    projected: Some("configMap"),
    kind: "ConfigMap",
};

control! {
    /// ## What it checks
    /// Containers that mount a volume backed by a ConfigMap: a `configMap` volume, or a
    /// `projected` volume with a `configMap` source. One finding per mount, at the
    /// container's `volumeMounts` entry, naming the ConfigMap and the mount path.
    ///
    /// An informational attack-surface inventory: mounting configuration is normal. The
    /// findings show which workloads read configuration that others (anyone allowed to edit
    /// ConfigMaps in the namespace) can change.
    ///
    /// ## Why it matters
    /// Configuration steers behaviour: whoever can edit a mounted ConfigMap can often change
    /// what the workload connects to or executes, and configuration sometimes leaks
    /// credentials that belong in Secrets.
    ///
    /// ## How to fix
    /// Keep secrets out of ConfigMaps, restrict who may update ConfigMaps the workload mounts,
    /// and record an exception for expected mounts.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: settings
    ///     configMap:
    ///       name: app-settings
    /// ```
    pub static CONFIG_MAP_VOLUME = Control {
        id: "WL-016",
        slug: "configmap-volume-mounted",
        title: "Workload mounts a ConfigMap",
        severity: Severity::Info,
        category: "Attack surface",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0258"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Keep secrets out of mounted ConfigMaps and restrict who may change them.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    report_mounted(object, &CONFIG_MAP, out);
}
