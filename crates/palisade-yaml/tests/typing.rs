//! Scalar typing as Kubernetes' decoder does it, and ambiguity diagnostics.

use palisade_yaml::{Diagnostic, DiagnosticKind, Document, Limits, parse_str};
use serde_json::{Value, json};

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

/// The value of `v` in `v: <text>`.
fn typed(text: &str) -> Value {
    one(&format!("v: {text}\n")).value["v"].clone()
}

fn ambiguities(doc: &Document) -> Vec<&Diagnostic> {
    doc.diagnostics
        .iter()
        .filter(|d| matches!(d.kind, DiagnosticKind::AmbiguousScalar { .. }))
        .collect()
}

#[test]
fn plain_scalars_are_typed_like_kubernetes() {
    let table: &[(&str, Value)] = &[
        // null
        ("", Value::Null),
        ("~", Value::Null),
        ("null", Value::Null),
        ("Null", Value::Null),
        ("NULL", Value::Null),
        ("nULL", json!("nULL")),
        // booleans, YAML 1.1 words included
        ("true", json!(true)),
        ("True", json!(true)),
        ("TRUE", json!(true)),
        ("false", json!(false)),
        ("False", json!(false)),
        ("FALSE", json!(false)),
        ("y", json!(true)),
        ("Y", json!(true)),
        ("yes", json!(true)),
        ("Yes", json!(true)),
        ("YES", json!(true)),
        ("n", json!(false)),
        ("N", json!(false)),
        ("no", json!(false)),
        ("No", json!(false)),
        ("NO", json!(false)),
        ("on", json!(true)),
        ("On", json!(true)),
        ("ON", json!(true)),
        ("off", json!(false)),
        ("Off", json!(false)),
        ("OFF", json!(false)),
        ("yEs", json!("yEs")),
        ("tRUE", json!("tRUE")),
        ("nope", json!("nope")),
        // integers
        ("0", json!(0)),
        ("42", json!(42)),
        ("-17", json!(-17)),
        ("+12", json!(12)),
        ("-0", json!(0)),
        ("1_000_000", json!(1_000_000)),
        ("0x1F", json!(31)),
        ("0X1f", json!(31)),
        ("-0x10", json!(-16)),
        ("+0x10", json!(16)),
        ("0b101", json!(5)),
        ("-0b101", json!(-5)),
        ("0o17", json!(15)),
        ("0644", json!(420)),
        ("0755", json!(493)),
        ("-0644", json!(-420)),
        ("0_644", json!(420)),
        ("9223372036854775807", json!(i64::MAX)),
        ("-9223372036854775808", json!(i64::MIN)),
        ("18446744073709551615", json!(u64::MAX)),
        // out of u64: a float
        (
            "18446744073709551616",
            json!(18_446_744_073_709_551_616.0_f64),
        ),
        // an invalid octal is a decimal-looking float to go-yaml
        ("08", json!(8.0)),
        ("0x", json!("0x")),
        ("0xZZ", json!("0xZZ")),
        ("0b2", json!("0b2")),
        // floats
        ("1.5", json!(1.5)),
        ("-1.5", json!(-1.5)),
        ("+1.5", json!(1.5)),
        (".5", json!(0.5)),
        ("-.5", json!(-0.5)),
        ("1.", json!(1.0)),
        ("1e3", json!(1000.0)),
        ("1.5E-2", json!(0.015)),
        ("1.e2", json!(100.0)),
        ("1_0.5", json!(10.5)),
        ("1e400", json!("1e400")),
        ("._5", json!("._5")),
        (".5_5", json!(".5_5")),
        // infinities and NaN cannot be JSON numbers: the raw text is kept
        (".inf", json!(".inf")),
        (".Inf", json!(".Inf")),
        ("-.INF", json!("-.INF")),
        ("+.inf", json!("+.inf")),
        (".nan", json!(".nan")),
        (".NaN", json!(".NaN")),
        // strings
        ("nginx", json!("nginx")),
        ("1.2.3", json!("1.2.3")),
        ("2024-01-02", json!("2024-01-02")),
        (
            "2001-12-14t21:59:43.10-05:00",
            json!("2001-12-14t21:59:43.10-05:00"),
        ),
        ("1:20", json!("1:20")),
        ("500m", json!("500m")),
        ("128Mi", json!("128Mi")),
        ("-x", json!("-x")),
        ("--", json!("--")),
        ("+", json!("+")),
        (".", json!(".")),
        ("_1", json!("_1")),
        ("0.0.0.0/0", json!("0.0.0.0/0")),
        ("<<", json!("<<")),
    ];
    for (text, want) in table {
        assert_eq!(&typed(text), want, "plain scalar {text:?}");
    }
}

