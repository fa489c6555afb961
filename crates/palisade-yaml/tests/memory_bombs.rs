//! Small inputs that would expand to gigabytes without the loader's budgets.
//!
//! One test in this binary, so the process's peak memory is this test's.

use std::fmt::Write as _;

use palisade_yaml::{Limits, ParseErrorKind, parse_str};

/// Peak resident memory of this process so far, in MB (Linux only).
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// `? ? ? … a: b`: each level's composite key is the JSON text of the level inside it, whose
/// quotes it escapes again, so the key text would double with each level.
fn nested_composite_keys() {
    let src = format!("{}a: b\n", "? ".repeat(60));
    let stream = parse_str(&src, &Limits::default());
    for doc in &stream.documents {
        let mut value = &doc.value;
        while let Some(map) = value.as_object() {
            let Some((key, inner)) = map.iter().next() else {
                break;
            };
            assert!(
                key.len() <= 1024 + '…'.len_utf8(),
                "key of {} bytes",
                key.len()
            );
            value = inner;
        }
    }
}

/// A 100 kB string aliased 10,000 times: few nodes, a gigabyte of text.
fn aliased_long_string() {
    let mut src = format!("a: &a \"{}\"\nb: [", "x".repeat(100_000));
    src.push_str(&vec!["*a"; 10_000].join(", "));
    src.push_str("]\n");
    let err = parse_str(&src, &Limits::default())
        .error
        .expect("over budget");
    assert_eq!(err.kind, ParseErrorKind::AliasBudget);
    assert_eq!(err.position.line, 2);

    // A few aliases of a long script are fine.
    let mut ok = format!("script: &s \"{}\"\nsteps:\n", "echo hi; ".repeat(1000));
    for _ in 0..10 {
        ok.push_str("- run: *s\n");
    }
    let stream = parse_str(&ok, &Limits::default());
    assert_eq!(stream.error, None);
    assert_eq!(
        stream.documents[0].value["steps"][9]["run"]
            .as_str()
            .unwrap()
            .len(),
        9000
    );
}

/// 400 nested anchored sequences around a 1 MB string: copying every anchored node for later
/// aliases would copy the string 400 times.
fn nested_anchors() {
    let depth = 400;
    let mut src = String::new();
    for level in 0..depth {
        src.push_str(&" ".repeat(level * 2));
        writeln!(src, "- &a{level}").unwrap();
    }
    src.push_str(&" ".repeat(depth * 2));
    src.push_str(&"y".repeat(1 << 20));
    src.push('\n');
    let stream = parse_str(&src, &Limits::default());
    assert_eq!(stream.error, None);
    assert_eq!(stream.documents.len(), 1);

    // Aliasing such an anchor is over budget; it was never copied.
    src.push_str("---\n- &big [\"");
    src.push_str(&"z".repeat(10 << 20));
    src.push_str("\"]\n- *big\n");
    let err = parse_str(&src, &Limits::default())
        .error
        .expect("over budget");
    assert_eq!(err.kind, ParseErrorKind::AliasBudget);
}

/// The classic: nine levels of nine aliases each, 10^9 strings when expanded.
fn billion_laughs() {
    let mut src = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..9 {
        let items = vec![format!("*l{}", level - 1); 9].join(", ");
        writeln!(src, "l{level}: &l{level} [{items}]").unwrap();
    }
    let err = parse_str(&src, &Limits::default())
        .error
        .expect("over budget");
    assert_eq!(err.kind, ParseErrorKind::AliasBudget);
}

#[test]
fn expansion_bombs_stay_small() {
    billion_laughs();
    nested_composite_keys();
    aliased_long_string();
    nested_anchors();
    if let Some(peak) = peak_rss_mb() {
        assert!(peak < 300, "peak resident memory {peak} MB");
    }
}
