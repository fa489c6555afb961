//! What the volume-access controls (WL-014..016) share: the volumes of a kind that a
//! container actually mounts.

use palisade_k8s::Object;
use serde_json::Value;

use super::support::{describe, items, mounts_of, str_field, with_pod};
use crate::Violation;

/// A kind of volume source, as written in a pod spec.
pub(crate) struct VolumeSource {
    /// The volume field (`secret`, `configMap`, `persistentVolumeClaim`).
    pub field: &'static str,
    /// The field naming the object inside it (`secretName`, `name`, `claimName`).
    pub name_field: &'static str,
    /// The field inside a `projected` volume's sources, when the kind can be projected (its
    /// object is always named by `name` there).
    pub projected: Option<&'static str>,
    /// How messages name the object kind: `Secret`.
    pub kind: &'static str,
}

/// Reports every mount of a volume of `source`, at the container's `volumeMounts/N`. Volumes
/// no container mounts are not reported: nothing reads them.
pub(crate) fn report_mounted(object: &Object, source: &VolumeSource, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        let volumes: Vec<(&str, Vec<&str>)> = items(pod.get("/volumes"))
            .filter_map(|(_, volume)| {
                let names = sourced_objects(volume, source);
                (!names.is_empty()).then(|| (str_field(volume, "name").unwrap_or(""), names))
            })
            .collect();
        for container in pod.containers() {
            for (volume, objects) in &volumes {
                for (index, mount) in mounts_of(&container, volume) {
                    let path = str_field(mount, "mountPath").unwrap_or("?");
                    let quoted: Vec<String> = objects.iter().map(|o| format!("\"{o}\"")).collect();
                    out.push(
                        Violation::new(
                            container.pointer_to(&format!("/volumeMounts/{index}")),
                            format!(
                                "{} mounts {} {} (volume \"{volume}\") at {path}",
                                describe(&container),
                                source.kind,
                                quoted.join(", ")
                            ),
                        )
                        .with_evidence(format!(
                            "volume {volume}: {} {}",
                            source.field,
                            objects.join(", ")
                        )),
                    );
                }
            }
        }
    });
}

/// The names of the objects of `source` a volume draws from (direct or projected).
fn sourced_objects<'a>(volume: &'a Value, source: &VolumeSource) -> Vec<&'a str> {
    if let Some(direct) = volume.get(source.field).filter(|v| v.is_object()) {
        return vec![str_field(direct, source.name_field).unwrap_or("<unnamed>")];
    }
    let Some(projected) = source.projected else {
        return Vec::new();
    };
    items(volume.pointer("/projected/sources"))
        .filter_map(|(_, s)| s.get(projected).filter(|v| v.is_object()))
        .map(|v| str_field(v, "name").unwrap_or("<unnamed>"))
        .collect()
}
