//! Where every node of a document was written, indexed like the document's JSON value.

use std::borrow::Cow;

use palisade_core::Span;

/// Location of a node found by [`SourceMap::locate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Located {
    pub span: Span,
    /// False when the pointer does not exist and `span` is that of its deepest existing ancestor.
    pub exact: bool,
}

/// Spans of a node and its descendants. Mapping entries are in the same order as the keys of the
/// corresponding `serde_json::Map`; each key's text lives in the [`SourceMap`]'s key arena.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SpanNode {
    Scalar(Span),
    Map(Span, Vec<Entry>),
    Seq(Span, Vec<SpanNode>),
}

impl Default for SpanNode {
    fn default() -> Self {
        SpanNode::Scalar(Span::default())
    }
}

impl SpanNode {
    pub(crate) fn span(&self) -> Span {
        match self {
            SpanNode::Scalar(s) | SpanNode::Map(s, _) | SpanNode::Seq(s, _) => *s,
        }
    }
}

/// One mapping member: its key (a range of the key arena), the key's span and the value's spans.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) key_start: u32,
    pub(crate) key_len: u32,
    pub(crate) key_span: Span,
    pub(crate) value: SpanNode,
}

/// Spans of every node of one document, looked up by JSON pointer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceMap {
    pub(crate) root: SpanNode,
    /// Text of every mapping key of the document, concatenated; entries refer to ranges of it.
    pub(crate) keys: String,
}

/// What a pointer resolved to.
enum Found<'a> {
    Root(&'a SpanNode),
    Member(&'a Entry),
    Item(&'a SpanNode),
}

impl SourceMap {
    /// Best location for a JSON pointer (RFC 6901, `""` = root,
    /// `"/spec/containers/0/securityContext/privileged"`).
    ///
    /// A scalar value is located at the value itself; a mapping or sequence that is a mapping
    /// member at its key (the `hostPath:` line); a sequence item at the item (for `- name: app`,
    /// the position of `name`). When the pointer does not exist, `exact` is false and the span is
    /// that of the deepest existing ancestor, chosen by the same policy.
    pub fn locate(&self, pointer: &str) -> Located {
        let (found, exact) = self.walk(pointer);
        let span = match found {
            Found::Root(node) | Found::Item(node) => node.span(),
            Found::Member(entry) => match entry.value {
                SpanNode::Scalar(s) => s,
                SpanNode::Map(..) | SpanNode::Seq(..) => entry.key_span,
            },
        };
        Located { span, exact }
    }

    /// The span of the value at `pointer`, if it exists.
    pub fn value_span(&self, pointer: &str) -> Option<Span> {
        match self.walk(pointer) {
            (Found::Root(node) | Found::Item(node), true) => Some(node.span()),
            (Found::Member(entry), true) => Some(entry.value.span()),
            (_, false) => None,
        }
    }

    /// The span of the key of the mapping member at `pointer`, if it exists.
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        match self.walk(pointer) {
            (Found::Member(entry), true) => Some(entry.key_span),
            _ => None,
        }
    }

    fn key_text(&self, entry: &Entry) -> &str {
        let start = entry.key_start as usize;
        &self.keys[start..start + entry.key_len as usize]
    }

    /// Follow `pointer` as far as it exists; true when it existed entirely.
    fn walk(&self, pointer: &str) -> (Found<'_>, bool) {
        let mut found = Found::Root(&self.root);
        if pointer.is_empty() {
            return (found, true);
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            return (found, false);
        };
        for raw_token in rest.split('/') {
            let token = unescape_pointer_token(raw_token);
            let node = match found {
                Found::Root(n) | Found::Item(n) => n,
                Found::Member(e) => &e.value,
            };
            let next = match node {
                SpanNode::Map(_, entries) => entries
                    .iter()
                    .find(|e| self.key_text(e) == token)
                    .map(Found::Member),
                SpanNode::Seq(_, items) => parse_index(&token)
                    .and_then(|i| items.get(i))
                    .map(Found::Item),
                SpanNode::Scalar(_) => None,
            };
            match next {
                Some(n) => found = n,
                None => return (found, false),
            }
        }
        (found, true)
    }
}

/// An RFC 6901 array index: `0` or digits without a leading zero.
fn parse_index(token: &str) -> Option<usize> {
    let b = token.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    token.parse().ok()
}

/// Escape one reference token of a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Undo [`escape_pointer_token`].
pub(crate) fn unescape_pointer_token(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_round_trip() {
        for t in ["plain", "a/b", "~x", "~1", "a~/b/~0"] {
            assert_eq!(unescape_pointer_token(&escape_pointer_token(t)), t);
        }
        assert_eq!(escape_pointer_token("a/b~c"), "a~1b~0c");
        assert!(matches!(escape_pointer_token("abc"), Cow::Borrowed(_)));
    }

    #[test]
    fn indices_are_strict() {
        assert_eq!(parse_index("0"), Some(0));
        assert_eq!(parse_index("12"), Some(12));
        assert_eq!(parse_index("01"), None);
        assert_eq!(parse_index("-1"), None);
        assert_eq!(parse_index(""), None);
    }
}
