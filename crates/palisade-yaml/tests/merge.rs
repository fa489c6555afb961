//! Anchors, aliases, merge keys and duplicate keys.

use palisade_yaml::{DiagnosticKind, Document, Limits, Position, Span, parse_str};
use serde_json::json;

fn one(src: &str) -> Document {
    let stream = parse_str(src, &Limits::default());
    assert_eq!(stream.error, None, "unexpected error for {src:?}");
    assert_eq!(
        stream.documents.len(),
        1,
        "expected one document in {src:?}"
    );
    stream.documents.into_iter().next().unwrap()
}

fn line_col(doc: &Document, pointer: &str) -> (u32, u32) {
    let span = doc.source_map.locate(pointer).span;
    (span.start.line, span.start.column)
}

fn keys(doc: &Document, pointer: &str) -> Vec<String> {
    doc.value
        .pointer(pointer)
        .and_then(|v| v.as_object())
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn aliases_copy_the_anchored_node_with_its_spans() {
    let src = "\
defaults: &res
  limits:
    cpu: 500m
containers:
- name: a
  resources: *res
- name: b
  image: &img nginx
  other: *img
";
    let doc = one(src);
    assert_eq!(
        doc.value["containers"][0]["resources"],
        json!({"limits": {"cpu": "500m"}})
    );
    assert_eq!(doc.value["containers"][1]["other"], "nginx");
    // The copy points at where the anchored node was written.
    assert_eq!(
        line_col(&doc, "/containers/0/resources/limits/cpu"),
        (3, 10)
    );
    assert_eq!(line_col(&doc, "/containers/1/other"), (8, 10));
    // The alias member itself is located at its key.
    assert_eq!(line_col(&doc, "/containers/0/resources"), (6, 3));
}

#[test]
fn anchors_can_be_redefined_and_used_as_keys() {
    let doc = one("a: &x 1\nb: *x\nc: &x two\nd: *x\n*x : key-from-alias\n");
    assert_eq!(
        doc.value,
        json!({"a": 1, "b": 1, "c": "two", "d": "two", "two": "key-from-alias"})
    );
}

#[test]
fn merge_keys_apply_and_explicit_keys_win() {
    let src = "\
base: &base
  image: nginx
  imagePullPolicy: Always
  tty: false
app:
  tty: true
  <<: *base
  name: app
  imagePullPolicy: IfNotPresent
";
    let doc = one(src);
    assert_eq!(
        doc.value["app"],
        json!({"tty": true, "image": "nginx", "imagePullPolicy": "IfNotPresent", "name": "app"})
    );
    // Merged members take the place of `<<`; explicit ones stay where they were written.
    assert_eq!(
        keys(&doc, "/app"),
        ["tty", "image", "name", "imagePullPolicy"]
    );
    // Spans: merged members point at the anchored mapping, explicit ones at themselves.
    assert_eq!(line_col(&doc, "/app/image"), (2, 10));
    assert_eq!(line_col(&doc, "/app/tty"), (6, 8));
    assert_eq!(line_col(&doc, "/app/imagePullPolicy"), (9, 20));
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn merge_sequences_prefer_earlier_mappings() {
    let src = "\
one: &one {a: 1, b: 1}
two: &two {b: 2, c: 2}
three: {c: 3, d: 3}
m:
  <<: [*one, *two, {c: 9, e: 9}]
  d: 0
";
    let doc = one(src);
    assert_eq!(
        doc.value["m"],
        json!({"a": 1, "b": 1, "c": 2, "e": 9, "d": 0})
    );
    assert_eq!(line_col(&doc, "/m/b"), (1, 21));
    assert_eq!(line_col(&doc, "/m/c"), (2, 21));
    assert_eq!(line_col(&doc, "/m/e"), (5, 30));
}

#[test]
fn inline_merge_mapping() {
    let doc = one("m:\n  <<: {x: 1, y: 2}\n  y: 3\n");
    assert_eq!(doc.value, json!({"m": {"x": 1, "y": 3}}));
}

#[test]
fn merge_with_other_values_is_an_ordinary_key() {
    let doc = one("a:\n  <<: 5\nb:\n  <<: [1, {x: 1}]\nc:\n  '<<': {x: 1}\n");
    assert_eq!(
        doc.value,
        json!({"a": {"<<": 5}, "b": {"<<": [1, {"x": 1}]}, "c": {"<<": {"x": 1}}})
    );
}

#[test]
fn nested_merges_resolve() {
    let src = "\
a: &a {x: 1}
b: &b
  <<: *a
  y: 2
c:
  <<: *b
  z: 3
";
    let doc = one(src);
    assert_eq!(doc.value["c"], json!({"x": 1, "y": 2, "z": 3}));
    assert_eq!(line_col(&doc, "/c/x"), (1, 11));
}

#[test]
fn duplicate_keys_keep_the_last_value_and_report_both_spans() {
    let src = "\
metadata:
  name: first
  labels: {}
  name: second
";
    let doc = one(src);
    assert_eq!(
        doc.value["metadata"],
        json!({"name": "second", "labels": {}})
    );
    assert_eq!(keys(&doc, "/metadata"), ["name", "labels"]);
    assert_eq!(doc.diagnostics.len(), 1);
    let d = &doc.diagnostics[0];
    assert_eq!(d.pointer, "/metadata/name");
    let first = Span {
        start: Position { line: 2, column: 3 },
        end: Position { line: 2, column: 7 },
    };
    assert_eq!(d.kind, DiagnosticKind::DuplicateKey { first });
    assert_eq!(d.span.start, Position { line: 4, column: 3 });
    assert!(d.message.contains("`name`"), "{}", d.message);
    // The source map follows the winning value.
    assert_eq!(line_col(&doc, "/metadata/name"), (4, 9));
    assert_eq!(
        doc.source_map
            .key_span("/metadata/name")
            .unwrap()
            .start
            .line,
        4
    );
}

#[test]
fn duplicate_collections_and_sequence_items() {
    let src = "\
items:
- a: 1
  a: {b: 2}
- k/x: 1
  k/x: 2
";
    let doc = one(src);
    assert_eq!(doc.value, json!({"items": [{"a": {"b": 2}}, {"k/x": 2}]}));
    let pointers: Vec<_> = doc.diagnostics.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(pointers, ["/items/0/a", "/items/1/k~1x"]);
    assert_eq!(line_col(&doc, "/items/0/a/b"), (3, 10));
}

#[test]
fn anchors_do_not_leak_between_documents() {
    let stream = parse_str("a: &x 1\n---\nb: *x\n", &Limits::default());
    assert_eq!(stream.documents.len(), 1);
    let err = stream.error.expect("alias to a previous document");
    assert_eq!(err.kind, palisade_yaml::ParseErrorKind::UnknownAlias);
    assert_eq!(err.position, Position { line: 3, column: 4 });
}
