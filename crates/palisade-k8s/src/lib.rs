//! The Kubernetes object model Palisade's rules see: objects cut out of YAML documents
//! (including `kind: List` items), and pod-spec views over every workload kind.
//!
//! Objects stay generic JSON trees: scanners meet invalid and partial objects, and CRDs, so
//! nothing here requires an object to deserialize into typed API structs.

mod graph;
mod object;
mod pod;
mod pointer;
mod slim;

pub use graph::{GRAPH_KINDS, ObjectSet, is_graph_kind, pod_labels, selector_matches};
pub use object::{Extracted, Object, ObjectSource, extract_objects};
pub use pod::{ContainerKind, ContainerView, PodView, pod_template_pointers};
pub use pointer::lookup;
pub use slim::{retain_for_graph, slim_object};
