//! Package URLs (purl-spec): `pkg:type/namespace/name@version?qualifiers`.
//!
//! Every component is percent-encoded except the unreserved characters `A-Z a-z 0-9 . - _ ~`
//! and `:`, which the specification leaves unencoded. Namespace segments are encoded one by one
//! and joined with `/`. Type-specific normalisation follows PURL-TYPES: PyPI names are
//! lower-cased with `_` replaced by `-`; other names keep their case.

use std::fmt::Write as _;

use palisade_core::Ecosystem;
pub use palisade_core::purl::{Purl, decode};

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

/// The advisory ecosystem of `purl`. Distribution packages need the release: from
/// the `distro` qualifier (`debian-12`, `bookworm`, `alpine-3.19.1`, `ubuntu-22.04`), else
/// `default_release` (the SBOM's operating system), else none (listed, not matchable).
pub fn ecosystem(purl: &Purl, default_release: Option<&str>) -> Option<Ecosystem> {
    let distro = purl.qualifier("distro");
    let release = |prefix: &str| {
        distro
            .map(|d| d.strip_prefix(prefix).unwrap_or(d))
            .or(default_release)
            .map(str::to_string)
    };
    Some(match purl.ty.as_str() {
        "cargo" => Ecosystem::CratesIo,
        "npm" => Ecosystem::Npm,
        "golang" => Ecosystem::Go,
        "pypi" => Ecosystem::PyPI,
        "maven" => Ecosystem::Maven,
        "gem" => Ecosystem::RubyGems,
        "nuget" => Ecosystem::NuGet,
        "composer" => Ecosystem::Packagist,
        "pub" => Ecosystem::Pub,
        "hackage" => Ecosystem::Hackage,
        "cran" => Ecosystem::Cran,
        "deb" => {
            let release = release(&format!(
                "{}-",
                purl.namespace.as_deref().unwrap_or("debian")
            ));
            let os = crate::rootfs::OsRelease {
                id: purl.namespace.clone().unwrap_or_else(|| "debian".into()),
                id_like: Vec::new(),
                version_id: release.map(|r| debian_codename(&r).unwrap_or(r)),
                version_codename: None,
                pretty_name: None,
            };
            os.ecosystem()?
        }
        "apk" | "rpm" => {
            let default = if purl.ty == "apk" { "alpine" } else { "" };
            let namespace = purl.namespace.as_deref().unwrap_or(default);
            let os = crate::rootfs::OsRelease {
                id: namespace.to_string(),
                id_like: Vec::new(),
                version_id: release(&format!("{namespace}-")),
                version_codename: None,
                pretty_name: None,
            };
            os.ecosystem()?
        }
        _ => return None,
    })
}

/// Debian code names some producers write as the `distro` qualifier.
fn debian_codename(name: &str) -> Option<String> {
    let number = match name {
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        _ => return None,
    };
    Some(number.to_string())
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

    #[test]
    fn parses_and_maps_to_ecosystems() {
        let p = Purl::parse("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.5")
            .unwrap();
        assert_eq!(p.name, "libc6");
        assert_eq!(p.version.as_deref(), Some("2.36-9+deb12u4"));
        assert_eq!(p.qualifier("arch"), Some("amd64"));
        assert_eq!(ecosystem(&p, None).unwrap().to_string(), "Debian:12");
        let cases = [
            (
                "pkg:deb/debian/bash@5.2?distro=bookworm",
                None,
                Some("Debian:12"),
            ),
            (
                "pkg:deb/ubuntu/bash@5.1?distro=ubuntu-22.04",
                None,
                Some("Ubuntu:22.04:LTS"),
            ),
            (
                "pkg:apk/alpine/musl@1.2.4-r2?distro=alpine-3.19.1",
                None,
                Some("Alpine:v3.19"),
            ),
            (
                "pkg:apk/alpine/musl@1.2.4-r2",
                Some("3.18.4"),
                Some("Alpine:v3.18"),
            ),
            ("pkg:apk/wolfi/glibc@2.38-r1", None, Some("Wolfi")),
            ("pkg:npm/%40babel/core@7.0.0", None, Some("npm")),
            ("pkg:rpm/redhat/openssl@3.0.7", None, None),
            (
                "pkg:rpm/almalinux/pcs@0.11.1-9.el9?distro=almalinux-9.3",
                None,
                Some("AlmaLinux:9"),
            ),
            (
                "pkg:rpm/rocky/bash@5.1-6.el9",
                Some("9.2"),
                Some("Rocky Linux:9"),
            ),
        ];
        for (text, release, want) in cases {
            let got = ecosystem(&Purl::parse(text).unwrap(), release).map(|e| e.to_string());
            assert_eq!(got.as_deref(), want, "{text}");
        }
        let npm = Purl::parse("pkg:npm/@babel/core@7.0.0").unwrap();
        assert_eq!(npm.package_name(), "@babel/core");
        assert_eq!(
            Purl::parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
                .unwrap()
                .package_name(),
            "org.apache.logging.log4j:log4j-core"
        );
        assert_eq!(
            Purl::parse("pkg:golang/golang.org/x/text@v0.3.5")
                .unwrap()
                .package_name(),
            "golang.org/x/text"
        );
        assert!(Purl::parse("not a purl").is_none());
        assert!(Purl::parse("pkg:npm").is_none());
    }
}
