//! Layer attribution: which history entry (Dockerfile instruction) made each layer, and which
//! layers belong to the base image.
//!
//! Base-image heuristic (when `--base-layers` is not given): a Dockerfile's `FROM` leaves no
//! trace in the history, but base images end with a `CMD` or `ENTRYPOINT` entry (an empty
//! layer) — official images always do. The base image is every layer before the LAST
//! `CMD`/`ENTRYPOINT` entry that is followed by further layers. An image with no such entry
//! whose first layer is a root filesystem (`ADD file:… in /`) followed by more layers counts
//! that first layer as the base. Otherwise no layer is called base (the image is its own base,
//! e.g. when scanning `debian:12` itself).

use crate::manifest::{History, ImageConfig};
use crate::source::LayerBlob;

/// What Palisade knows about one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerInfo {
    pub index: usize,
    /// The digest reports use: the uncompressed `diff_id` when known (the same whichever
    /// transport the image came by), else the blob digest.
    pub digest: String,
    /// The compressed blob's digest, when the source has one.
    pub blob_digest: Option<String>,
    pub size: Option<u64>,
    pub created_by: Option<String>,
    pub base: bool,
}

/// How the base/own split was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseSplit {
    /// `--base-layers N`.
    Given(usize),
    /// From the history, with the reason.
    History(usize, String),
    /// No base image could be told apart.
    None,
}

impl BaseSplit {
    pub fn base_layers(&self) -> usize {
        match self {
            BaseSplit::Given(n) | BaseSplit::History(n, _) => *n,
            BaseSplit::None => 0,
        }
    }
}

/// `/bin/sh -c #(nop)  CMD ["bash"]` → `CMD ["bash"]`; `/bin/sh -c apt-get …` → `RUN apt-get …`.
pub fn instruction(created_by: &str) -> String {
    let t = created_by.trim();
    if let Some(rest) = t.strip_prefix("/bin/sh -c #(nop)") {
        return rest.trim().to_string();
    }
    if let Some(rest) = t.strip_prefix("/bin/sh -c ") {
        return format!("RUN {}", rest.trim());
    }
    t.to_string()
}

fn is_cmd_like(h: &History) -> bool {
    h.created_by.as_deref().is_some_and(|c| {
        let i = instruction(c);
        i.starts_with("CMD ") || i.starts_with("ENTRYPOINT ") || i == "CMD" || i == "ENTRYPOINT"
    })
}

fn is_rootfs_add(h: &History) -> bool {
    h.created_by.as_deref().is_some_and(|c| {
        let i = instruction(c);
        i.starts_with("ADD file:") && i.trim_end().ends_with(" in /")
    })
}

/// Aligns history with layers and decides the base split.
pub fn attribute(
    config: &ImageConfig,
    layers: &[LayerBlob],
    base_layers: Option<usize>,
) -> (Vec<LayerInfo>, BaseSplit) {
    // Non-empty history entries, in order, are the layers.
    let layer_history: Vec<(usize, &History)> = config
        .history
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.empty_layer)
        .collect();
    let aligned = layer_history.len() == layers.len();
    let split = match base_layers {
        Some(n) => BaseSplit::Given(n.min(layers.len())),
        None if aligned => history_split(config, &layer_history),
        None => BaseSplit::None,
    };
    let base = split.base_layers();
    let infos = layers
        .iter()
        .enumerate()
        .map(|(index, blob)| LayerInfo {
            index,
            digest: blob
                .diff_id
                .as_ref()
                .or(blob.blob_digest.as_ref())
                .map(ToString::to_string)
                .unwrap_or_default(),
            blob_digest: blob.blob_digest.as_ref().map(ToString::to_string),
            size: blob.size,
            created_by: if aligned {
                layer_history[index]
                    .1
                    .created_by
                    .as_deref()
                    .map(instruction)
            } else {
                None
            },
            base: index < base,
        })
        .collect();
    (infos, split)
}

fn history_split(config: &ImageConfig, layer_history: &[(usize, &History)]) -> BaseSplit {
    let layers_after = |pos: usize| layer_history.iter().filter(|(i, _)| *i > pos).count();
    let last_cmd = config
        .history
        .iter()
        .enumerate()
        .filter(|(pos, h)| is_cmd_like(h) && layers_after(*pos) > 0)
        .map(|(pos, _)| pos)
        .next_back();
    if let Some(pos) = last_cmd {
        let base = layer_history.iter().filter(|(i, _)| *i < pos).count();
        let what = config.history[pos]
            .created_by
            .as_deref()
            .map(instruction)
            .unwrap_or_default();
        return BaseSplit::History(
            base,
            format!("layers before the base image's last `{what}` history entry"),
        );
    }
    if layer_history.len() > 1 && is_rootfs_add(layer_history[0].1) {
        return BaseSplit::History(1, "the root filesystem layer (`ADD file:… in /`)".into());
    }
    BaseSplit::None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::Digest;

    fn config(entries: &[(&str, bool)]) -> ImageConfig {
        ImageConfig {
            history: entries
                .iter()
                .map(|(c, empty)| History {
                    created_by: Some((*c).to_string()),
                    comment: None,
                    empty_layer: *empty,
                })
                .collect(),
            ..ImageConfig::default()
        }
    }

    fn layers(n: usize) -> Vec<LayerBlob> {
        (0..n)
            .map(|i| LayerBlob {
                blob_digest: Some(Digest::of(&[i as u8])),
                diff_id: Some(Digest::of(&[i as u8, 1])),
                size: Some(1),
                media_type: String::new(),
                archive_path: None,
            })
            .collect()
    }

    #[test]
    fn base_ends_at_last_cmd_followed_by_layers() {
        let c = config(&[
            ("/bin/sh -c #(nop) ADD file:abc in / ", false),
            ("/bin/sh -c #(nop)  CMD [\"bash\"]", true),
            ("/bin/sh -c apt-get install -y curl", false),
            ("COPY app /app # buildkit", false),
            ("CMD [\"/app\"]", true),
        ]);
        let (infos, split) = attribute(&c, &layers(3), None);
        assert_eq!(split.base_layers(), 1);
        assert!(infos[0].base && !infos[1].base && !infos[2].base);
        assert_eq!(
            infos[1].created_by.as_deref(),
            Some("RUN apt-get install -y curl")
        );
        assert_eq!(infos[0].created_by.as_deref(), Some("ADD file:abc in /"));
        assert_eq!(infos[0].digest, Digest::of(&[0, 1]).to_string());
    }

    #[test]
    fn image_scanned_on_its_own_has_no_base() {
        let c = config(&[("ADD file:abc in / ", false), ("CMD [\"bash\"]", true)]);
        let (infos, split) = attribute(&c, &layers(1), None);
        assert_eq!(split, BaseSplit::None);
        assert!(!infos[0].base);
    }

    #[test]
    fn rootfs_add_without_cmd_and_override() {
        let c = config(&[("ADD file:abc in /", false), ("RUN make", false)]);
        let (_, split) = attribute(&c, &layers(2), None);
        assert_eq!(split.base_layers(), 1);
        let (infos, split) = attribute(&c, &layers(2), Some(2));
        assert_eq!(split, BaseSplit::Given(2));
        assert!(infos.iter().all(|l| l.base));
        // History that does not line up with the layers: no created_by, no guessed base.
        let (infos, split) = attribute(&c, &layers(3), None);
        assert_eq!(split, BaseSplit::None);
        assert!(infos.iter().all(|l| l.created_by.is_none()));
    }
}