#[test]
fn quoted_and_block_scalars_are_always_strings() {
    for text in [
        "'yes'", "\"0644\"", "'true'", "\"null\"", "''", "\"1e3\"", "'~'",
    ] {
        let v = typed(text);
        assert!(v.is_string(), "{text} gave {v}");
    }
    let doc = one("a: |\n  123\nb: >\n  true\n");
    assert_eq!(doc.value, json!({"a": "123\n", "b": "true\n"}));
    assert!(doc.diagnostics.is_empty());
}

#[test]
fn explicit_tags_coerce() {
    let table: &[(&str, Value)] = &[
        ("!!str 123", json!("123")),
        ("!!str yes", json!("yes")),
        ("!!str", json!("")),
        ("!!int \"42\"", json!(42)),
        ("!!int '0x1F'", json!(31)),
        ("!!int 0644", json!(420)),
        ("!!int abc", json!("abc")),
        ("!!int 1.5", json!("1.5")),
        ("!!float 3", json!(3.0)),
        ("!!float '2.5'", json!(2.5)),
        ("!!float .inf", json!(".inf")),
        ("!!float x", json!("x")),
        ("!!bool \"yes\"", json!(true)),
        ("!!bool off", json!(false)),
        ("!!bool 1", json!("1")),
        ("!!null ''", Value::Null),
        ("!!null ~", Value::Null),
        ("!!null x", json!("x")),
        // custom and unknown tags type as if untagged
        ("!custom 12", json!(12)),
        ("!custom yes", json!(true)),
        ("!custom '12'", json!("12")),
        ("!!binary aGVsbG8=", json!("aGVsbG8=")),
        ("!!timestamp 2020-01-01", json!("2020-01-01")),
    ];
    for (text, want) in table {
        assert_eq!(&typed(text), want, "tagged scalar {text:?}");
    }
    // Explicitly typed scalars are not ambiguous.
    assert!(one("a: !!str yes\nb: !!int 0644\n").diagnostics.is_empty());
}

#[test]
fn keys_are_the_raw_text() {
    let doc = one("yes: 1\n0644: 2\n~: 3\n1.50: 4\n\"quoted\": 5\ntrue: 6\n'on': 7\n80: 8\n");
    let keys: Vec<_> = doc.value.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        ["yes", "0644", "~", "1.50", "quoted", "true", "on", "80"]
    );
    let doc = one("{1: a, null: b}");
    assert_eq!(doc.value, json!({"1": "a", "null": "b"}));
    assert!(doc.diagnostics.is_empty());
}

#[test]
fn keys_kubernetes_renames_are_reported() {
    let doc =
        one("data:\n  on: enabled\n  0644: mode\n  'off': quoted\n  true: same\n  80: same\n");
    let found = ambiguities(&doc);
    assert_eq!(found.len(), 2, "{:?}", doc.diagnostics);
    assert_eq!(found[0].pointer, "/data/on");
    assert_eq!(found[0].span.start.line, 2);
    assert_eq!(found[0].span.start.column, 3);
    assert_eq!(
        found[0].kind,
        DiagnosticKind::AmbiguousScalar {
            raw: "on".into(),
            yaml11: json!(true),
            yaml12: json!("on"),
        }
    );
    assert_eq!(
        found[0].message,
        "key `on` is read as boolean true by Kubernetes (YAML 1.1), which names the field \
         \"true\", but as the string \"on\" by YAML 1.2 tools; quote the key"
    );
    assert_eq!(found[1].pointer, "/data/0644");
    assert!(
        found[1].message.contains("names the field \"420\""),
        "{}",
        found[1].message
    );
}

