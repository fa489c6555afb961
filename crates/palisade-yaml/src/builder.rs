//! Builds JSON values and their span arenas from saphyr-parser's event stream.
//!
//! Open collections keep their children on shared scratch stacks; when a collection ends, its
//! children are moved out at once: into a `Vec`/`Map` of exactly the right capacity for the
//! value, and contiguously into the document's span arena for the source map.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use palisade_core::{Position, Span};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};
use serde_json::{Map, Value};

use crate::scalar::{self, CoreTag, Typed};
use crate::source_map::{
    Arena, EntryRec, Kind, NodeRec, SourceMap, escape_pointer_token, key_text,
};
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
    let documents = builder
        .documents
        .into_iter()
        .map(|d| Document {
            value: d.value,
            source_map: SourceMap {
                root: d.root,
                arena: Arc::new(d.arena),
            },
            start: d.start,
            diagnostics: d.diagnostics,
        })
        .collect();
    ParsedStream { documents, error }
}

/// A completed document and its span arena.
struct DocumentParts {
    value: Value,
    root: NodeRec,
    arena: Arena,
    start: Position,
    diagnostics: Vec<Diagnostic>,
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

/// Bytes of text that weigh as much as one node in the alias budget.
const TEXT_BYTES_PER_NODE: usize = 64;

/// Longest text kept for a mapping or sequence used as a mapping key. Nested composite keys
/// escape each other's text, which would otherwise double with every level.
const MAX_COMPOSITE_KEY_BYTES: usize = 1024;

/// Weight of a scalar or key text in the alias budget.
fn text_weight(text: &str) -> usize {
    text.len() / TEXT_BYTES_PER_NODE
}

/// A completed node on its way into its parent.
struct Node {
    value: Value,
    rec: NodeRec,
    /// Cost of copying this subtree: one per node, plus one per 64 bytes of text (keys too).
    weight: usize,
    /// Nesting of collections: 0 for a scalar, 1 for a collection of scalars, …
    height: usize,
}

/// A node with an anchor, kept for its aliases. Its spans stay valid for the whole document,
/// so aliases share them.
struct Anchored {
    value: Value,
    rec: NodeRec,
    weight: usize,
    height: usize,
    /// The scalar's text, for an alias used as a mapping key.
    raw: Option<String>,
}

/// What an anchor id refers to.
enum AnchorSlot {
    Kept(Anchored),
    /// Too large to keep a copy of within the budget; any alias to it exceeds the budget.
    OverBudget,
}

struct PendingKey {
    text: String,
    span: Span,
    /// A plain `<<`: the value may be merged instead of stored.
    merge: bool,
}

/// Mappings to merge into a mapping, and how many explicit members preceded its `<<`.
struct Merge {
    at: usize,
    /// Each mapping's value and its spans (a `Kind::Map` record in the arena).
    sources: Vec<(Map<String, Value>, NodeRec)>,
}

struct Frame {
    is_map: bool,
    start: Position,
    /// Furthest end seen so far: the start event's end, then each child's end.
    end: Position,
    anchor: usize,
    weight: usize,
    child_height: usize,
    /// Where this collection's children begin on the scratch stacks.
    scratch_start: usize,
    /// Children added so far (for a mapping: members, `<<` merges included).
    count: usize,
    key: Option<PendingKey>,
    merges: Vec<Merge>,
}

impl Frame {
    fn absorb(&mut self, node: &Node) {
        self.weight += node.weight;
        self.child_height = self.child_height.max(node.height);
        self.end = self.end.max(node.rec.span.end);
        self.count += 1;
    }

    /// The collection's span; a one-character end event is a flow collection's `]`/`}`.
    fn span(&self, end_event: saphyr_parser::Span) -> Span {
        let mut end = self.end;
        if end_event.len() == 1 {
            end = end.max(position(end_event.end));
        }
        Span {
            start: self.start,
            end,
        }
    }
}

struct Builder<'l> {
    limits: &'l Limits,
    frames: Vec<Frame>,
    // Scratch stacks of the open collections' children.
    seq_values: Vec<Value>,
    seq_recs: Vec<NodeRec>,
    map_pairs: Vec<(String, Value)>,
    map_recs: Vec<EntryRec>,
    /// Span arenas and key text of the current document. Each document gets its own, so
    /// keeping one object of a file for the cross-resource phase keeps only its spans.
    arena: Arena,
    /// Anchors of the current document, by saphyr's anchor id.
    anchors: HashMap<usize, AnchorSlot>,
    /// Weight of the nodes created by alias expansion in the whole stream.
    alias_weight: usize,
    /// Weight of the anchored nodes copied for later aliases in the current document.
    kept_weight: usize,
    diagnostics: Vec<Diagnostic>,
    doc_start: Position,
    root: Option<Node>,
    /// The document's root is the empty plain scalar of a document without content.
    root_is_empty: bool,
    documents: Vec<DocumentParts>,
}

