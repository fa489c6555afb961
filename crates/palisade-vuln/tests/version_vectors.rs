//! Every line of every file in `shared/vulndata/version-order/` must hold.

use std::cmp::Ordering;
use std::path::PathBuf;

use palisade_vuln::VersionScheme;

fn vectors_dir() -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vulndata/version-order");
    assert!(
        dir.is_dir(),
        "test data missing: {} (the repository's sibling `shared/` checkout is required)",
        dir.display()
    );
    dir
}

fn scheme_for_file(name: &str) -> VersionScheme {
    match name.strip_suffix("-versions.txt") {
        Some("alpine") => VersionScheme::Alpine,
        Some("cran") => VersionScheme::Cran,
        Some("debian") => VersionScheme::Debian,
        Some("hackage") => VersionScheme::Hackage,
        Some("maven") => VersionScheme::Maven,
        Some("nuget") => VersionScheme::NuGet,
        Some("packagist") => VersionScheme::Packagist,
        Some("pub") => VersionScheme::Pub,
        Some("pypi") => VersionScheme::Pep440,
        Some("redhat") => VersionScheme::Rpm,
        Some("rubygems") => VersionScheme::RubyGems,
        Some("semver") => VersionScheme::SemVer,
        _ => panic!("no version scheme known for vector file {name}"),
    }
}

#[test]
#[allow(clippy::print_stderr)]
fn all_version_order_vectors_hold() {
    let mut entries: Vec<_> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    assert_eq!(entries.len(), 12, "expected the 12 vector files");

    let mut checked = 0usize;
    let mut failures = Vec::new();
    for path in &entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let scheme = scheme_for_file(&name);
        let text = std::fs::read_to_string(path).unwrap();
        let mut in_file = 0usize;
        for (lineno, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(
                parts.len(),
                3,
                "{name}:{}: malformed vector line `{line}`",
                lineno + 1
            );
            let expected = match parts[1] {
                "<" => Ordering::Less,
                "=" => Ordering::Equal,
                ">" => Ordering::Greater,
                op => panic!("{name}:{}: unknown operator {op}", lineno + 1),
            };
            in_file += 1;
            let result = scheme.compare(parts[0], parts[2]);
            let reverse = scheme.compare(parts[2], parts[0]);
            match (result, reverse) {
                (Ok(got), Ok(rev)) if got == expected && rev == expected.reverse() => {}
                (got, rev) => failures.push(format!(
                    "{name}:{}: `{line}` gave {got:?} (reverse {rev:?})",
                    lineno + 1
                )),
            }
        }
        assert!(in_file > 0, "{name} has no vectors");
        checked += in_file;
    }
    eprintln!(
        "checked {checked} version-order vectors in {} files",
        entries.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 1400, "only {checked} vectors found");
}
