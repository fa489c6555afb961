use serde::{Deserialize, Serialize};

/// A 1-based line and column in a source file.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A range in a source file; `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

/// Where a finding points: a file and a range in it, plus the JSON pointer of the offending
/// field inside the object. When the field is absent, the range is that of its nearest existing
/// ancestor and `pointer` still names the missing field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// JSON pointer (RFC 6901) of the field the finding is about, relative to the object.
    pub pointer: String,
    /// False when `pointer` does not exist in the object and the range is an ancestor's.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub exact: bool,
}

fn default_true() -> bool {
    true
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_true(value: &bool) -> bool {
    *value
}

impl Location {
    pub fn new(
        path: impl Into<String>,
        span: Span,
        pointer: impl Into<String>,
        exact: bool,
    ) -> Self {
        Location {
            path: path.into(),
            line: span.start.line,
            column: span.start.column,
            end_line: span.end.line,
            end_column: span.end.column,
            pointer: pointer.into(),
            exact,
        }
    }

    /// A location that knows only a file and a position (parse errors, lock-file lines).
    pub fn at(path: impl Into<String>, line: u32, column: u32) -> Self {
        Location {
            path: path.into(),
            line,
            column,
            end_line: line,
            end_column: column,
            pointer: String::new(),
            exact: true,
        }
    }
}
