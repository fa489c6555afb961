//! Semantic Versioning 2.0.0 (<https://semver.org>), read leniently the way advisory databases
//! write it: an optional `v`, missing minor/patch count as zero, extra numeric components are
//! treated as build metadata, numbers of any length.

use std::cmp::Ordering;

use super::num::{Num, all_digits};
use super::{VersionError, VersionScheme};

/// One dot-separated pre-release or build identifier. Numeric identifiers sort before
/// alphanumeric ones (semver §11.4.3).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Ident {
    Num(Num),
    Alpha(String),
}

impl Ident {
    fn parse(s: &str) -> Ident {
        if all_digits(s) {
            Ident::Num(Num::new(s))
        } else {
            Ident::Alpha(s.to_string())
        }
    }
}

/// A semantic version; build metadata is kept but does not take part in the order.
#[derive(Debug, Clone)]
pub struct SemVersion {
    pub(crate) major: Num,
    pub(crate) minor: Num,
    pub(crate) patch: Num,
    pub(crate) pre: Vec<Ident>,
    pub(crate) build: Vec<Ident>,
    original: String,
}

impl SemVersion {
    pub fn parse(s: &str) -> Result<SemVersion, VersionError> {
        parse_with(VersionScheme::SemVer, s)
    }

    /// Go module and toolchain versions: `v1.2.3`, `v0.0.0-20200101000000-abcdef123456`,
    /// `v2.0.0+incompatible`, and the toolchain forms `go1.21`, `go1.21.3`, `go1.21rc2`.
    pub fn parse_go(s: &str) -> Result<SemVersion, VersionError> {
        let t = s.trim();
        if let Some(rest) = t.strip_prefix("go") {
            return parse_go_toolchain(s, rest);
        }
        parse_with(VersionScheme::Go, s)
    }

    pub fn original(&self) -> &str {
        &self.original
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    pub(crate) fn cmp_precedence(&self, other: &Self) -> Ordering {
        self.major
            .cmp(&other.major)
            .then_with(|| self.minor.cmp(&other.minor))
            .then_with(|| self.patch.cmp(&other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

fn parse_go_toolchain(original: &str, rest: &str) -> Result<SemVersion, VersionError> {
    let err = |why: &str| VersionError::new(VersionScheme::Go, original, why);
    // go1.21rc2 → 1.21.0-rc.2; go1.21beta1 → 1.21.0-beta.1
    let split = rest
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let (core, pre) = rest.split_at(split);
    let mut parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty() || parts.len() > 3 || !parts.iter().all(|p| all_digits(p)) {
        return Err(err("not a Go toolchain version"));
    }
    while parts.len() < 3 {
        parts.push("0");
    }
    let mut text = parts.join(".");
    if !pre.is_empty() {
        let (label, n) = super::num::split_alpha(pre);
        if label.is_empty() || !(n.is_empty() || all_digits(n)) {
            return Err(err("bad pre-release in Go toolchain version"));
        }
        text.push('-');
        text.push_str(label);
        if !n.is_empty() {
            text.push('.');
            text.push_str(n);
        }
    }
    let mut v = parse_with(VersionScheme::Go, &text)?;
    v.original = original.to_string();
    Ok(v)
}

fn valid_ident_chars(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

pub(crate) fn parse_with(scheme: VersionScheme, s: &str) -> Result<SemVersion, VersionError> {
    let err = |why: &str| VersionError::new(scheme, s, why);
    let t = s.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    if t.is_empty() {
        return Err(err("empty version"));
    }
    let (rest, build) = match t.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (t, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if !parts.iter().all(|p| all_digits(p)) {
        return Err(err("major.minor.patch must be numbers"));
    }
    let num = |i: usize| parts.get(i).map_or_else(Num::default, |p| Num::new(p));
    let mut build_idents = Vec::new();
    // Components beyond the third are build metadata.
    for extra in parts.iter().skip(3) {
        build_idents.push(Ident::parse(extra));
    }
    let pre = match pre {
        Some(p) => {
            let ids: Vec<&str> = p.split('.').collect();
            if !ids.iter().all(|i| valid_ident_chars(i)) {
                return Err(err("bad pre-release identifier"));
            }
            ids.into_iter().map(Ident::parse).collect()
        }
        None => Vec::new(),
    };
    if let Some(b) = build {
        let ids: Vec<&str> = b.split('.').collect();
        if !ids.iter().all(|i| valid_ident_chars(i)) {
            return Err(err("bad build metadata"));
        }
        build_idents.extend(ids.into_iter().map(Ident::parse));
    }
    Ok(SemVersion {
        major: num(0),
        minor: num(1),
        patch: num(2),
        pre,
        build: build_idents,
        original: s.to_string(),
    })
}

impl PartialEq for SemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SemVersion {}

impl Ord for SemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_precedence(other)
    }
}

impl PartialOrd for SemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> SemVersion {
        SemVersion::parse(s).unwrap()
    }

    #[test]
    fn precedence_follows_spec_example() {
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for w in chain.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.0.0+build.1"), v("1.0.0+other"));
    }

    #[test]
    fn rejects_garbage() {
        assert!(SemVersion::parse("").is_err());
        assert!(SemVersion::parse("abc").is_err());
        assert!(SemVersion::parse("1.0.0-").is_err());
        assert!(SemVersion::parse("1..0").is_err());
        assert!(SemVersion::parse("1.0.0-a..b").is_err());
    }

    #[test]
    fn go_versions() {
        let go = |s: &str| SemVersion::parse_go(s).unwrap();
        assert!(go("v0.0.0-20200101000000-abcdef123456") < go("v0.0.1"));
        assert!(go("v1.2.4-0.20200101000000-abcdef123456") > go("v1.2.3"));
        assert!(go("v1.2.4-0.20200101000000-abcdef123456") < go("v1.2.4"));
        assert_eq!(go("v2.0.0+incompatible"), go("2.0.0"));
        assert!(go("go1.21rc2") < go("go1.21.0"));
        assert_eq!(go("go1.21"), go("1.21.0"));
        assert!(go("go1.21.3") > go("v1.21.0"));
        assert!(SemVersion::parse_go("devel").is_err());
    }
}
