use serde_json::Value;

use crate::Object;

/// Pointers to a workload's pod spec and pod metadata, by kind and API group.
///
/// Returns `None` for kinds that do not carry a pod template. The group check keeps a CRD that
/// happens to be called `Deployment` from being read as one.
pub fn pod_template_pointers(group: &str, kind: &str) -> Option<(&'static str, &'static str)> {
    let apps = matches!(group, "apps" | "extensions");
    match kind {
        "Pod" if group.is_empty() => Some(("/spec", "/metadata")),
        "PodTemplate" if group.is_empty() => Some(("/template/spec", "/template/metadata")),
        "ReplicationController" if group.is_empty() => {
            Some(("/spec/template/spec", "/spec/template/metadata"))
        }
        "Deployment" | "ReplicaSet" | "DaemonSet" if apps => {
            Some(("/spec/template/spec", "/spec/template/metadata"))
        }
        "StatefulSet" if group == "apps" => {
            Some(("/spec/template/spec", "/spec/template/metadata"))
        }
        "Job" if group == "batch" => Some(("/spec/template/spec", "/spec/template/metadata")),
        "CronJob" if group == "batch" => Some((
            "/spec/jobTemplate/spec/template/spec",
            "/spec/jobTemplate/spec/template/metadata",
        )),
        _ => None,
    }
}

/// The pod spec of a Pod or of a controller's pod template, with the pointers needed to report
/// locations relative to the object.
#[derive(Debug, Clone, Copy)]
pub struct PodView<'a> {
    pub spec: &'a Value,
    /// Pointer of the pod spec inside the object (`/spec/template/spec`).
    pub spec_pointer: &'static str,
    pub metadata: Option<&'a Value>,
    pub metadata_pointer: &'static str,
}

/// The three container lists of a pod spec, all of which security policy applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    Container,
    InitContainer,
    EphemeralContainer,
}

impl ContainerKind {
    pub const ALL: [ContainerKind; 3] = [
        ContainerKind::Container,
        ContainerKind::InitContainer,
        ContainerKind::EphemeralContainer,
    ];

    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Container => "containers",
            ContainerKind::InitContainer => "initContainers",
            ContainerKind::EphemeralContainer => "ephemeralContainers",
        }
    }
}

/// One container of a pod spec.
#[derive(Debug, Clone)]
pub struct ContainerView<'a> {
    pub kind: ContainerKind,
    pub value: &'a Value,
    /// Pointer of the container inside the object (`/spec/template/spec/containers/0`).
    pub pointer: String,
}

impl<'a> ContainerView<'a> {
    pub fn name(&self) -> &'a str {
        self.value
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("<unnamed>")
    }

    /// A field by relative pointer (`/securityContext/privileged`), treating JSON null as unset.
    pub fn get(&self, pointer: &str) -> Option<&'a Value> {
        crate::lookup(self.value, pointer).filter(|v| !v.is_null())
    }

    /// Pointer of a field of this container, relative to the object.
    pub fn pointer_to(&self, relative: &str) -> String {
        format!("{}{relative}", self.pointer)
    }
}

impl<'a> PodView<'a> {
    /// The pod spec of `object`, when it is a Pod or a workload with a pod template.
    pub fn of(object: &'a Object) -> Option<PodView<'a>> {
        let (spec_pointer, metadata_pointer) =
            pod_template_pointers(object.group(), object.kind())?;
        let value = object.value();
        let spec = crate::lookup(value, spec_pointer).filter(|v| v.is_object())?;
        Some(PodView {
            spec,
            spec_pointer,
            metadata: crate::lookup(value, metadata_pointer).filter(|v| v.is_object()),
            metadata_pointer,
        })
    }

    /// A pod-spec field by relative pointer (`/securityContext/runAsNonRoot`), null as unset.
    pub fn get(&self, pointer: &str) -> Option<&'a Value> {
        crate::lookup(self.spec, pointer).filter(|v| !v.is_null())
    }

    /// Pointer of a pod-spec field, relative to the object.
    pub fn pointer_to(&self, relative: &str) -> String {
        format!("{}{relative}", self.spec_pointer)
    }

    /// Pod annotations (from the template's metadata for controllers).
    pub fn annotations(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.metadata
            .and_then(|m| m.get("annotations"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
    }

    /// Every container: `containers`, then `initContainers`, then `ephemeralContainers`.
    pub fn containers(&self) -> impl Iterator<Item = ContainerView<'a>> + '_ {
        ContainerKind::ALL.into_iter().flat_map(move |kind| {
            self.spec
                .get(kind.field())
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .filter(|(_, c)| c.is_object())
                .map(move |(index, value)| ContainerView {
                    kind,
                    value,
                    pointer: format!("{}/{}/{index}", self.spec_pointer, kind.field()),
                })
        })
    }

    /// True when the pod declares `spec.os.name: windows` (some checks exempt such pods).
    pub fn is_windows(&self) -> bool {
        self.get("/os/name").and_then(Value::as_str) == Some("windows")
    }

    /// True when the pod opts into a user namespace (`spec.hostUsers: false`).
    pub fn uses_user_namespace(&self) -> bool {
        self.get("/hostUsers").and_then(Value::as_bool) == Some(false)
    }
}
