//! Mutated inputs never panic, and every node of every parsed value can be located exactly.

use palisade_yaml::{Document, Limits, Span, escape_pointer_token, parse_bytes};
use serde_json::Value;

const SEEDS: &[&str] = &[
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  \
     template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        \
     args: [\"--a\", '--b']\n        securityContext:\n          privileged: yes\n",
    "base: &b\n  x: 1\n  y: [1, 2]\nm:\n  <<: *b\n  y: 3\nlist:\n- *b\n- &s str\n- *s\n",
    "data:\n  script: |\n    echo hi\n  folded: >-\n    a\n    b\n  k: v\n  k: w\n? [a, b]\n: c\n",
    "{\"kind\": \"List\", \"items\": [{\"a/b\": 1, \"c~d\": [true, null, 0644]}]}\n",
    "---\na: 1\n---\n# c\n---\n- - - x\n  - y\n- {k: [1, {z: ~}]}\n...\n--- !!map\nname: \"é\"\n",
];

const INSERTS: &[u8] = b":-[]{},&*!|>'\"#\n ?<~%@`\\abc012";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap()
    }
}

fn mutate(rng: &mut Rng, src: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let at = rng.below(src.len() + 1);
        match rng.below(4) {
            0 if !src.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(src.len());
                src.drain(at.min(end)..end);
            }
            1 => src.insert(at, INSERTS[rng.below(INSERTS.len())]),
            2 => {
                let len = rng.below(16).min(src.len() - at.min(src.len()));
                let piece: Vec<u8> = src[at..at + len].to_vec();
                let to = rng.below(src.len() + 1);
                src.splice(to..to, piece);
            }
            _ => {
                if at < src.len() {
                    src[at] = INSERTS[rng.below(INSERTS.len())];
                }
            }
        }
    }
}

fn sane(span: Span) {
    assert!(span.start.line >= 1 && span.start.column >= 1, "{span:?}");
    assert!(span.start <= span.end, "{span:?}");
}

/// Every node of `value` is found exactly by the source map, at a sane span.
fn check_node(doc: &Document, value: &Value, pointer: &mut String) {
    let located = doc.source_map.locate(pointer);
    assert!(located.exact, "pointer {pointer:?} not found");
    sane(located.span);
    let span = doc.source_map.value_span(pointer);
    assert!(span.is_some(), "no value span for {pointer:?}");
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(key));
                let key_span = doc.source_map.key_span(pointer);
                assert!(key_span.is_some(), "no key span for {pointer:?}");
                check_node(doc, child, pointer);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                check_node(doc, child, pointer);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

#[test]
fn seeds_parse_and_every_node_is_located() {
    for seed in SEEDS {
        let stream = parse_bytes(seed.as_bytes(), &Limits::default());
        assert_eq!(stream.error, None, "{seed}");
        assert!(!stream.documents.is_empty());
        for doc in &stream.documents {
            check_node(doc, &doc.value, &mut String::new());
        }
    }
}

#[test]
fn mutated_inputs_never_panic_and_stay_consistent() {
    let limits = Limits {
        max_alias_nodes: 10_000,
        max_depth: 64,
        ..Limits::default()
    };
    let seed = std::env::var("PALISADE_YAML_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let rounds = std::env::var("PALISADE_YAML_MUTATION_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4000);
    let mut rng = Rng(seed);
    let mut parsed_documents = 0;
    for round in 0..rounds {
        let mut src = SEEDS[round % SEEDS.len()].as_bytes().to_vec();
        mutate(&mut rng, &mut src);
        let stream = parse_bytes(&src, &limits);
        if let Some(error) = &stream.error {
            assert!(
                error.position.line >= 1 && error.position.column >= 1,
                "{error:?}"
            );
            assert!(!error.message.is_empty());
        }
        for doc in &stream.documents {
            parsed_documents += 1;
            check_node(doc, &doc.value, &mut String::new());
            for d in &doc.diagnostics {
                sane(d.span);
            }
        }
    }
    // The mutations keep most inputs parseable, so the invariants were exercised.
    assert!(
        parsed_documents > rounds / 4,
        "only {parsed_documents} documents parsed"
    );
}
