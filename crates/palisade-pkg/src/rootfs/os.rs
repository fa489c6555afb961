//! Which operating system a root filesystem holds, and the advisory ecosystem it maps to.

use palisade_core::Ecosystem;

use super::FileIndex;

const OS_RELEASE: [&str; 2] = ["etc/os-release", "usr/lib/os-release"];
const DEBIAN_VERSION: &str = "etc/debian_version";
const ALPINE_RELEASE: &str = "etc/alpine-release";

pub(super) fn is_release_file(path: &str) -> bool {
    OS_RELEASE.contains(&path) || path == DEBIAN_VERSION || path == ALPINE_RELEASE
}

/// The fields of `os-release(5)` that identify a distribution release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsRelease {
    /// `ID`: `debian`, `ubuntu`, `alpine`, `almalinux`, `rocky`, `wolfi`, …
    pub id: String,
    /// `ID_LIKE`, split.
    pub id_like: Vec<String>,
    /// `VERSION_ID`: `12`, `22.04`, `3.19.1`.
    pub version_id: Option<String>,
    pub version_codename: Option<String>,
    pub pretty_name: Option<String>,
}

impl OsRelease {
    /// The OSV ecosystem whose advisories cover this release's packages, when there is one.
    pub fn ecosystem(&self) -> Option<Ecosystem> {
        let version = self.version_id.as_deref();
        let major = version
            .and_then(|v| v.split('.').next())
            .map(str::to_string);
        Some(match self.id.as_str() {
            "debian" => Ecosystem::Debian(major),
            "ubuntu" => Ecosystem::Ubuntu(version.map(ubuntu_release)),
            "alpine" => Ecosystem::Alpine(version.and_then(alpine_branch)),
            "almalinux" => Ecosystem::AlmaLinux(major),
            "rocky" => Ecosystem::RockyLinux(major),
            "wolfi" => Ecosystem::Wolfi,
            "chainguard" => Ecosystem::Chainguard,
            _ if self.id_like.iter().any(|like| like == "debian") && major.is_some() => {
                Ecosystem::Debian(major)
            }
            _ => return None,
        })
    }
}

/// OSV names Ubuntu LTS releases `22.04:LTS`.
fn ubuntu_release(version: &str) -> String {
    let lts = version.ends_with(".04")
        && version
            .split('.')
            .next()
            .and_then(|major| major.parse::<u32>().ok())
            .is_some_and(|major| major % 2 == 0);
    if lts {
        format!("{version}:LTS")
    } else {
        version.to_string()
    }
}

/// Alpine advisories are per branch: `3.19.1` → `v3.19`.
fn alpine_branch(version: &str) -> Option<String> {
    let mut parts = version.split('.');
    let (major, minor) = (parts.next()?, parts.next()?);
    Some(format!("v{major}.{minor}"))
}

/// Parses `os-release(5)`: `KEY=value` lines, values optionally quoted.
fn parse(text: &str) -> Option<OsRelease> {
    let mut release = OsRelease {
        id: String::new(),
        id_like: Vec::new(),
        version_id: None,
        version_codename: None,
        pretty_name: None,
    };
    for line in text.lines() {
        let Some((key, value)) = line.trim().split_once('=') else {
            continue;
        };
        let value = unquote(value.trim());
        let value = (!value.is_empty()).then(|| value.to_string());
        match key.trim() {
            "ID" => release.id = value.unwrap_or_default().to_ascii_lowercase(),
            "ID_LIKE" => {
                release.id_like = value
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
            }
            "VERSION_ID" => release.version_id = value,
            "VERSION_CODENAME" => release.version_codename = value,
            "PRETTY_NAME" => release.pretty_name = value,
            _ => {}
        }
    }
    (!release.id.is_empty()).then_some(release)
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// The release the index's files describe: `/etc/os-release` wins over `/usr/lib/os-release`;
/// without either, `debian_version` or `alpine-release` (distroless and scratch-based images
/// sometimes carry only those). A numeric `debian_version` fills a missing `VERSION_ID`.
pub(super) fn detect(index: &FileIndex) -> Option<OsRelease> {
    let from_os_release = OS_RELEASE
        .iter()
        .find_map(|path| index.text(path).and_then(|(_, text)| parse(text)));
    let debian_major = index.text(DEBIAN_VERSION).and_then(|(_, text)| {
        let major = text.trim().split('.').next()?;
        major
            .chars()
            .all(|c| c.is_ascii_digit())
            .then(|| major.to_string())
            .filter(|m| !m.is_empty())
    });
    if let Some(mut release) = from_os_release {
        if release.id == "debian" && release.version_id.is_none() {
            release.version_id = debian_major;
        }
        return Some(release);
    }
    let (id, version_id) = if let Some(major) = debian_major {
        ("debian", Some(major))
    } else {
        let (_, alpine) = index.text(ALPINE_RELEASE)?;
        (
            "alpine",
            Some(alpine.trim().to_string()).filter(|v| !v.is_empty()),
        )
    };
    Some(OsRelease {
        id: id.into(),
        id_like: Vec::new(),
        version_id,
        version_codename: None,
        pretty_name: None,
    })
}

/// How a distribution's packages are named in purls.
#[derive(Debug, Clone)]
pub(super) struct Distro {
    pub ecosystem: Option<Ecosystem>,
    /// purl namespace: `debian`, `ubuntu`, `alpine`, `wolfi`.
    pub namespace: String,
    /// purl `distro` qualifier: `debian-12`, `alpine-3.19.1`.
    pub qualifier: String,
}

impl Distro {
    pub fn of(release: &OsRelease) -> Distro {
        let namespace = if release
            .ecosystem()
            .is_some_and(|e| matches!(e, Ecosystem::Debian(_)))
        {
            "debian".to_string()
        } else {
            release.id.clone()
        };
        let qualifier = match &release.version_id {
            Some(version) => format!("{namespace}-{version}"),
            None => namespace.clone(),
        };
        Distro {
            ecosystem: release.ecosystem(),
            namespace,
            qualifier,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(text: &str) -> OsRelease {
        parse(text).unwrap()
    }

    #[test]
    fn ecosystems_of_common_releases() {
        let cases = [
            ("ID=debian\nVERSION_ID=\"12\"\n", Some("Debian:12")),
            (
                "ID=ubuntu\nVERSION_ID=\"22.04\"\n",
                Some("Ubuntu:22.04:LTS"),
            ),
            ("ID=ubuntu\nVERSION_ID=\"23.10\"\n", Some("Ubuntu:23.10")),
            ("ID=alpine\nVERSION_ID=3.19.1\n", Some("Alpine:v3.19")),
            (
                "ID=\"almalinux\"\nVERSION_ID=\"9.3\"\n",
                Some("AlmaLinux:9"),
            ),
            ("ID=\"rocky\"\nVERSION_ID=\"8.9\"\n", Some("Rocky Linux:8")),
            ("ID=wolfi\nVERSION_ID=20230201\n", Some("Wolfi")),
            (
                "ID=raspbian\nID_LIKE=debian\nVERSION_ID=\"12\"\n",
                Some("Debian:12"),
            ),
            ("ID=arch\n", None),
        ];
        for (text, want) in cases {
            let got = release(text).ecosystem().map(|e| e.to_string());
            assert_eq!(got.as_deref(), want, "{text}");
        }
    }

    #[test]
    fn quoted_and_commented_lines() {
        let r = release("# comment\nPRETTY_NAME='Debian GNU/Linux 12 (bookworm)'\nID=debian\n\n");
        assert_eq!(
            r.pretty_name.as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert!(parse("NAME=nothing\n").is_none());
    }
}
