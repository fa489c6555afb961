//! Package URLs (<https://github.com/package-url/purl-spec>) for matched packages.

use std::fmt::Write as _;

use palisade_core::Ecosystem;

fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'.' | b'-' | b'_' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS` for a package of an ecosystem.
pub fn package_purl(ecosystem: &Ecosystem, name: &str, version: &str) -> String {
    let kind = ecosystem.purl_type();
    let path = match ecosystem {
        Ecosystem::Maven => match name.split_once(':') {
            Some((group, artifact)) => {
                format!("{}/{}", encode(group, false), encode(artifact, false))
            }
            None => encode(name, false),
        },
        Ecosystem::Npm => match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
            Some((scope, pkg)) => format!("%40{}/{}", encode(scope, false), encode(pkg, false)),
            None => encode(name, false),
        },
        Ecosystem::Go | Ecosystem::Packagist => encode(name, true),
        Ecosystem::Debian(_)
        | Ecosystem::Ubuntu(_)
        | Ecosystem::Alpine(_)
        | Ecosystem::AlmaLinux(_)
        | Ecosystem::RockyLinux(_)
        | Ecosystem::RedHat(_)
        | Ecosystem::Wolfi
        | Ecosystem::Chainguard => {
            let namespace = ecosystem.base_name().to_ascii_lowercase().replace(' ', "");
            format!("{namespace}/{}", encode(name, false))
        }
        _ => encode(name, false),
    };
    let mut purl = format!("pkg:{kind}/{path}@{}", encode(version, false));
    if let Some(release) = ecosystem.release() {
        let namespace = ecosystem.base_name().to_ascii_lowercase().replace(' ', "");
        let release = release.trim_start_matches('v');
        let _ = write!(purl, "?distro={namespace}-{}", encode(release, false));
    }
    purl
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purl(eco: &str, name: &str, version: &str) -> String {
        package_purl(&eco.parse().unwrap(), name, version)
    }

    #[test]
    fn purls() {
        assert_eq!(
            purl("npm", "@babel/core", "7.0.0"),
            "pkg:npm/%40babel/core@7.0.0"
        );
        assert_eq!(
            purl("Maven", "org.apache:log4j", "2.0"),
            "pkg:maven/org.apache/log4j@2.0"
        );
        assert_eq!(
            purl("Go", "golang.org/x/net", "v0.1.0"),
            "pkg:golang/golang.org/x/net@v0.1.0"
        );
        assert_eq!(
            purl("Debian:12", "openssl", "3.0.11-1~deb12u2"),
            "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12"
        );
        assert_eq!(
            purl("crates.io", "serde", "1.0.0+x"),
            "pkg:cargo/serde@1.0.0%2Bx"
        );
        assert_eq!(
            purl("AlmaLinux:9", "kernel", "5.14.0-1.el9"),
            "pkg:rpm/almalinux/kernel@5.14.0-1.el9?distro=almalinux-9"
        );
    }
}
