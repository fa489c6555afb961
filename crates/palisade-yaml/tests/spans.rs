//! Spans of nodes and `SourceMap` lookups.

use palisade_yaml::{Document, Limits, Located, Position, Span, parse_str};
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

fn sp(l1: u32, c1: u32, l2: u32, c2: u32) -> Span {
    Span {
        start: Position {
            line: l1,
            column: c1,
        },
        end: Position {
            line: l2,
            column: c2,
        },
    }
}

/// (line, column) where `locate` puts a pointer, and whether it was exact.
fn at(doc: &Document, pointer: &str) -> (u32, u32, bool) {
    let Located { span, exact } = doc.source_map.locate(pointer);
    (span.start.line, span.start.column, exact)
}

const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  hostNetwork: true
  containers:
  - name: app
    image: nginx:1.25
    securityContext:
      privileged: true
  - name: sidecar
    image: \"busybox\"
  volumes:
    - name: data
      hostPath:
        path: /var/lib/data
";

#[test]
fn scalar_values_are_located_at_the_value() {
    let doc = one(POD);
    assert_eq!(doc.source_map.locate("/kind").span, sp(2, 7, 2, 10));
    assert!(doc.source_map.locate("/kind").exact);
    assert_eq!(
        doc.source_map.locate("/metadata/name").span,
        sp(4, 9, 4, 12)
    );
    assert_eq!(
        doc.source_map.locate("/metadata/labels/app").span,
        sp(6, 10, 6, 13)
    );
    assert_eq!(
        doc.source_map.locate("/spec/hostNetwork").span,
        sp(8, 16, 8, 20)
    );
    // Quotes belong to the scalar's span.
    assert_eq!(
        doc.source_map.locate("/spec/containers/1/image").span,
        sp(15, 12, 15, 21)
    );
}

#[test]
fn collections_that_are_members_are_located_at_their_key() {
    let doc = one(POD);
    assert_eq!(doc.source_map.locate("/metadata").span, sp(3, 1, 3, 9));
    assert_eq!(
        doc.source_map.locate("/spec/containers").span,
        sp(9, 3, 9, 13)
    );
    assert_eq!(
        at(&doc, "/spec/containers/0/securityContext"),
        (12, 5, true)
    );
    assert_eq!(
        doc.source_map.locate("/spec/volumes/0/hostPath").span,
        sp(18, 7, 18, 15)
    );
    assert_eq!(at(&doc, "/spec/volumes/0/hostPath/path"), (19, 15, true));
}

#[test]
fn sequence_items_are_located_at_the_item() {
    let doc = one(POD);
    // `- name: app`: the item mapping starts at `name`.
    assert_eq!(at(&doc, "/spec/containers/0"), (10, 5, true));
    assert_eq!(at(&doc, "/spec/containers/1"), (14, 5, true));
    assert_eq!(at(&doc, "/spec/volumes/0"), (17, 7, true));
    // The item's span ends where its last value ends.
    assert_eq!(
        doc.source_map.value_span("/spec/containers/0"),
        Some(sp(10, 5, 13, 23))
    );
}

#[test]
fn root_is_the_whole_document() {
    let doc = one(POD);
    let root = doc.source_map.locate("");
    assert!(root.exact);
    assert_eq!(root.span.start, Position { line: 1, column: 1 });
    assert_eq!(
        root.span.end,
        Position {
            line: 19,
            column: 28
        }
    );
    assert_eq!(doc.start, Position { line: 1, column: 1 });
}

