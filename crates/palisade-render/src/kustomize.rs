//! Kustomize overlays built natively.
