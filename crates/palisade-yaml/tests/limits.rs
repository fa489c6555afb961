//! Input budgets and errors.

use std::fmt::Write as _;

use palisade_yaml::{Limits, ParseErrorKind, Position, parse_bytes, parse_str};

fn lol(levels: usize) -> String {
    let mut src = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for i in 1..levels {
        let name = char::from(b'a' + u8::try_from(i).unwrap());
        let items = vec![format!("*{prev}"); 9].join(",");
        writeln!(src, "{name}: &{name} [{items}]").unwrap();
        prev = name;
    }
    src
}

#[test]
fn billion_laughs_fails_on_the_alias_budget() {
    let src = lol(9);
    let stream = parse_str(&src, &Limits::default());
    let err = stream.error.expect("budget exceeded");
    assert_eq!(err.kind, ParseErrorKind::AliasBudget);
    // It fails while expanding the level whose copies cross 100,000 nodes, on that line.
    assert_eq!(err.position.line, 6);
    assert!(stream.documents.is_empty());
    assert!(err.to_string().contains("line 6 column"), "{err}");
}

#[test]
fn alias_budget_counts_across_documents() {
    let doc = "a: &a [1, 2, 3, 4]\nb: [*a, *a]\n";
    let src = format!("{doc}---\n{doc}---\n{doc}");
    // Each document expands 2 x 5 nodes.
    let limits = Limits {
        max_alias_nodes: 25,
        ..Limits::default()
    };
    let stream = parse_str(&src, &limits);
    assert_eq!(stream.documents.len(), 2);
    assert_eq!(stream.error.unwrap().kind, ParseErrorKind::AliasBudget);
    let limits = Limits {
        max_alias_nodes: 30,
        ..Limits::default()
    };
    let stream = parse_str(&src, &limits);
    assert_eq!(stream.error, None);
    assert_eq!(stream.documents.len(), 3);
}

#[test]
fn small_legitimate_aliases_pass() {
    let stream = parse_str(&lol(4), &Limits::default());
    assert_eq!(stream.error, None);
    let v = &stream.documents[0].value;
    assert_eq!(v["d"][8][8][8][8], "lol");
}

#[test]
fn depth_limit() {
    let limits = Limits {
        max_depth: 5,
        ..Limits::default()
    };
    let ok = "a:\n b:\n  c:\n   d: [1]\n";
    assert_eq!(parse_str(ok, &limits).error, None);
    let deep = "a:\n b:\n  c:\n   d: [[1]]\n";
    let err = parse_str(deep, &limits).error.expect("too deep");
    assert_eq!(err.kind, ParseErrorKind::TooDeep);
    assert_eq!(err.position, Position { line: 4, column: 8 });
}

#[test]
fn default_depth_limit_stops_runaway_nesting() {
    // Block nesting: 512 levels pass, 513 do not.
    let ok = format!("{}x\n", "- ".repeat(512));
    assert_eq!(parse_str(&ok, &Limits::default()).error, None);
    let deep = format!("{}x\n", "- ".repeat(513));
    let err = parse_str(&deep, &Limits::default())
        .error
        .expect("too deep");
    assert_eq!(err.kind, ParseErrorKind::TooDeep);
    assert_eq!(
        err.position,
        Position {
            line: 1,
            column: 1025
        }
    );
    // Flow nesting: saphyr's scanner stops at 255 levels; that is reported as too deep too.
    let flow = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let err = parse_str(&flow, &Limits::default())
        .error
        .expect("too deep");
    assert_eq!(err.kind, ParseErrorKind::TooDeep);
    assert_eq!(err.position.line, 1);
}

#[test]
fn aliases_count_towards_depth() {
    let limits = Limits {
        max_depth: 4,
        ..Limits::default()
    };
    let src = "a: &x [[[1]]]\nb: *x\nc: [*x]\n";
    let err = parse_str(src, &limits)
        .error
        .expect("too deep through alias");
    assert_eq!(err.kind, ParseErrorKind::TooDeep);
    assert_eq!(err.position.line, 3);
}

#[test]
fn too_large_input() {
    let limits = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let err = parse_str("kind: ConfigMap\n", &limits)
        .error
        .expect("too large");
    assert_eq!(err.kind, ParseErrorKind::TooLarge);
    let err = parse_bytes(b"kind: ConfigMap\n", &limits)
        .error
        .expect("too large");
    assert_eq!(err.kind, ParseErrorKind::TooLarge);
    assert_eq!(err.position, Position { line: 1, column: 1 });
    assert!(parse_str("a: 1\n", &limits).error.is_none());
}

#[test]
fn invalid_utf8_points_at_the_bad_byte() {
    let src = b"kind: Pod\nmetadata:\n  name: caf\xC3\xA9-\xFF\n";
    let stream = parse_bytes(src, &Limits::default());
    let err = stream.error.expect("invalid utf-8");
    assert_eq!(err.kind, ParseErrorKind::InvalidUtf8);
    assert_eq!(
        err.position,
        Position {
            line: 3,
            column: 14
        }
    );
    assert!(err.message.contains("0xFF"), "{}", err.message);
}

#[test]
fn syntax_error_positions() {
    let src = "\
apiVersion: v1
kind: Pod
  metadata: {}
";
    let err = parse_str(src, &Limits::default())
        .error
        .expect("bad indentation");
    assert_eq!(err.kind, ParseErrorKind::Syntax);
    assert_eq!(err.position.line, 3);
    assert!(err.to_string().contains("line 3 column"), "{err}");

    let err = parse_str("a: [1, 2\nb: 3\n", &Limits::default())
        .error
        .unwrap();
    assert_eq!(err.kind, ParseErrorKind::Syntax);
    let err = parse_str("a: \"unterminated\n", &Limits::default())
        .error
        .unwrap();
    assert_eq!(err.kind, ParseErrorKind::Syntax);
    let err = parse_str("a: *nope\n", &Limits::default()).error.unwrap();
    assert_eq!(err.kind, ParseErrorKind::UnknownAlias);
    assert_eq!(err.position, Position { line: 1, column: 4 });
}

#[test]
fn documents_before_an_error_are_kept() {
    let src = "\
kind: ConfigMap
---
kind: Secret
---
kind: Pod
spec: [unclosed
";
    let stream = parse_str(src, &Limits::default());
    assert_eq!(stream.documents.len(), 2);
    assert_eq!(stream.documents[0].value["kind"], "ConfigMap");
    assert_eq!(stream.documents[1].value["kind"], "Secret");
    let err = stream.error.unwrap();
    assert_eq!(err.kind, ParseErrorKind::Syntax);
    assert!(err.position.line >= 6, "{err}");
}