#[test]
fn missing_fields_fall_back_to_the_nearest_ancestor() {
    let doc = one(POD);
    // The container without a securityContext: its `- name:` line.
    assert_eq!(
        at(&doc, "/spec/containers/1/securityContext/privileged"),
        (14, 5, false)
    );
    // Existing mapping member whose child is missing: the member's key.
    assert_eq!(
        at(&doc, "/spec/containers/0/securityContext/runAsNonRoot"),
        (12, 5, false)
    );
    assert_eq!(at(&doc, "/spec/securityContext"), (7, 1, false));
    // Index out of range, non-numeric index, descending into a scalar.
    assert_eq!(at(&doc, "/spec/containers/7/image"), (9, 3, false));
    assert_eq!(at(&doc, "/spec/containers/first"), (9, 3, false));
    assert_eq!(at(&doc, "/spec/containers/01"), (9, 3, false));
    assert_eq!(at(&doc, "/kind/x"), (2, 7, false));
    assert_eq!(at(&doc, "/nothing"), (1, 1, false));
    // Not a pointer at all.
    assert_eq!(at(&doc, "spec"), (1, 1, false));
    assert_eq!(
        doc.source_map
            .value_span("/spec/containers/1/securityContext"),
        None
    );
    assert_eq!(doc.source_map.key_span("/spec/nothing"), None);
}

#[test]
fn value_and_key_spans() {
    let doc = one(POD);
    assert_eq!(
        doc.source_map.key_span("/spec/hostNetwork"),
        Some(sp(8, 3, 8, 14))
    );
    assert_eq!(
        doc.source_map.value_span("/spec/hostNetwork"),
        Some(sp(8, 16, 8, 20))
    );
    // A mapping's value span starts at its first key.
    assert_eq!(
        doc.source_map.value_span("/spec/volumes/0/hostPath"),
        Some(sp(19, 9, 19, 28))
    );
    // Sequence items and the root have no key.
    assert_eq!(doc.source_map.key_span("/spec/containers/0"), None);
    assert_eq!(doc.source_map.key_span(""), None);
    assert!(doc.source_map.value_span("").is_some());
}

#[test]
fn flow_collections() {
    let src = "\
metadata: {name: web, labels: {app: web, tier: \"front\"}}
args: [--port, \"8080\", {k: v}]
empty: {}
none: []
";
    let doc = one(src);
    assert_eq!(
        doc.value,
        json!({
            "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}},
            "args": ["--port", "8080", {"k": "v"}],
            "empty": {},
            "none": []
        })
    );
    assert_eq!(
        doc.source_map.locate("/metadata/name").span,
        sp(1, 18, 1, 21)
    );
    assert_eq!(
        doc.source_map.locate("/metadata/labels/tier").span,
        sp(1, 48, 1, 55)
    );
    assert_eq!(
        doc.source_map.locate("/metadata/labels").span,
        sp(1, 23, 1, 29)
    );
    // A flow collection spans its brackets.
    assert_eq!(
        doc.source_map.value_span("/metadata/labels"),
        Some(sp(1, 31, 1, 56))
    );
    assert_eq!(
        doc.source_map.value_span("/metadata"),
        Some(sp(1, 11, 1, 57))
    );
    assert_eq!(doc.source_map.locate("/args/1").span, sp(2, 16, 2, 22));
    assert_eq!(doc.source_map.locate("/args/2").span, sp(2, 24, 2, 30));
    assert_eq!(doc.source_map.locate("/args/2/k").span, sp(2, 28, 2, 29));
    assert_eq!(doc.source_map.value_span("/empty"), Some(sp(3, 8, 3, 10)));
    assert_eq!(doc.source_map.value_span("/none"), Some(sp(4, 7, 4, 9)));
}

#[test]
fn json_input() {
    let src = r#"{
  "apiVersion": "v1",
  "kind": "ConfigMap",
  "metadata": {"name": "cfg"},
  "data": {
    "mode": "0644",
    "count": 3,
    "ratio": 0.5,
    "on": true,
    "list": [1, null, "x"]
  }
}
"#;
    let doc = one(src);
    assert_eq!(doc.value["data"]["mode"], json!("0644"));
    assert_eq!(doc.value["data"]["count"], json!(3));
    assert_eq!(doc.value["data"]["ratio"], json!(0.5));
    assert_eq!(doc.value["data"]["list"], json!([1, null, "x"]));
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    assert_eq!(doc.source_map.locate("/data/mode").span, sp(6, 13, 6, 19));
    assert_eq!(doc.source_map.locate("/data").span, sp(5, 3, 5, 9));
    assert_eq!(
        doc.source_map.locate("/data/list/1").span,
        sp(10, 17, 10, 21)
    );
    assert_eq!(doc.source_map.value_span("").unwrap().start.line, 1);
    // Key order is kept.
    let keys: Vec<_> = doc.value["data"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["mode", "count", "ratio", "on", "list"]);
}

