use std::sync::Arc;

use palisade_core::{Location, ResourceRef};
use palisade_yaml::Document;
use serde_json::Value;

/// Where an object came from: which file, which document, and where in that document.
#[derive(Debug, Clone)]
pub struct ObjectSource {
    /// Path as shown to the user (relative to where the scan was started, or `<stdin>`).
    pub path: Arc<str>,
    pub document: Arc<Document>,
    /// JSON pointer of the object inside its document: "" or "/items/3" for `List` items.
    pub pointer: String,
}

/// One Kubernetes object: anything with a string `apiVersion` and `kind`.
#[derive(Debug, Clone)]
pub struct Object {
    pub source: ObjectSource,
    pub resource: Arc<ResourceRef>,
}

impl Object {
    /// The object's JSON tree.
    pub fn value(&self) -> &Value {
        let doc = &self.source.document.value;
        if self.source.pointer.is_empty() {
            doc
        } else {
            crate::lookup(doc, &self.source.pointer).unwrap_or(&Value::Null)
        }
    }

    pub fn kind(&self) -> &str {
        &self.resource.kind
    }

    /// The API group, "" for the core group.
    pub fn group(&self) -> &str {
        self.resource
            .api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    pub fn labels(&self) -> Option<&serde_json::Map<String, Value>> {
        crate::lookup(self.value(), "/metadata/labels")?.as_object()
    }

    pub fn annotations(&self) -> Option<&serde_json::Map<String, Value>> {
        crate::lookup(self.value(), "/metadata/annotations")?.as_object()
    }

    /// The location of `pointer` (relative to this object) in the source file: the exact node
    /// when it exists, else its deepest existing ancestor.
    pub fn locate(&self, pointer: &str) -> Location {
        let full = format!("{}{pointer}", self.source.pointer);
        let located = self.source.document.source_map.locate(&full);
        Location::new(
            self.source.path.to_string(),
            located.span,
            pointer,
            located.exact,
        )
    }
}

/// What a document turned out to contain.
#[derive(Debug, Default)]
pub struct Extracted {
    pub objects: Vec<Object>,
    /// Documents (or list items) that are not Kubernetes objects.
    pub skipped: usize,
}

/// Cuts the Kubernetes objects out of one parsed document. `kind: List` and any `*List` kind with
/// an `items` array yield their items; anything without a string `apiVersion` and `kind` is
/// counted as skipped.
pub fn extract_objects(path: &Arc<str>, document: &Arc<Document>) -> Extracted {
    let mut out = Extracted::default();
    let value = &document.value;
    let Some(resource) = resource_ref(value) else {
        out.skipped += 1;
        return out;
    };
    let items = value.get("items").and_then(Value::as_array);
    match items {
        Some(items) if resource.kind.ends_with("List") => {
            for (index, item) in items.iter().enumerate() {
                match resource_ref(item) {
                    Some(item_ref) => out.objects.push(Object {
                        source: ObjectSource {
                            path: Arc::clone(path),
                            document: Arc::clone(document),
                            pointer: format!("/items/{index}"),
                        },
                        resource: Arc::new(item_ref),
                    }),
                    None => out.skipped += 1,
                }
            }
        }
        _ => out.objects.push(Object {
            source: ObjectSource {
                path: Arc::clone(path),
                document: Arc::clone(document),
                pointer: String::new(),
            },
            resource: Arc::new(resource),
        }),
    }
    out
}

fn resource_ref(value: &Value) -> Option<ResourceRef> {
    let api_version = value.get("apiVersion")?.as_str()?;
    let kind = value.get("kind")?.as_str()?;
    if api_version.is_empty() || kind.is_empty() {
        return None;
    }
    let text = |p: &str| {
        crate::lookup(value, p)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Some(ResourceRef {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        namespace: text("/metadata/namespace"),
        name: text("/metadata/name").or_else(|| text("/metadata/generateName")),
    })
}
