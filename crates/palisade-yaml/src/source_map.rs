//! Where every node of a document was written, indexed like the document's JSON value.
//!
//! The spans live in flat arenas, one per document: sequence items, mapping entries and key
//! text. A collection's children are stored contiguously and the collection refers to them by
//! range, so a document's source map is a handful of allocations however large it is, and an
//! alias shares the spans of the node it copies.

use std::borrow::Cow;
use std::sync::Arc;

use palisade_core::Span;

use crate::to_u32;

/// Location of a node found by [`SourceMap::locate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Located {
    pub span: Span,
    /// False when the pointer does not exist and `span` is that of its deepest existing ancestor.
    pub exact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Kind {
    #[default]
    Scalar,
    /// Children are `entries[first..first + len]`.
    Map,
    /// Children are `items[first..first + len]`.
    Seq,
}

/// Spans of one node; for a collection, also where its children are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct NodeRec {
    pub(crate) span: Span,
    pub(crate) kind: Kind,
    pub(crate) first: u32,
    pub(crate) len: u32,
}

impl NodeRec {
    pub(crate) fn scalar(span: Span) -> Self {
        NodeRec {
            span,
            kind: Kind::Scalar,
            first: 0,
            len: 0,
        }
    }

    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.first as usize..self.first as usize + self.len as usize
    }
}

/// One mapping member: its key (a range of the key arena), the key's span and the value's spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntryRec {
    pub(crate) key_start: u32,
    pub(crate) key_len: u32,
    pub(crate) key_span: Span,
    pub(crate) value: NodeRec,
}

/// Span arenas of one document.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    pub(crate) items: Vec<NodeRec>,
    pub(crate) entries: Vec<EntryRec>,
    /// Text of every mapping key, concatenated; entries refer to ranges of it.
    pub(crate) keys: String,
}

impl Arena {
    /// Drops the growth slack of a finished document's arena.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.keys.shrink_to_fit();
    }
}

/// Spans of every node of one document, looked up by JSON pointer.
///
/// Cheap to clone: clones share the span storage.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    pub(crate) root: NodeRec,
    pub(crate) arena: Arc<Arena>,
}

impl PartialEq for SourceMap {
    /// Two source maps are equal when they hold the same spans and keys for the same tree,
    /// wherever they are stored.
    fn eq(&self, other: &Self) -> bool {
        same_tree(&self.arena, self.root, &other.arena, other.root)
    }
}

fn same_tree(a: &Arena, x: NodeRec, b: &Arena, y: NodeRec) -> bool {
    if x.span != y.span || x.kind != y.kind || x.len != y.len {
        return false;
    }
    match x.kind {
        Kind::Scalar => true,
        Kind::Seq => a.items[x.range()]
            .iter()
            .zip(&b.items[y.range()])
            .all(|(i, j)| same_tree(a, *i, b, *j)),
        Kind::Map => a.entries[x.range()]
            .iter()
            .zip(&b.entries[y.range()])
            .all(|(e, f)| {
                e.key_span == f.key_span
                    && key_text(&a.keys, e) == key_text(&b.keys, f)
                    && same_tree(a, e.value, b, f.value)
            }),
    }
}

/// What a pointer resolved to.
#[derive(Clone, Copy)]
enum Found<'a> {
    Node(NodeRec),
    Member(&'a EntryRec),
}

impl Found<'_> {
    fn node(self) -> NodeRec {
        match self {
            Found::Node(n) => n,
            Found::Member(e) => e.value,
        }
    }
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
            Found::Node(node) => node.span,
            Found::Member(entry) => match entry.value.kind {
                Kind::Scalar => entry.value.span,
                Kind::Map | Kind::Seq => entry.key_span,
            },
        };
        Located { span, exact }
    }

    /// The span of the value at `pointer`, if it exists.
    pub fn value_span(&self, pointer: &str) -> Option<Span> {
        match self.walk(pointer) {
            (found, true) => Some(found.node().span),
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

    /// A copy with only the spans of the nodes `value` has, in an arena of its own. `value` is
    /// the document this map was built with, or that document with members removed (or
    /// replaced by scalars): the copy then no longer holds the removed nodes' spans. Pointers
    /// into removed nodes locate at their nearest kept ancestor.
    #[must_use]
    pub fn projected(&self, value: &serde_json::Value) -> SourceMap {
        let mut arena = Arena::default();
        let root = project(&self.arena, self.root, value, &mut arena);
        arena.shrink_to_fit();
        SourceMap {
            root,
            arena: Arc::new(arena),
        }
    }

    fn key_text(&self, entry: &EntryRec) -> &str {
        key_text(&self.arena.keys, entry)
    }

    /// Follow `pointer` as far as it exists; true when it existed entirely.
    fn walk(&self, pointer: &str) -> (Found<'_>, bool) {
        let mut found = Found::Node(self.root);
        if pointer.is_empty() {
            return (found, true);
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            return (found, false);
        };
        for raw_token in rest.split('/') {
            let token = unescape_pointer_token(raw_token);
            let node = found.node();
            let next = match node.kind {
                Kind::Map => self.arena.entries[node.range()]
                    .iter()
                    .find(|e| self.key_text(e) == token)
                    .map(Found::Member),
                Kind::Seq => parse_index(&token)
                    .and_then(|i| self.arena.items[node.range()].get(i))
                    .map(|n| Found::Node(*n)),
                Kind::Scalar => None,
            };
            match next {
                Some(n) => found = n,
                None => return (found, false),
            }
        }
        (found, true)
    }
}

/// Copies the records of `node` that `value` still has from `from` into `to`. A collection's
/// children are copied first, then stored contiguously, as the builder stores them.
fn project(from: &Arena, node: NodeRec, value: &serde_json::Value, to: &mut Arena) -> NodeRec {
    use serde_json::Value;
    match (node.kind, value) {
        (Kind::Map, Value::Object(map)) => {
            let entries: Vec<EntryRec> = from.entries[node.range()]
                .iter()
                .filter_map(|entry| {
                    let key = key_text(&from.keys, entry);
                    let child = map.get(key)?;
                    let value = project(from, entry.value, child, to);
                    let key_start = to_u32(to.keys.len());
                    to.keys.push_str(key);
                    Some(EntryRec {
                        key_start,
                        value,
                        ..*entry
                    })
                })
                .collect();
            let first = to_u32(to.entries.len());
            to.entries.extend(entries);
            NodeRec {
                first,
                len: to_u32(to.entries.len()) - first,
                ..node
            }
        }
        (Kind::Seq, Value::Array(values)) => {
            let items: Vec<NodeRec> = from.items[node.range()]
                .iter()
                .zip(values)
                .map(|(item, child)| project(from, *item, child, to))
                .collect();
            let first = to_u32(to.items.len());
            to.items.extend(items);
            NodeRec {
                first,
                len: to_u32(to.items.len()) - first,
                ..node
            }
        }
        _ => NodeRec::scalar(node.span),
    }
}

pub(crate) fn key_text<'k>(keys: &'k str, entry: &EntryRec) -> &'k str {
    let start = entry.key_start as usize;
    &keys[start..start + entry.key_len as usize]
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

    #[test]
    fn default_map_locates_everything_at_its_root() {
        let map = SourceMap::default();
        assert_eq!(
            map.locate("/a/b"),
            Located {
                span: Span::default(),
                exact: false
            }
        );
        assert_eq!(map.value_span(""), Some(Span::default()));
    }
}