#[test]
fn multi_document_streams_keep_file_line_numbers() {
    let src = "\
# leading comment
apiVersion: v1
kind: ConfigMap
---
# only a comment
---
apiVersion: apps/v1
kind: Deployment
spec:
  replicas: 2
---
...
---
kind: Service
";
    let stream = parse_str(src, &Limits::default());
    assert_eq!(stream.error, None);
    let docs = &stream.documents;
    assert_eq!(docs.len(), 3, "empty documents yield nothing");
    assert_eq!(docs[0].value["kind"], "ConfigMap");
    assert_eq!(docs[0].start, Position { line: 2, column: 1 });
    assert_eq!(docs[1].value["kind"], "Deployment");
    assert_eq!(docs[1].start, Position { line: 6, column: 1 });
    assert_eq!(at(&docs[1], "/kind"), (8, 7, true));
    assert_eq!(at(&docs[1], "/spec/replicas"), (10, 13, true));
    assert_eq!(at(&docs[1], "/spec/template"), (9, 1, false));
    assert_eq!(docs[2].value["kind"], "Service");
    assert_eq!(at(&docs[2], "/kind"), (14, 7, true));
}

#[test]
fn empty_streams_have_no_documents() {
    for src in ["", "\n\n", "# nothing\n", "---\n", "---\n---\n# c\n...\n"] {
        let stream = parse_str(src, &Limits::default());
        assert_eq!(stream.error, None, "{src:?}");
        assert!(
            stream.documents.is_empty(),
            "{src:?}: {:?}",
            stream.documents
        );
    }
    // An explicit null is a document.
    let stream = parse_str("--- null\n", &Limits::default());
    assert_eq!(stream.documents.len(), 1);
    assert_eq!(stream.documents[0].value, serde_json::Value::Null);
}

#[test]
fn keys_with_slashes_and_tildes_are_escaped_in_pointers() {
    let src = "\
metadata:
  annotations:
    example.com/owner: team-a
    a~b: x
";
    let doc = one(src);
    assert_eq!(
        at(&doc, "/metadata/annotations/example.com~1owner"),
        (3, 24, true)
    );
    assert_eq!(at(&doc, "/metadata/annotations/a~0b"), (4, 10, true));
    assert_eq!(
        palisade_yaml::escape_pointer_token("example.com/owner"),
        "example.com~1owner"
    );
    assert_eq!(palisade_yaml::escape_pointer_token("a~b"), "a~0b");
}

#[test]
fn block_scalars_and_multiline_strings() {
    let src = "\
data:
  script: |
    #!/bin/sh
    echo hi
  folded: >-
    one
    two
  quoted: \"a
    b\"
  plain: first
    second
";
    let doc = one(src);
    assert_eq!(doc.value["data"]["script"], "#!/bin/sh\necho hi\n");
    assert_eq!(doc.value["data"]["folded"], "one two");
    assert_eq!(doc.value["data"]["quoted"], "a b");
    assert_eq!(doc.value["data"]["plain"], "first second");
    assert_eq!(at(&doc, "/data/script"), (3, 5, true));
    assert_eq!(at(&doc, "/data/folded"), (6, 5, true));
    assert_eq!(doc.source_map.locate("/data/quoted").span, sp(8, 11, 9, 7));
    assert_eq!(
        doc.source_map.locate("/data/plain").span,
        sp(10, 10, 11, 11)
    );
}