#[test]
fn ambiguous_booleans_are_reported() {
    let src = "\
spec:
  hostNetwork: yes
  containers:
  - name: app
    tty: on
    stdin: \"yes\"
    enabled: true
";
    let doc = one(src);
    assert_eq!(doc.value["spec"]["hostNetwork"], json!(true));
    assert_eq!(doc.value["spec"]["containers"][0]["tty"], json!(true));
    let found = ambiguities(&doc);
    assert_eq!(found.len(), 2, "{:?}", doc.diagnostics);
    let first = found[0];
    assert_eq!(first.pointer, "/spec/hostNetwork");
    assert_eq!(first.span.start.line, 2);
    assert_eq!(first.span.start.column, 16);
    assert_eq!(
        first.kind,
        DiagnosticKind::AmbiguousScalar {
            raw: "yes".into(),
            yaml11: json!(true),
            yaml12: json!("yes"),
        }
    );
    assert_eq!(
        first.message,
        "`yes` is read as boolean true by Kubernetes (YAML 1.1) but as the string \"yes\" by \
         YAML 1.2 tools; quote it or write true"
    );
    assert_eq!(found[1].pointer, "/spec/containers/0/tty");
    assert_eq!(found[1].span.start.line, 5);
}

#[test]
fn ambiguous_numbers_are_reported() {
    let cases: &[(&str, Value, Value)] = &[
        ("0644", json!(420), json!(644)),
        ("0b101", json!(5), json!("0b101")),
        ("1_000", json!(1000), json!("1_000")),
        ("+0x1F", json!(31), json!("+0x1F")),
        ("-0x1F", json!(-31), json!("-0x1F")),
        ("n", json!(false), json!("n")),
        ("OFF", json!(false), json!("OFF")),
        ("1e400", json!("1e400"), json!("1e400")),
    ];
    for (raw, yaml11, yaml12) in cases {
        let doc = one(&format!("list:\n- {raw}\n"));
        let found = ambiguities(&doc);
        assert_eq!(found.len(), 1, "{raw}: {:?}", doc.diagnostics);
        assert_eq!(found[0].pointer, "/list/0");
        let DiagnosticKind::AmbiguousScalar {
            raw: r,
            yaml11: a,
            yaml12: b,
        } = &found[0].kind
        else {
            panic!("{:?}", found[0].kind);
        };
        assert_eq!(r, raw);
        assert_eq!(a, yaml11, "{raw}");
        assert_eq!(b, yaml12, "{raw}");
    }
    let doc = one("mode: 0644\n");
    assert_eq!(
        ambiguities(&doc)[0].message,
        "`0644` is read as the integer 420 by Kubernetes (YAML 1.1) but as the integer 644 by \
         YAML 1.2 tools; quote it or write 420"
    );
}

#[test]
fn agreeing_scalars_are_not_reported() {
    let src = "\
a: true
b: 12
c: +12
d: 0x1F
e: 0o17
f: 1.5
g: 08
h: .inf
i: null
j: ~
k: nginx
l: 1e3
m:
nn: False
";
    let doc = one(src);
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn typing_inside_flow_collections() {
    let doc = one("ports: [80, '443', 0x50, yes]\nmeta: {a: 1.5, b: ~}\n");
    assert_eq!(
        doc.value,
        json!({"ports": [80, "443", 80, true], "meta": {"a": 1.5, "b": null}})
    );
    assert_eq!(ambiguities(&doc).len(), 1);
    assert_eq!(ambiguities(&doc)[0].pointer, "/ports/3");
}
