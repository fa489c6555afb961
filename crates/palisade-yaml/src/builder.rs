//! Builds JSON values and their span trees from saphyr-parser's event stream.

use std::collections::HashMap;
use std::fmt::Write as _;

use palisade_core::{Position, Span};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};
use serde_json::{Map, Value};

use crate::scalar::{self, CoreTag, Typed};
use crate::source_map::{Entry, SourceMap, SpanNode, escape_pointer_token};
use crate::{
    Diagnostic, DiagnosticKind, Document, Limits, ParseError, ParseErrorKind, ParsedStream, to_u32,
};

/// Parse a whole stream; documents completed before an error are kept.
pub(crate) fn parse(src: &str, limits: &Limits) -> ParsedStream {
    let mut builder = Builder::new(limits);
    let mut parser = Parser::new_from_str(src);
    let error = loop {
        match parser.next_event() {
            None => break None,
            Some(Err(e)) => break Some(scan_error(&e)),
            Some(Ok((event, span))) => {
                if let Err(e) = builder.event(event, span) {
                    break Some(e);
                }
            }
        }
    };
    ParsedStream {
        documents: builder.documents,
        error,
    }
}

fn scan_error(e: &ScanError) -> ParseError {
    let kind = if e.info().contains("unknown anchor") {
        ParseErrorKind::UnknownAlias
    } else if e.info().contains("recursion limit") {
        // saphyr's scanner caps flow nesting at 255 levels.
        ParseErrorKind::TooDeep
    } else {
        ParseErrorKind::Syntax
    };
    ParseError {
        kind,
        message: e.info().to_owned(),
        position: position(*e.marker()),
    }
}

fn position(m: Marker) -> Position {
    Position {
        line: to_u32(m.line()),
        column: to_u32(m.col() + 1),
    }
}

fn span(s: saphyr_parser::Span) -> Span {
    Span {
        start: position(s.start),
        end: position(s.end),
    }
}

/// A completed node on its way into its parent.
struct Node {
    value: Value,
    spans: SpanNode,
    /// Value nodes in this subtree, itself included (keys are not counted).
    nodes: usize,
    /// Nesting of collections: 0 for a scalar, 1 for a collection of scalars, …
    height: usize,
}

/// A node with an anchor, kept for its aliases.
struct Anchored {
    value: Value,
    spans: SpanNode,
    nodes: usize,
    height: usize,
    /// The scalar's text, for an alias used as a mapping key.
    raw: Option<String>,
}

struct PendingKey {
    text: String,
    span: Span,
    /// A plain `<<`: the value may be merged instead of stored.
    merge: bool,
}

/// Mappings to merge into a mapping, and where its `<<` was among the explicit members.
struct Merge {
    at: usize,
    sources: Vec<(Map<String, Value>, Vec<Entry>)>,
}

struct MapFrame {
    map: Map<String, Value>,
    entries: Vec<Entry>,
    key: Option<PendingKey>,
    merges: Vec<Merge>,
    common: FrameCommon,
}

struct SeqFrame {
    items: Vec<Value>,
    spans: Vec<SpanNode>,
    common: FrameCommon,
}

struct FrameCommon {
    start: Position,
    /// Furthest end seen so far: the start event's end, then each child's end.
    end: Position,
    anchor: usize,
    nodes: usize,
    child_height: usize,
}

impl FrameCommon {
    fn new(s: Span, anchor: usize) -> Self {
        FrameCommon {
            start: s.start,
            end: s.end,
            anchor,
            nodes: 1,
            child_height: 0,
        }
    }

    fn absorb(&mut self, node: &Node) {
        self.nodes += node.nodes;
        self.child_height = self.child_height.max(node.height);
        self.end = self.end.max(node.spans.span().end);
    }

    /// The collection's span; a one-character end event is a flow collection's `]`/`}`.
    fn finish(&self, end_event: saphyr_parser::Span) -> (Span, usize, usize) {
        let mut end = self.end;
        if end_event.len() == 1 {
            end = end.max(position(end_event.end));
        }
        (
            Span {
                start: self.start,
                end,
            },
            self.nodes,
            self.child_height + 1,
        )
    }
}

enum Frame {
    Map(MapFrame),
    Seq(SeqFrame),
}

struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    /// Anchors of the current document, by saphyr's anchor id.
    anchors: HashMap<usize, Anchored>,
    /// Nodes created by alias expansion in the whole stream.
    alias_nodes: usize,
    /// Key arena of the current document's source map.
    keys: String,
    diagnostics: Vec<Diagnostic>,
    doc_start: Position,
    root: Option<Node>,
    /// The document's root is the empty plain scalar of a document without content.
    root_is_empty: bool,
    documents: Vec<Document>,
}