#[test]
fn unicode_columns_count_characters() {
    let doc = one("name: \"héllo wörld\"\nnext: ok\n");
    assert_eq!(doc.source_map.locate("/name").span, sp(1, 7, 1, 20));
    assert_eq!(at(&doc, "/next"), (2, 7, true));
}

#[test]
fn byte_order_mark_is_skipped() {
    let stream = palisade_yaml::parse_bytes(b"\xEF\xBB\xBFkind: Pod\n", &Limits::default());
    assert_eq!(stream.error, None);
    assert_eq!(stream.documents[0].value, json!({"kind": "Pod"}));
    assert_eq!(at(&stream.documents[0], "/kind"), (1, 7, true));
}

#[test]
fn empty_values_are_null_and_located_on_their_line() {
    let doc = one("spec:\n  nodeSelector:\n  replicas: 1\n");
    assert_eq!(doc.value["spec"]["nodeSelector"], serde_json::Value::Null);
    assert_eq!(at(&doc, "/spec/nodeSelector").0, 2);
}

#[test]
fn complex_keys_use_their_compact_text() {
    let src = "\
? [a, b]
: list-key
? {x: 1}
: map-key
plain: v
";
    let doc = one(src);
    assert_eq!(
        doc.value,
        json!({"[\"a\",\"b\"]": "list-key", "{\"x\":1}": "map-key", "plain": "v"})
    );
    assert_eq!(at(&doc, "/[\"a\",\"b\"]"), (2, 3, true));
    assert_eq!(doc.source_map.key_span("/{\"x\":1}").unwrap().start.line, 3);
}

#[test]
fn crlf_line_endings() {
    let doc = one("kind: Pod\r\nspec:\r\n  hostPID: yes\r\n  name: \"x\"\r\n");
    assert_eq!(
        doc.value,
        json!({"kind": "Pod", "spec": {"hostPID": true, "name": "x"}})
    );
    assert_eq!(
        doc.source_map.locate("/spec/hostPID").span,
        sp(3, 12, 3, 15)
    );
    assert_eq!(at(&doc, "/spec/name"), (4, 9, true));
    assert_eq!(at(&doc, "/spec"), (2, 1, true));
}

#[test]
fn a_projected_map_keeps_the_spans_of_the_nodes_that_remain() {
    let src = "\
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            limits: {cpu: 1}
          env:
            - {name: A, value: b}
  merged: &base
    x: 1
  other:
    <<: *base
    y: 2
items: [a, {b: 1}, c]
";
    let doc = one(src);
    assert_eq!(doc.source_map.projected(&doc.value), doc.source_map);

    let mut slim = doc.value.clone();
    let container = slim
        .pointer_mut("/spec/template/spec/containers/0")
        .unwrap();
    container.as_object_mut().unwrap().shift_remove("resources");
    *slim.pointer_mut("/items/1").unwrap() = serde_json::Value::Null;
    let projected = doc.source_map.projected(&slim);
    for pointer in [
        "",
        "/spec/template/spec/containers/0/name",
        "/spec/template/spec/containers/0/env/0/value",
        "/spec/other/x",
        "/spec/other/y",
        "/items/2",
    ] {
        assert_eq!(
            projected.locate(pointer),
            doc.source_map.locate(pointer),
            "{pointer}"
        );
    }
    // Removed nodes locate at their nearest kept ancestor, like any missing field.
    let removed = projected.locate("/spec/template/spec/containers/0/resources/limits");
    assert!(!removed.exact);
    assert_eq!(removed.span.start.line, 6);
    let nulled = projected.locate("/items/1/b");
    assert!(!nulled.exact);
    assert_eq!(nulled.span, doc.source_map.value_span("/items/1").unwrap());
}
