//! Package URLs (purl-spec): `pkg:type/namespace/name@version?qualifiers`.
//!
//! Every component is percent-encoded except the unreserved characters `A-Z a-z 0-9 . - _ ~`
//! and `:`, which the specification leaves unencoded. Namespace segments are encoded one by one
//! and joined with `/`. Type-specific normalisation follows PURL-TYPES: PyPI names are
//! lower-cased with `_` replaced by `-`; other names keep their case.

use std::fmt::Write as _;

use palisade_core::Ecosystem;

/// Percent-encodes one purl component.
pub fn encode(component: &str) -> String {
    let mut out = String::with_capacity(component.len());
    for &b in component.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A purl from already split parts. `namespace` may hold several `/`-separated segments;
/// qualifiers are written in the order given (callers pass them sorted by key).
pub fn build(
    purl_type: &str,
    namespace: Option<&str>,
    name: &str,
    version: Option<&str>,
    qualifiers: &[(&str, &str)],
) -> String {
    let mut out = format!("pkg:{purl_type}/");
    if let Some(ns) = namespace
        .map(|ns| ns.trim_matches('/'))
        .filter(|ns| !ns.is_empty())
    {
        for segment in ns.split('/').filter(|s| !s.is_empty()) {
            out.push_str(&encode(segment));
            out.push('/');
        }
    }
    out.push_str(&encode(name.trim_matches('/')));
    if let Some(version) = version.filter(|v| !v.is_empty()) {
        out.push('@');
        out.push_str(&encode(version));
    }
    let mut first = true;
    for (key, value) in qualifiers.iter().filter(|(_, v)| !v.is_empty()) {
        out.push(if first { '?' } else { '&' });
        first = false;
        out.push_str(key);
        out.push('=');
        out.push_str(&encode(value));
    }
    out
}

/// The PyPI name as purl-spec wants it: lower case, `_` replaced by `-`.
pub fn pypi_name(name: &str) -> String {
    name.to_ascii_lowercase().replace('_', "-")
}

/// The purl of a package of `ecosystem` named as the advisories name it (`@scope/name` for
/// npm, `group:artifact` for Maven, `vendor/name` for Composer, a module path for Go).
/// `version` is left out when it is `None` or empty.
pub fn for_package(ecosystem: &Ecosystem, name: &str, version: Option<&str>) -> String {
    let ty = ecosystem.purl_type();
    match ecosystem {
        Ecosystem::Npm | Ecosystem::Packagist | Ecosystem::Go => match name.rsplit_once('/') {
            Some((ns, base)) => build(ty, Some(ns), base, version, &[]),
            None => build(ty, None, name, version, &[]),
        },
        Ecosystem::Maven => match name.split_once(':') {
            Some((group, artifact)) => build(ty, Some(group), artifact, version, &[]),
            None => build(ty, None, name, version, &[]),
        },
        Ecosystem::PyPI => build(ty, None, &pypi_name(name), version, &[]),
        _ => build(ty, None, name, version, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_characters() {
        assert_eq!(encode("@babel"), "%40babel");
        assert_eq!(encode("1.0.0+build.5"), "1.0.0%2Bbuild.5");
        assert_eq!(encode("a b/c"), "a%20b%2Fc");
        assert_eq!(encode("x:y~z"), "x:y~z");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn npm_scoped_and_plain() {
        assert_eq!(
            for_package(&Ecosystem::Npm, "@babel/code-frame", Some("7.8.3")),
            "pkg:npm/%40babel/code-frame@7.8.3"
        );
        assert_eq!(
            for_package(&Ecosystem::Npm, "lodash", Some("4.17.15")),
            "pkg:npm/lodash@4.17.15"
        );
    }

    #[test]
    fn per_ecosystem_shapes() {
        assert_eq!(
            for_package(&Ecosystem::CratesIo, "smallvec", Some("0.6.9")),
            "pkg:cargo/smallvec@0.6.9"
        );
        assert_eq!(
            for_package(&Ecosystem::PyPI, "Django_Rest.framework", Some("3.0")),
            "pkg:pypi/django-rest.framework@3.0"
        );
        assert_eq!(
            for_package(&Ecosystem::Go, "golang.org/x/text", Some("v0.3.5")),
            "pkg:golang/golang.org/x/text@v0.3.5"
        );
        assert_eq!(
            for_package(&Ecosystem::Packagist, "laravel/framework", Some("v8.0.0")),
            "pkg:composer/laravel/framework@v8.0.0"
        );
        assert_eq!(
            for_package(
                &Ecosystem::Maven,
                "org.apache.logging.log4j:log4j-core",
                Some("2.14.1")
            ),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        );
        assert_eq!(
            for_package(&Ecosystem::NuGet, "Newtonsoft.Json", Some("12.0.1")),
            "pkg:nuget/Newtonsoft.Json@12.0.1"
        );
        assert_eq!(
            for_package(&Ecosystem::RubyGems, "rack", None),
            "pkg:gem/rack"
        );
        assert_eq!(
            for_package(&Ecosystem::RubyGems, "rack", Some("")),
            "pkg:gem/rack"
        );
    }

    #[test]
    fn qualifiers_are_encoded_and_empty_ones_dropped() {
        assert_eq!(
            build(
                "gem",
                None,
                "nokogiri",
                Some("1.10.0"),
                &[("platform", "x86_64-linux"), ("x", "")]
            ),
            "pkg:gem/nokogiri@1.10.0?platform=x86_64-linux"
        );
        assert_eq!(
            build(
                "generic",
                Some("/a//b/"),
                "n",
                None,
                &[("vcs_url", "git+https://h/p@1")]
            ),
            "pkg:generic/a/b/n?vcs_url=git%2Bhttps:%2F%2Fh%2Fp%401"
        );
    }
}