impl<'l> Builder<'l> {
    fn new(limits: &'l Limits) -> Self {
        Builder {
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            keys: String::new(),
            diagnostics: Vec::new(),
            doc_start: Position::default(),
            root: None,
            root_is_empty: false,
            documents: Vec::new(),
        }
    }

    fn event(&mut self, event: Event<'_>, raw_span: saphyr_parser::Span) -> Result<(), ParseError> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar(
                    text.into_owned(),
                    style,
                    anchor,
                    tag.as_deref(),
                    span(raw_span),
                );
                Ok(())
            }
            Event::MappingStart(anchor, _) => {
                self.check_depth(0, raw_span.start)?;
                self.stack.push(Frame::Map(MapFrame {
                    map: Map::new(),
                    entries: Vec::new(),
                    key: None,
                    merges: Vec::new(),
                    common: FrameCommon::new(span(raw_span), anchor),
                }));
                Ok(())
            }
            Event::SequenceStart(anchor, _) => {
                self.check_depth(0, raw_span.start)?;
                self.stack.push(Frame::Seq(SeqFrame {
                    items: Vec::new(),
                    spans: Vec::new(),
                    common: FrameCommon::new(span(raw_span), anchor),
                }));
                Ok(())
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.end_collection(raw_span);
                Ok(())
            }
            Event::Alias(id) => self.alias(id, raw_span),
            Event::DocumentStart(_) => {
                self.anchors.clear();
                self.keys = String::new();
                self.diagnostics = Vec::new();
                self.doc_start = position(raw_span.start);
                self.root = None;
                self.root_is_empty = false;
                Ok(())
            }
            Event::DocumentEnd => {
                self.end_document();
                Ok(())
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => Ok(()),
        }
    }

    /// A node `extra` levels below the next one would be too deep.
    fn check_depth(&self, extra: usize, at: Marker) -> Result<(), ParseError> {
        if self.stack.len() + 1 + extra > self.limits.max_depth {
            return Err(ParseError {
                kind: ParseErrorKind::TooDeep,
                message: format!(
                    "nesting is deeper than the limit of {} levels",
                    self.limits.max_depth
                ),
                position: position(at),
            });
        }
        Ok(())
    }

    /// Whether the next node completed is a mapping key.
    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map(m)) if m.key.is_none())
    }

    fn scalar(
        &mut self,
        text: String,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        s: Span,
    ) {
        if self.expecting_key() {
            if anchor != 0 {
                let (typed, _) = type_scalar(&text, style, tag);
                self.anchors.insert(
                    anchor,
                    Anchored {
                        value: typed.into_value(text.clone()),
                        spans: SpanNode::Scalar(s),
                        nodes: 1,
                        height: 0,
                        raw: Some(text.clone()),
                    },
                );
            }
            let merge = text == "<<"
                && match tag {
                    None => style == ScalarStyle::Plain,
                    Some(t) => t.is_yaml_core_schema() && t.suffix == "merge",
                };
            self.set_key(PendingKey {
                text,
                span: s,
                merge,
            });
            return;
        }

        let (typed, check) = type_scalar(&text, style, tag);
        if check {
            self.check_ambiguity(&text, typed, s);
        }
        if self.stack.is_empty() {
            self.root_is_empty =
                text.is_empty() && style == ScalarStyle::Plain && tag.is_none() && anchor == 0;
        }
        let value = if anchor == 0 {
            typed.into_value(text)
        } else {
            let value = typed.into_value(text.clone());
            self.anchors.insert(
                anchor,
                Anchored {
                    value: value.clone(),
                    spans: SpanNode::Scalar(s),
                    nodes: 1,
                    height: 0,
                    raw: Some(text),
                },
            );
            value
        };
        self.add(Node {
            value,
            spans: SpanNode::Scalar(s),
            nodes: 1,
            height: 0,
        });
    }

    fn check_ambiguity(&mut self, raw: &str, k8s: Typed, s: Span) {
        let Some(&first) = raw.as_bytes().first() else {
            return;
        };
        // Only text starting like a number, a dot or one of the YAML 1.1 words can resolve to
        // anything but a string in either schema.
        if !matches!(first, b'0'..=b'9' | b'+' | b'-' | b'.' | b'~')
            && !matches!(first.to_ascii_lowercase(), b'y' | b'n' | b't' | b'f' | b'o')
        {
            return;
        }
        let core = scalar::resolve_core(raw);
        if k8s.same_meaning(core) {
            return;
        }
        let message = scalar::ambiguity_message(raw, k8s, core);
        self.diagnostics.push(Diagnostic {
            kind: DiagnosticKind::AmbiguousScalar {
                raw: raw.to_owned(),
                yaml11: k8s.into_value(raw.to_owned()),
                yaml12: core.into_value(raw.to_owned()),
            },
            pointer: self.pointer(),
            span: s,
            message,
        });
    }

    fn alias(&mut self, id: usize, raw_span: saphyr_parser::Span) -> Result<(), ParseError> {
        let s = span(raw_span);
        let Some(anchored) = self.anchors.get(&id) else {
            // saphyr keeps anchors across documents; YAML (and Kubernetes) do not.
            return Err(ParseError {
                kind: ParseErrorKind::UnknownAlias,
                message: "alias refers to an anchor not defined earlier in this document"
                    .to_owned(),
                position: s.start,
            });
        };
        self.alias_nodes = self.alias_nodes.saturating_add(anchored.nodes);
        if self.alias_nodes > self.limits.max_alias_nodes {
            return Err(ParseError {
                kind: ParseErrorKind::AliasBudget,
                message: format!(
                    "aliases expand to more than {} nodes",
                    self.limits.max_alias_nodes
                ),
                position: s.start,
            });
        }
        if self.expecting_key() {
            let text = match &anchored.raw {
                Some(raw) => raw.clone(),
                None => compact_text(&anchored.value),
            };
            self.set_key(PendingKey {
                text,
                span: s,
                merge: false,
            });
            return Ok(());
        }
        if anchored.height > 0 {
            self.check_depth(anchored.height - 1, raw_span.start)?;
        }
        let node = Node {
            value: anchored.value.clone(),
            spans: anchored.spans.clone(),
            nodes: anchored.nodes,
            height: anchored.height,
        };
        self.add(node);
        Ok(())
    }

    fn set_key(&mut self, key: PendingKey) {
        if let Some(Frame::Map(m)) = self.stack.last_mut() {
            m.common.end = m.common.end.max(key.span.end);
            m.key = Some(key);
        }
    }

    fn end_collection(&mut self, end_event: saphyr_parser::Span) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (node, anchor) = match frame {
            Frame::Map(m) => {
                let (s, nodes, height) = m.common.finish(end_event);
                let (map, entries) = if m.merges.is_empty() {
                    (m.map, m.entries)
                } else {
                    apply_merges(m.map, m.entries, m.merges)
                };
                let node = Node {
                    value: Value::Object(map),
                    spans: SpanNode::Map(s, entries),
                    nodes,
                    height,
                };
                (node, m.common.anchor)
            }
            Frame::Seq(q) => {
                let (s, nodes, height) = q.common.finish(end_event);
                let node = Node {
                    value: Value::Array(q.items),
                    spans: SpanNode::Seq(s, q.spans),
                    nodes,
                    height,
                };
                (node, q.common.anchor)
            }
        };
        if anchor != 0 {
            self.anchors.insert(
                anchor,
                Anchored {
                    value: node.value.clone(),
                    spans: node.spans.clone(),
                    nodes: node.nodes,
                    height: node.height,
                    raw: None,
                },
            );
        }
        self.add(node);
    }

    /// Hand a completed node to its parent.
    fn add(&mut self, node: Node) {
        let Some(top) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        let map = match top {
            Frame::Seq(q) => {
                q.common.absorb(&node);
                q.items.push(node.value);
                q.spans.push(node.spans);
                return;
            }
            Frame::Map(m) => m,
        };
        let Some(key) = map.key.take() else {
            // A mapping or sequence used as a key: its compact text names the member.
            map.key = Some(PendingKey {
                text: compact_text(&node.value),
                span: node.spans.span(),
                merge: false,
            });
            map.common.end = map.common.end.max(node.spans.span().end);
            return;
        };
        map.common.absorb(&node);
        if key.merge && is_mergeable(&node) {
            let at = map.entries.len();
            map.merges.push(Merge {
                at,
                sources: merge_sources(node),
            });
            return;
        }
        let key_start = self.keys.len();
        self.keys.push_str(&key.text);
        let entry = Entry {
            key_start: to_u32(key_start),
            key_len: to_u32(key.text.len()),
            key_span: key.span,
            value: node.spans,
        };
        if map.map.insert(key.text, node.value).is_none() {
            map.entries.push(entry);
        } else {
            self.duplicate(entry);
        }
    }

    /// The top mapping already had `entry`'s key: the new value replaced the old one in the map
    /// (keeping its position), so replace its spans too and report both occurrences.
    fn duplicate(&mut self, entry: Entry) {
        let key_start = entry.key_start as usize;
        let key = self.keys[key_start..].to_owned();
        self.keys.truncate(key_start);
        let mut pointer = self.pointer();
        pointer.push('/');
        pointer.push_str(&escape_pointer_token(&key));
        let Some(Frame::Map(map)) = self.stack.last_mut() else {
            return;
        };
        let keys = &self.keys;
        let Some(old) = map.entries.iter_mut().find(|e| {
            let start = e.key_start as usize;
            keys[start..start + e.key_len as usize] == key
        }) else {
            return;
        };
        let first = old.key_span;
        let second = entry.key_span;
        old.key_span = second;
        old.value = entry.value;
        self.diagnostics.push(Diagnostic {
            kind: DiagnosticKind::DuplicateKey { first },
            pointer,
            span: second,
            message: format!(
                "key `{key}` is repeated (first at line {} column {}); the last value wins",
                first.start.line, first.start.column
            ),
        });
    }

    /// JSON pointer of the node being built: every open collection's pending key or index.
    fn pointer(&self) -> String {
        let mut out = String::new();
        for frame in &self.stack {
            match frame {
                Frame::Map(m) => {
                    if let Some(key) = &m.key {
                        out.push('/');
                        out.push_str(&escape_pointer_token(&key.text));
                    }
                }
                Frame::Seq(q) => {
                    let _ = write!(out, "/{}", q.items.len());
                }
            }
        }
        out
    }

    fn end_document(&mut self) {
        self.stack.clear();
        let Some(root) = self.root.take() else {
            return;
        };
        if self.root_is_empty {
            return;
        }
        self.documents.push(Document {
            value: root.value,
            source_map: SourceMap {
                root: root.spans,
                keys: std::mem::take(&mut self.keys),
            },
            start: self.doc_start,
            diagnostics: std::mem::take(&mut self.diagnostics),
        });
    }
}

