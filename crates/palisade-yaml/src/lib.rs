//! YAML/JSON loading with spans on every node, Kubernetes scalar typing and input budgets.
//!
//! [`parse_bytes`] / [`parse_str`] turn a (multi-document) YAML or JSON stream into one
//! [`Document`] per non-empty document: a `serde_json::Value` typed the way Kubernetes' own
//! decoder types it (go-yaml v2, YAML 1.1 flavoured: `0644` is 420, `yes` is `true`), and a
//! [`SourceMap`] that turns a JSON pointer into a line and column. Merge keys (`<<`) are applied,
//! duplicate keys and scalars that YAML 1.1 and YAML 1.2 tools read differently are reported as
//! [`Diagnostic`]s, and file size, nesting depth and alias expansion are capped by [`Limits`].
//!
//! ```
//! use palisade_yaml::{parse_str, Limits};
//!
//! let stream = parse_str("kind: Pod\nspec:\n  hostPID: yes\n", &Limits::default());
//! let doc = &stream.documents[0];
//! assert_eq!(doc.value["spec"]["hostPID"], true);
//! assert_eq!(doc.source_map.locate("/spec/hostPID").span.start.line, 3);
//! assert_eq!(doc.diagnostics.len(), 1); // `yes` is a string to YAML 1.2 tools
//! ```
//!
//! # Decisions
//!
//! - **Parser.** Events come from `saphyr-parser` (pinned exactly); the tree builder is ours.
//!   saphyr's flow nesting stops at 255 levels, reported as [`ParseErrorKind::TooDeep`]; its
//!   "unknown anchor" error is [`ParseErrorKind::UnknownAlias`]. Anchors do not cross documents.
//! - **Typing.** Only plain scalars are typed, with go-yaml v2's rules (null/bool words incl.
//!   `y`/`n`/`on`/`off`; Go `ParseInt` base 0 after removing `_`, then `ParseUint`, then the
//!   YAML float syntax; overflowing floats stay strings; timestamps stay strings as go-yaml
//!   leaves them when decoding into `interface{}`). Quoted and block scalars are strings.
//!   `.inf`/`.nan` cannot be JSON numbers and keep their text. Core tags (`!!str`, `!!int`,
//!   `!!float`, `!!bool`, `!!null`) coerce when they can; other tags are ignored.
//! - **Keys** are the scalar's text, untyped (`yes:` is the key `"yes"`). Kubernetes names the
//!   field after the typed value instead (`"true"`), so a plain key whose YAML 1.1 and 1.2
//!   readings differ is reported as ambiguous. A mapping or sequence used as a key becomes its
//!   compact JSON text, cut at 1 KiB.
//! - **Spans** are 1-based; columns count characters. A block mapping starts at its first key;
//!   a flow collection spans its brackets; a block scalar starts at its first content line.
//!   [`SourceMap::locate`] puts mapping-valued members at their key (the line a reader looks
//!   at) and scalars at the value. Aliases and merged members keep the spans of the node they
//!   copy.
//! - **Merges and duplicates.** `<<` merges a mapping or a sequence of mappings (explicit keys
//!   win wherever written, earlier merged mappings win over later); merged members take the
//!   place of the `<<`. A repeated key keeps its first position and takes the last value, as
//!   go-yaml does into a map, and is reported.
//! - **Budgets.** [`Limits::max_alias_nodes`] weighs copies by node and by text (one node per
//!   64 bytes), so billion-laughs and one-huge-string variants fail fast and small; copies of
//!   anchored nodes kept for aliases are bounded by the same number per document.
//! - **Storage.** The source maps of a stream share one span arena (`Arc`): a collection's
//!   children are contiguous records, so a file's spans are a few allocations and a
//!   `SourceMap` clone is cheap. Collections are built once from scratch stacks with exact
//!   capacity, and scalar text is moved to exact-size allocations (saphyr allocates at least
//!   129 bytes per plain scalar), which keeps a document at about 10× its source size.

mod builder;
mod scalar;
mod source_map;
pub mod typed;

use std::fmt;

pub use palisade_core::{Position, Span};
pub use source_map::{Located, SourceMap, escape_pointer_token};

/// Input budgets. Exceeding one stops parsing the file with a [`ParseError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_file_bytes: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most nodes that alias expansion may create in one file (billion-laughs guard). Every 64
    /// bytes of scalar or key text count as one more node, so aliases of one huge string are
    /// bounded too. The copies of anchored nodes kept for aliases are bounded by the same number
    /// per document; an alias to an anchor too large to keep exceeds the budget.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_depth: 512,
            max_alias_nodes: 100_000,
        }
    }
}

