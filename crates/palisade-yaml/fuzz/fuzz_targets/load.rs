//! Any input: no panic, errors have a position, and every node of every document is located
//! exactly by its source map.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_yaml::{Document, Limits, escape_pointer_token, parse_bytes};
use serde_json::Value;

fn check(doc: &Document, value: &Value, pointer: &mut String) {
    let located = doc.source_map.locate(pointer);
    assert!(located.exact, "{pointer:?} not located");
    assert!(located.span.start.line >= 1 && located.span.start.column >= 1);
    assert!(located.span.start <= located.span.end);
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(key));
                assert!(doc.source_map.key_span(pointer).is_some());
                check(doc, child, pointer);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                check(doc, child, pointer);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_file_bytes: 1 << 20,
        max_depth: 128,
        max_alias_nodes: 10_000,
    };
    let stream = parse_bytes(data, &limits);
    if let Some(error) = &stream.error {
        assert!(error.position.line >= 1 && error.position.column >= 1);
    }
    for doc in &stream.documents {
        check(doc, &doc.value, &mut String::new());
    }
});
