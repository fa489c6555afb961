//! `--include-namespaces` / `--exclude-namespaces`.

use globset::{Glob, GlobSet, GlobSetBuilder};
use palisade_k8s::Object;

/// Which namespaces a scan looks at. Objects without a namespace (cluster-scoped kinds, and
/// namespaced manifests that leave it to `kubectl -n`) are always kept, except `Namespace`
/// objects, which are judged by their own name.
#[derive(Debug, Clone, Default)]
pub struct NamespaceFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid namespace glob `{pattern}`: {message}")]
pub struct NamespaceGlobError {
    pub pattern: String,
    pub message: String,
}

fn build(patterns: &[String]) -> Result<Option<GlobSet>, NamespaceGlobError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern).map_err(|e| NamespaceGlobError {
            pattern: pattern.clone(),
            message: e.to_string(),
        })?);
    }
    builder.build().map(Some).map_err(|e| NamespaceGlobError {
        pattern: patterns.join(","),
        message: e.to_string(),
    })
}

impl NamespaceFilter {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, NamespaceGlobError> {
        Ok(NamespaceFilter {
            include: build(include)?,
            exclude: build(exclude)?,
        })
    }

    pub fn is_everything(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }

    /// Whether `object` is in scope.
    pub fn allows(&self, object: &Object) -> bool {
        if self.is_everything() {
            return true;
        }
        let namespace = if object.kind() == "Namespace" {
            object.resource.name.as_deref()
        } else {
            object.resource.namespace.as_deref()
        };
        let Some(namespace) = namespace else {
            return true;
        };
        self.include.as_ref().is_none_or(|g| g.is_match(namespace))
            && self.exclude.as_ref().is_none_or(|g| !g.is_match(namespace))
    }
}