/// Type a scalar; the flag says whether YAML 1.1 and 1.2 readings should be compared.
fn type_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> (Typed, bool) {
    if let Some(core) = tag
        .filter(|t| t.is_yaml_core_schema())
        .and_then(|t| CoreTag::from_suffix(&t.suffix))
    {
        return (core.coerce(text), false);
    }
    if style == ScalarStyle::Plain {
        (scalar::resolve_k8s(text), true)
    } else {
        (Typed::Str, false)
    }
}

/// A mapping or sequence used as a mapping key, written compactly.
fn compact_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Whether a `<<` value can be merged: a mapping, or a sequence of mappings. Anything else
/// stays an ordinary `<<` member.
fn is_mergeable(node: &Node) -> bool {
    match &node.value {
        Value::Object(_) => true,
        Value::Array(items) => items.iter().all(Value::is_object),
        _ => false,
    }
}

/// The mappings of a mergeable `<<` value, in order, with their spans.
fn merge_sources(node: Node) -> Vec<(Map<String, Value>, Vec<Entry>)> {
    match (node.value, node.spans) {
        (Value::Object(map), SpanNode::Map(_, entries)) => vec![(map, entries)],
        (Value::Array(items), SpanNode::Seq(_, spans)) => items
            .into_iter()
            .zip(spans)
            .filter_map(|pair| match pair {
                (Value::Object(map), SpanNode::Map(_, entries)) => Some((map, entries)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A mapping member on its way into a merged mapping.
type Member = (String, Value, Entry);

/// Insert merged members at the place of their `<<`. Explicit members win over merged ones
/// wherever they are written; among merged mappings the earlier wins.
fn apply_merges(
    explicit: Map<String, Value>,
    entries: Vec<Entry>,
    merges: Vec<Merge>,
) -> (Map<String, Value>, Vec<Entry>) {
    let prepared: Vec<(usize, Vec<Member>)> = merges
        .into_iter()
        .map(|m| {
            let members = m
                .sources
                .into_iter()
                .flat_map(|(map, spans)| map.into_iter().zip(spans))
                .filter(|((k, _), _)| !explicit.contains_key(k))
                .map(|((k, v), e)| (k, v, e))
                .collect();
            (m.at, members)
        })
        .collect();
    let mut map = Map::new();
    let mut spans = Vec::with_capacity(entries.len());
    let mut pending = prepared.into_iter().peekable();
    let mut splice = |at: usize, map: &mut Map<String, Value>, spans: &mut Vec<Entry>| {
        while let Some((_, members)) = pending.next_if(|(m_at, _)| *m_at <= at) {
            for (k, v, e) in members {
                if !map.contains_key(&k) {
                    map.insert(k, v);
                    spans.push(e);
                }
            }
        }
    };
    for (i, ((k, v), e)) in explicit.into_iter().zip(entries).enumerate() {
        splice(i, &mut map, &mut spans);
        map.insert(k, v);
        spans.push(e);
    }
    splice(usize::MAX, &mut map, &mut spans);
    (map, spans)
}
