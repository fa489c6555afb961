//! CVSS scores agree with an independent implementation on 1,600 vectors (`tests/data`).

use palisade_vuln::cvss;

#[test]
fn scores_match_the_oracle() {
    let text = include_str!("data/cvss-oracle.txt");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (vector, expected) = line.rsplit_once(' ').unwrap();
        let expected: f64 = expected.parse().unwrap();
        checked += 1;
        match cvss::score(vector) {
            Ok(s) if (s.score - expected).abs() < 1e-9 => {}
            other => wrong.push(format!("{vector}: expected {expected}, got {other:?}")),
        }
    }
    assert!(checked >= 1600, "only {checked} vectors");
    assert!(
        wrong.is_empty(),
        "{} of {checked} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
