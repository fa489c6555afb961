//! Typed configuration from YAML with errors that point at the offending line.
//!
//! Settings files (`.palisade.yaml`, exceptions files) are read into serde structs with
//! `deny_unknown_fields`; a bad key or value must be reported as `file:line:col`, not as a bare
//! serde message. The document is parsed with spans first, then deserialized from its JSON
//! tree while tracking the path, and the path is located in the source map.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::{Document, Limits, Position, escape_pointer_token, parse_str};

/// Why a YAML settings document could not be read into its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedError {
    /// JSON pointer of the offending node (`""` for the whole document).
    pub pointer: String,
    /// Where that node is (or its nearest existing ancestor).
    pub position: Position,
    pub message: String,
}

impl fmt::Display for TypedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            self.position.line, self.position.column, self.message
        )
    }
}

impl std::error::Error for TypedError {}

/// Reads `document` into `T`, locating any error in the document's source.
pub fn from_document<T: DeserializeOwned>(document: &Document) -> Result<T, TypedError> {
    match serde_path_to_error::deserialize::<_, T>(&document.value) {
        Ok(value) => Ok(value),
        Err(error) => {
            let pointer = pointer_of(error.path());
            let position = document.source_map.locate(&pointer).span.start;
            Err(TypedError {
                pointer,
                position,
                message: error.into_inner().to_string(),
            })
        }
    }
}

/// Parses a single-document YAML text and reads it into `T`. An empty text is read as an
/// empty mapping, so types whose fields all have defaults accept an empty file.
pub fn from_yaml_str<T: DeserializeOwned>(text: &str) -> Result<T, TypedError> {
    let stream = parse_str(text, &Limits::default());
    if let Some(error) = stream.error {
        return Err(TypedError {
            pointer: String::new(),
            position: error.position,
            message: error.message,
        });
    }
    let mut documents = stream.documents.into_iter();
    let Some(document) = documents.next() else {
        return serde_json::from_value(serde_json::Value::Object(serde_json::Map::new())).map_err(
            |e| TypedError {
                pointer: String::new(),
                position: Position { line: 1, column: 1 },
                message: e.to_string(),
            },
        );
    };
    if let Some(extra) = documents.next() {
        return Err(TypedError {
            pointer: String::new(),
            position: extra.start,
            message: "expected one YAML document, found several".to_string(),
        });
    }
    if let Some(duplicate) = document
        .diagnostics
        .iter()
        .find(|d| matches!(d.kind, crate::DiagnosticKind::DuplicateKey { .. }))
    {
        return Err(TypedError {
            pointer: duplicate.pointer.clone(),
            position: duplicate.span.start,
            message: duplicate.message.clone(),
        });
    }
    from_document(&document)
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Settings {
        #[serde(default)]
        name: String,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        count: u32,
    }

    #[test]
    fn reads_valid_documents_and_empty_files() {
        let s: Settings = from_yaml_str("name: x\nitems:\n  - count: 2\n").unwrap();
        assert_eq!(s.items, vec![Item { count: 2 }]);
        let empty: Settings = from_yaml_str("").unwrap();
        assert_eq!(empty.name, "");
    }

    #[test]
    fn unknown_keys_and_bad_values_point_at_their_line() {
        let error =
            from_yaml_str::<Settings>("name: x\nitems:\n  - count: 2\n  - cuont: 3\n").unwrap_err();
        assert_eq!(error.position.line, 4, "{error}");
        assert!(error.message.contains("cuont"), "{error}");

        let error = from_yaml_str::<Settings>("items:\n  - count: lots\n").unwrap_err();
        assert_eq!(error.pointer, "/items/0/count");
        assert_eq!(error.position.line, 2);
        assert_eq!(error.position.column, 12);

        let error = from_yaml_str::<Settings>("name: x\nnmae: y\n").unwrap_err();
        assert_eq!(error.position.line, 2, "{error}");
    }

    #[test]
    fn syntax_errors_duplicates_and_several_documents_are_errors() {
        assert!(from_yaml_str::<Settings>("name: [\n").is_err());
        let dup = from_yaml_str::<Settings>("name: a\nname: b\n").unwrap_err();
        assert_eq!(dup.position.line, 2);
        assert!(from_yaml_str::<Settings>("name: a\n---\nname: b\n").is_err());
    }
}