impl<'l> Builder<'l> {
    fn new(limits: &'l Limits) -> Self {
        Builder {
            limits,
            frames: Vec::new(),
            seq_values: Vec::new(),
            seq_recs: Vec::new(),
            map_pairs: Vec::new(),
            map_recs: Vec::new(),
            arena: Arena::default(),
            anchors: HashMap::new(),
            alias_weight: 0,
            kept_weight: 0,
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
            Event::MappingStart(anchor, _) => self.start_collection(true, anchor, raw_span),
            Event::SequenceStart(anchor, _) => self.start_collection(false, anchor, raw_span),
            Event::MappingEnd | Event::SequenceEnd => {
                self.end_collection(raw_span);
                Ok(())
            }
            Event::Alias(id) => self.alias(id, raw_span),
            Event::DocumentStart(_) => {
                self.anchors.clear();
                self.kept_weight = 0;
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
        if self.frames.len() + 1 + extra > self.limits.max_depth {
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

    fn start_collection(
        &mut self,
        is_map: bool,
        anchor: usize,
        raw_span: saphyr_parser::Span,
    ) -> Result<(), ParseError> {
        self.check_depth(0, raw_span.start)?;
        let s = span(raw_span);
        self.frames.push(Frame {
            is_map,
            start: s.start,
            end: s.end,
            anchor,
            weight: 1,
            child_height: 0,
            scratch_start: if is_map {
                self.map_pairs.len()
            } else {
                self.seq_values.len()
            },
            count: 0,
            key: None,
            merges: Vec::new(),
        });
        Ok(())
    }

    /// Whether the next node completed is a mapping key.
    fn expecting_key(&self) -> bool {
        matches!(self.frames.last(), Some(f) if f.is_map && f.key.is_none())
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
                self.keep_anchor(
                    anchor,
                    Anchored {
                        value: typed.into_value(text.clone()),
                        rec: NodeRec::scalar(s),
                        weight: 1 + text_weight(&text),
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
            if style == ScalarStyle::Plain && tag.is_none() && !merge {
                self.check_key_ambiguity(&text, s);
            }
            self.set_key(PendingKey {
                text: compact(text),
                span: s,
                merge,
            });
            return;
        }

        let (typed, check) = type_scalar(&text, style, tag);
        if check {
            self.check_ambiguity(&text, typed, s);
        }
        if self.frames.is_empty() {
            self.root_is_empty =
                text.is_empty() && style == ScalarStyle::Plain && tag.is_none() && anchor == 0;
        }
        let weight = 1 + text_weight(&text);
        let value = if anchor == 0 {
            if typed == Typed::Str {
                Value::String(compact(text))
            } else {
                typed.into_value(text)
            }
        } else {
            let value = typed.into_value(text.clone());
            self.keep_anchor(
                anchor,
                Anchored {
                    value: value.clone(),
                    rec: NodeRec::scalar(s),
                    weight,
                    height: 0,
                    raw: Some(text),
                },
            );
            value
        };
        self.add(Node {
            value,
            rec: NodeRec::scalar(s),
            weight,
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
            pointer: pointer_of(&self.frames),
            span: s,
            message,
        });
    }

    /// Kubernetes turns a non-string key into the text of its typed value (`on:` is the key
    /// `"true"`, `0644:` the key `"420"`); report plain keys whose typed readings differ.
    fn check_key_ambiguity(&mut self, raw: &str, s: Span) {
        let k8s = scalar::resolve_k8s(raw);
        if k8s == Typed::Str {
            return;
        }
        let core = scalar::resolve_core(raw);
        if k8s.same_meaning(core) {
            return;
        }
        let mut pointer = pointer_of(&self.frames);
        pointer.push('/');
        pointer.push_str(&escape_pointer_token(raw));
        self.diagnostics.push(Diagnostic {
            kind: DiagnosticKind::AmbiguousScalar {
                raw: raw.to_owned(),
                yaml11: k8s.into_value(raw.to_owned()),
                yaml12: core.into_value(raw.to_owned()),
            },
            pointer,
            span: s,
            message: scalar::key_ambiguity_message(raw, k8s, core),
        });
    }

    fn alias(&mut self, id: usize, raw_span: saphyr_parser::Span) -> Result<(), ParseError> {
        let s = span(raw_span);
        let over_budget = || ParseError {
            kind: ParseErrorKind::AliasBudget,
            message: format!(
                "aliases expand to more than {} nodes",
                self.limits.max_alias_nodes
            ),
            position: s.start,
        };
        let anchored = match self.anchors.get(&id) {
            Some(AnchorSlot::Kept(anchored)) => anchored,
            Some(AnchorSlot::OverBudget) => return Err(over_budget()),
            None => {
                // saphyr keeps anchors across documents; YAML (and Kubernetes) do not.
                return Err(ParseError {
                    kind: ParseErrorKind::UnknownAlias,
                    message: "alias refers to an anchor not defined earlier in this document"
                        .to_owned(),
                    position: s.start,
                });
            }
        };
        self.alias_weight = self.alias_weight.saturating_add(anchored.weight);
        if self.alias_weight > self.limits.max_alias_nodes {
            return Err(over_budget());
        }
        if self.expecting_key() {
            let text = match &anchored.raw {
                Some(raw) => raw.clone(),
                None => composite_key_text(&anchored.value),
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
            rec: anchored.rec,
            weight: anchored.weight,
            height: anchored.height,
        };
        self.add(node);
        Ok(())
    }

    /// Keep a copy of an anchored node for its aliases, if the copies kept so far leave room.
    /// Copies are bounded like expansions: deeply nested anchors would otherwise copy the same
    /// content once per level.
    fn keep_anchor(&mut self, id: usize, anchored: Anchored) {
        let kept = self.kept_weight.saturating_add(anchored.weight);
        if kept > self.limits.max_alias_nodes {
            self.anchors.insert(id, AnchorSlot::OverBudget);
        } else {
            self.kept_weight = kept;
            self.anchors.insert(id, AnchorSlot::Kept(anchored));
        }
    }

    fn set_key(&mut self, key: PendingKey) {
        if let Some(frame) = self.frames.last_mut() {
            frame.end = frame.end.max(key.span.end);
            frame.key = Some(key);
        }
    }

    fn end_collection(&mut self, end_event: saphyr_parser::Span) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let s = frame.span(end_event);
        let start = frame.scratch_start;
        let (value, rec) = if frame.is_map {
            let (map, first, len) = if frame.merges.is_empty() {
                self.build_map(start)
            } else {
                self.build_merged_map(start, frame.merges)
            };
            let rec = NodeRec {
                span: s,
                kind: Kind::Map,
                first,
                len,
            };
            (Value::Object(map), rec)
        } else {
            let values: Vec<Value> = self.seq_values.drain(start..).collect();
            let first = to_u32(self.arena.items.len());
            self.arena.items.extend(self.seq_recs.drain(start..));
            let rec = NodeRec {
                span: s,
                kind: Kind::Seq,
                first,
                len: to_u32(values.len()),
            };
            (Value::Array(values), rec)
        };
        let node = Node {
            value,
            rec,
            weight: frame.weight,
            height: frame.child_height + 1,
        };
        if frame.anchor != 0 {
            if self.kept_weight.saturating_add(node.weight) > self.limits.max_alias_nodes {
                // Not even copied.
                self.anchors.insert(frame.anchor, AnchorSlot::OverBudget);
            } else {
                let anchored = Anchored {
                    value: node.value.clone(),
                    rec: node.rec,
                    weight: node.weight,
                    height: node.height,
                    raw: None,
                };
                self.keep_anchor(frame.anchor, anchored);
            }
        }
        self.add(node);
    }

    /// Move the members of the mapping whose scratch begins at `start` into a map and the entry
    /// arena. A repeated key keeps its first position, takes the last value and is reported.
    fn build_map(&mut self, start: usize) -> (Map<String, Value>, u32, u32) {
        let mut map = Map::with_capacity(self.map_pairs.len() - start);
        let first = self.arena.entries.len();
        for ((key, value), rec) in self
            .map_pairs
            .drain(start..)
            .zip(self.map_recs.drain(start..))
        {
            if map.insert(key, value).is_none() {
                self.arena.entries.push(rec);
            } else {
                let diagnostic = replace_duplicate(
                    &mut self.arena.entries[first..],
                    rec,
                    &self.arena.keys,
                    &self.frames,
                );
                self.diagnostics.extend(diagnostic);
            }
        }
        (map, to_u32(first), to_u32(self.arena.entries.len() - first))
    }

    /// [`Self::build_map`] for a mapping with `<<` merges: merged members go where their `<<`
    /// was; explicit members win over merged ones wherever they are written; among merged
    /// mappings the earlier wins.
    fn build_merged_map(
        &mut self,
        start: usize,
        merges: Vec<Merge>,
    ) -> (Map<String, Value>, u32, u32) {
        let n = self.map_pairs.len() - start;
        let mut explicit = Map::with_capacity(n);
        let mut explicit_recs: Vec<EntryRec> = Vec::with_capacity(n);
        for ((key, value), rec) in self
            .map_pairs
            .drain(start..)
            .zip(self.map_recs.drain(start..))
        {
            if explicit.insert(key, value).is_none() {
                explicit_recs.push(rec);
            } else {
                let diagnostic =
                    replace_duplicate(&mut explicit_recs, rec, &self.arena.keys, &self.frames);
                self.diagnostics.extend(diagnostic);
            }
        }
        let entries = &self.arena.entries;
        let prepared: Vec<(usize, Vec<Member>)> = merges
            .into_iter()
            .map(|m| {
                let members = m
                    .sources
                    .into_iter()
                    .flat_map(|(map, rec)| {
                        let recs = &entries[rec.first as usize..(rec.first + rec.len) as usize];
                        map.into_iter().zip(recs.iter().copied())
                    })
                    .filter(|((k, _), _)| !explicit.contains_key(k))
                    .map(|((k, v), e)| (k, v, e))
                    .collect();
                (m.at, members)
            })
            .collect();

        let mut map = Map::new();
        let first = self.arena.entries.len();
        let mut pending = prepared.into_iter().peekable();
        let mut splice = |at: usize, map: &mut Map<String, Value>, arena: &mut Vec<EntryRec>| {
            while let Some((_, members)) = pending.next_if(|(m_at, _)| *m_at <= at) {
                for (k, v, e) in members {
                    if !map.contains_key(&k) {
                        map.insert(k, v);
                        arena.push(e);
                    }
                }
            }
        };
        for (i, ((k, v), e)) in explicit.into_iter().zip(explicit_recs).enumerate() {
            splice(i, &mut map, &mut self.arena.entries);
            map.insert(k, v);
            self.arena.entries.push(e);
        }
        splice(usize::MAX, &mut map, &mut self.arena.entries);
        (map, to_u32(first), to_u32(self.arena.entries.len() - first))
    }

    /// Hand a completed node to its parent.
    fn add(&mut self, node: Node) {
        let Some(frame) = self.frames.last_mut() else {
            self.root = Some(node);
            return;
        };
        if !frame.is_map {
            frame.absorb(&node);
            self.seq_values.push(node.value);
            self.seq_recs.push(node.rec);
            return;
        }
        let Some(key) = frame.key.take() else {
            // A mapping or sequence used as a key: its compact text names the member.
            frame.end = frame.end.max(node.rec.span.end);
            frame.key = Some(PendingKey {
                text: composite_key_text(&node.value),
                span: node.rec.span,
                merge: false,
            });
            return;
        };
        frame.absorb(&node);
        if key.merge && is_mergeable(&node.value) {
            let at = frame.count - 1 - frame.merges.len();
            let sources = merge_sources(node, &self.arena.items);
            frame.merges.push(Merge { at, sources });
            return;
        }
        frame.weight += text_weight(&key.text);
        let key_start = self.arena.keys.len();
        self.arena.keys.push_str(&key.text);
        self.map_recs.push(EntryRec {
            key_start: to_u32(key_start),
            key_len: to_u32(key.text.len()),
            key_span: key.span,
            value: node.rec,
        });
        self.map_pairs.push((key.text, node.value));
    }

    fn end_document(&mut self) {
        self.frames.clear();
        self.seq_values.clear();
        self.seq_recs.clear();
        self.map_pairs.clear();
        self.map_recs.clear();
        let mut diagnostics = std::mem::take(&mut self.diagnostics);
        let mut arena = std::mem::take(&mut self.arena);
        let Some(root) = self.root.take() else {
            return;
        };
        if self.root_is_empty {
            return;
        }
        diagnostics.sort_by_key(|d| d.span.start);
        arena.shrink_to_fit();
        self.documents.push(DocumentParts {
            value: root.value,
            root: root.rec,
            arena,
            start: self.doc_start,
            diagnostics,
        });
    }
}

/// A mapping member on its way into a merged mapping.
type Member = (String, Value, EntryRec);

/// `rec`'s key is already among `recs`: take over its spans (the map kept the key's first
/// position and took the new value) and report both occurrences.
fn replace_duplicate(
    recs: &mut [EntryRec],
    rec: EntryRec,
    keys: &str,
    frames: &[Frame],
) -> Option<Diagnostic> {
    let key = key_text(keys, &rec);
    let old = recs.iter_mut().find(|e| key_text(keys, e) == key)?;
    let first = old.key_span;
    *old = EntryRec {
        key_start: old.key_start,
        key_len: old.key_len,
        ..rec
    };
    let mut pointer = pointer_of(frames);
    pointer.push('/');
    pointer.push_str(&escape_pointer_token(key));
    Some(Diagnostic {
        kind: DiagnosticKind::DuplicateKey { first },
        pointer,
        span: rec.key_span,
        message: format!(
            "key `{key}` is repeated (first at line {} column {}); the last value wins",
            first.start.line, first.start.column
        ),
    })
}

/// JSON pointer of the node being built: every open collection's pending key or index.
fn pointer_of(frames: &[Frame]) -> String {
    let mut out = String::new();
    for frame in frames {
        if frame.is_map {
            if let Some(key) = &frame.key {
                out.push('/');
                out.push_str(&escape_pointer_token(&key.text));
            }
        } else {
            let _ = write!(out, "/{}", frame.count);
        }
    }
    out
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

/// Text kept in a document (keys, strings) in an allocation of its own size. saphyr builds
/// every plain scalar in a buffer of at least 129 bytes; documents live while they are scanned,
/// and keeping that slack would make them about 60% larger. Copying costs less than
/// `shrink_to_fit` and is repaid when the document is dropped.
fn compact(text: String) -> String {
    if text.capacity() > text.len() + 16 {
        String::from(text.as_str())
    } else {
        text
    }
}

/// A mapping or sequence used as a mapping key: its compact JSON text, cut at
/// [`MAX_COMPOSITE_KEY_BYTES`] (ending with `…` when cut).
fn composite_key_text(value: &Value) -> String {
    /// Collects output up to a limit, then refuses more, which stops serialization early.
    struct Capped(Vec<u8>);

    impl std::io::Write for Capped {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let room = MAX_COMPOSITE_KEY_BYTES - self.0.len();
            if room == 0 {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            let n = buf.len().min(room);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let mut out = Capped(Vec::new());
    let complete = serde_json::to_writer(&mut out, value).is_ok();
    let mut text = match String::from_utf8(out.0) {
        Ok(text) => text,
        Err(e) => {
            // Cut inside a character: keep the valid prefix.
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            bytes.truncate(valid);
            String::from_utf8(bytes).unwrap_or_default()
        }
    };
    if !complete {
        text.push('…');
    }
    text
}

/// Whether a `<<` value can be merged: a mapping, or a sequence of mappings. Anything else
/// stays an ordinary `<<` member.
fn is_mergeable(value: &Value) -> bool {
    match value {
        Value::Object(_) => true,
        Value::Array(items) => items.iter().all(Value::is_object),
        _ => false,
    }
}

/// The mappings of a mergeable `<<` value, in order, each with its spans.
fn merge_sources(node: Node, items: &[NodeRec]) -> Vec<(Map<String, Value>, NodeRec)> {
    match node.value {
        Value::Object(map) => vec![(map, node.rec)],
        Value::Array(values) => values
            .into_iter()
            .zip(&items[node.rec.range()])
            .filter_map(|(value, rec)| match value {
                Value::Object(map) => Some((map, *rec)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
