//! Helm charts rendered with `helm template`.
