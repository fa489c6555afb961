//! Rendering of generated manifests: Helm charts through a real `helm` binary and Kustomize
//! overlays natively, each rendered object carrying where it came from.

pub mod helm;
pub mod kustomize;
