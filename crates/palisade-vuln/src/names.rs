//! Package names and ecosystems as index keys: the same package must be found however a lock
//! file or an advisory spells it.

use palisade_core::Ecosystem;

/// PEP 503 normalisation: lower case, runs of `-`, `_` and `.` become one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

/// Splits an OSV ecosystem string into its base (lower-cased, so `kubernetes` and `Kubernetes`
/// meet) and its release suffix (`Debian:12` → `debian`, `12`).
pub fn split_ecosystem(ecosystem: &str) -> (String, &str) {
    let (base, release) = ecosystem
        .trim()
        .split_once(':')
        .unwrap_or((ecosystem.trim(), ""));
    (base.to_ascii_lowercase(), release)
}

/// The name as it is indexed for an ecosystem (given by its OSV base name).
pub fn normalize_name(ecosystem_base: &str, name: &str) -> String {
    let name = name.trim();
    match ecosystem_base.to_ascii_lowercase().as_str() {
        "pypi" => pep503(name),
        // crates.io treats `-` and `_` as the same name, and names are case-insensitive.
        "crates.io" => name.to_ascii_lowercase().replace('_', "-"),
        "nuget" | "packagist" | "pub" | "debian" | "ubuntu" | "alpine" | "wolfi" | "chainguard"
        | "hex" | "swifturl" => name.to_lowercase(),
        _ => name.to_string(),
    }
}

/// The index key of a package: `base \x01 normalized name \x01 release`.
pub fn package_key(ecosystem: &str, name: &str) -> String {
    let (base, release) = split_ecosystem(ecosystem);
    format!("{base}\u{1}{}\u{1}{release}", normalize_name(&base, name))
}

/// The key prefix shared by all releases of a package (for queries without a release).
pub fn package_prefix(ecosystem: &Ecosystem, name: &str) -> String {
    let text = ecosystem.to_string();
    let (base, _) = split_ecosystem(&text);
    format!("{base}\u{1}{}\u{1}", normalize_name(&base, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_per_ecosystem() {
        assert_eq!(pep503("Django_REST.framework"), "django-rest-framework");
        assert_eq!(pep503("a--_b"), "a-b");
        assert_eq!(normalize_name("crates.io", "Serde_JSON"), "serde-json");
        assert_eq!(
            normalize_name("Go", "github.com/BurntSushi/toml"),
            "github.com/BurntSushi/toml"
        );
        assert_eq!(
            package_key("Debian:12", "OpenSSL"),
            "debian\u{1}openssl\u{1}12"
        );
        assert_eq!(
            package_key("kubernetes", "k8s.io/api"),
            "kubernetes\u{1}k8s.io/api\u{1}"
        );
        let eco: Ecosystem = "Alpine:v3.20".parse().unwrap();
        assert_eq!(package_prefix(&eco, "musl"), "alpine\u{1}musl\u{1}");
    }
}