/// The documents of one YAML stream.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedStream {
    /// Every non-empty document completed before `error` (all of them when there is no error).
    pub documents: Vec<Document>,
    /// Why parsing stopped early, if it did.
    pub error: Option<ParseError>,
}

/// Why a stream could not be parsed to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub message: String,
    pub position: Position,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.position.line, self.position.column
        )
    }
}

impl std::error::Error for ParseError {}

/// Category of a [`ParseError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParseErrorKind {
    /// Not valid YAML.
    Syntax,
    /// Larger than [`Limits::max_file_bytes`].
    TooLarge,
    /// Nested deeper than [`Limits::max_depth`].
    TooDeep,
    /// Alias expansion created more than [`Limits::max_alias_nodes`] nodes.
    AliasBudget,
    /// An alias names an anchor not defined earlier in its document.
    UnknownAlias,
    /// The input is not UTF-8.
    InvalidUtf8,
}

/// One parsed document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub value: serde_json::Value,
    pub source_map: SourceMap,
    /// Where the document starts (its `---`, or its first node).
    pub start: Position,
    pub diagnostics: Vec<Diagnostic>,
}

/// Something worth reporting about a document that still parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    /// JSON pointer of the node concerned.
    pub pointer: String,
    pub span: Span,
    pub message: String,
}

/// Category of a [`Diagnostic`].
#[derive(Debug, Clone, PartialEq)]
pub enum DiagnosticKind {
    /// A mapping key written twice; `span` is the second occurrence's key, `first` the first's.
    /// The last value wins, as in go-yaml v2 decoding into a map.
    DuplicateKey { first: Span },
    /// A plain scalar Kubernetes (YAML 1.1) and YAML 1.2 tools read differently.
    AmbiguousScalar {
        raw: String,
        yaml11: serde_json::Value,
        yaml12: serde_json::Value,
    },
}

/// Parse a YAML (or JSON) stream given as bytes. A UTF-8 byte order mark is skipped; input
/// that is not UTF-8 gives an [`ParseErrorKind::InvalidUtf8`] error at the first bad byte.
pub fn parse_bytes(src: &[u8], limits: &Limits) -> ParsedStream {
    if let Some(error) = too_large(src.len(), limits) {
        return ParsedStream::failed(error);
    }
    let src = src.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(src);
    match std::str::from_utf8(src) {
        Ok(text) => builder::parse(text, limits),
        Err(e) => {
            let valid = &src[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
            let position = Position {
                line: to_u32(valid.matches('\n').count() + 1),
                column: to_u32(valid[line_start..].chars().count() + 1),
            };
            ParsedStream::failed(ParseError {
                kind: ParseErrorKind::InvalidUtf8,
                message: format!("invalid UTF-8 byte 0x{:02X}", src[e.valid_up_to()]),
                position,
            })
        }
    }
}

/// Parse a YAML (or JSON) stream. A leading byte order mark is skipped.
pub fn parse_str(src: &str, limits: &Limits) -> ParsedStream {
    if let Some(error) = too_large(src.len(), limits) {
        return ParsedStream::failed(error);
    }
    builder::parse(src.strip_prefix('\u{FEFF}').unwrap_or(src), limits)
}

fn too_large(len: usize, limits: &Limits) -> Option<ParseError> {
    (len > limits.max_file_bytes).then(|| ParseError {
        kind: ParseErrorKind::TooLarge,
        message: format!(
            "input is {len} bytes, more than the limit of {} bytes",
            limits.max_file_bytes
        ),
        position: Position { line: 1, column: 1 },
    })
}

impl ParsedStream {
    fn failed(error: ParseError) -> Self {
        ParsedStream {
            documents: Vec::new(),
            error: Some(error),
        }
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        assert_send_sync::<ParsedStream>();
        assert_send_sync::<Document>();
        assert_send_sync::<SourceMap>();
        assert_send_sync::<ParseError>();
        assert_send_sync::<Limits>();
    }

    #[test]
    fn display_names_line_and_column() {
        let e = ParseError {
            kind: ParseErrorKind::Syntax,
            message: "bad".into(),
            position: Position { line: 3, column: 7 },
        };
        assert_eq!(e.to_string(), "bad at line 3 column 7");
    }
}
