//! Checks an OSV record against the schema's rules.
//!
//! Violations that make a record impossible to evaluate correctly are *errors* and the record is
//! not imported (an event with zero or several kinds, a range without an `introduced` event, an
//! unknown range type, a package without a name). Deviations that leave the data usable are
//! *warnings*: an ID without a registered prefix, an ecosystem outside the schema's list (the
//! Kubernetes feed writes `kubernetes`), a GIT event that is not a full commit hash, a timestamp
//! in another format. Both are reported by the importer with the file they came from.

use super::model::{OsvRecord, RangeKind};

/// Home-database ID prefixes registered in the OSV schema (`$defs.prefix`).
const ID_PREFIXES: &[&str] = &[
    "ASB-A",
    "PUB-A",
    "ALPINE",
    "ALSA",
    "ALBA",
    "ALEA",
    "AZL",
    "BELL",
    "BIT",
    "CGA",
    "CLEANSTART",
    "CLSA",
    "CURL",
    "CVE",
    "DEBIAN",
    "DHI",
    "DRUPAL",
    "DSA",
    "DLA",
    "ELA",
    "DTSA",
    "ECHO",
    "EEF",
    "FreeBSD",
    "GHSA",
    "GO",
    "GSD",
    "HSEC",
    "JLSEC",
    "KUBE",
    "LBSEC",
    "LSN",
    "MAL",
    "MINI",
    "MGASA",
    "OESA",
    "OSEC",
    "OSV",
    "openSUSE-SU",
    "PHSA",
    "PSF",
    "PYSEC",
    "RHBA",
    "RHEA",
    "RHSA",
    "RLSA",
    "RXSA",
    "RSEC",
    "ROOT",
    "RUSTSEC",
    "SUSE-SU",
    "SUSE-RU",
    "SUSE-FU",
    "SUSE-OU",
    "UBUNTU",
    "USN",
    "V8",
];

/// Ecosystem names of the OSV schema (`$defs.ecosystemName`).
const ECOSYSTEMS: &[&str] = &[
    "AlmaLinux",
    "Alpaquita",
    "Alpine",
    "Android",
    "Azure Linux",
    "BellSoft Hardened Containers",
    "Bioconductor",
    "Bitnami",
    "Chainguard",
    "CleanStart",
    "ConanCenter",
    "CRAN",
    "crates.io",
    "Debian",
    "Docker Hardened Images",
    "Echo",
    "FreeBSD",
    "GHC",
    "GitHub Actions",
    "Go",
    "Hackage",
    "Hex",
    "Julia",
    "Kubernetes",
    "Linux",
    "Mageia",
    "Maven",
    "MinimOS",
    "npm",
    "NuGet",
    "opam",
    "openEuler",
    "openSUSE",
    "OSS-Fuzz",
    "Packagist",
    "Photon OS",
    "Pub",
    "PyPI",
    "Red Hat",
    "Rocky Linux",
    "Root",
    "RubyGems",
    "SUSE",
    "SwiftURL",
    "TuxCare",
    "Ubuntu",
    "VSCode",
    "Wolfi",
];

/// What validation found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validation {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

fn is_timestamp(s: &str) -> bool {
    // YYYY-MM-DDTHH:MM:SS(.fraction)?Z
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 20 || !s.ends_with('Z') {
        return false;
    }
    let fixed = digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    let tail = &s[19..s.len() - 1];
    fixed
        && (tail.is_empty()
            || tail
                .strip_prefix('.')
                .is_some_and(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit())))
}

fn is_full_commit(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|c| c.is_ascii_hexdigit())
}

fn has_known_prefix(id: &str) -> bool {
    id.starts_with("x_")
        || ID_PREFIXES
            .iter()
            .any(|p| id.strip_prefix(p).is_some_and(|rest| rest.starts_with('-')))
}

/// Validates one record.
pub fn validate(record: &OsvRecord) -> Validation {
    let mut v = Validation::default();
    let id = record.id.trim();
    if id.is_empty() {
        v.errors.push("`id` is empty".into());
    } else if id.chars().any(|c| c.is_whitespace() || c == '/') {
        v.errors
            .push(format!("`id` `{id}` contains whitespace or `/`"));
    } else if !has_known_prefix(id) {
        v.warnings.push(format!(
            "`id` `{id}` has no registered home-database prefix"
        ));
    }
    for (field, value) in [
        ("modified", Some(&record.modified)),
        ("published", record.published.as_ref()),
        ("withdrawn", record.withdrawn.as_ref()),
    ] {
        if let Some(ts) = value.filter(|ts| !is_timestamp(ts)) {
            v.warnings
                .push(format!("`{field}` `{ts}` is not an RFC 3339 UTC timestamp"));
        }
    }
    for (i, affected) in record.affected.iter().enumerate() {
        let at = format!("affected[{i}]");
        if let Some(pkg) = &affected.package {
            if pkg.name.trim().is_empty() {
                v.errors.push(format!("{at}.package.name is empty"));
            }
            let base = pkg.ecosystem.split(':').next().unwrap_or_default();
            if base.trim().is_empty() {
                v.errors.push(format!("{at}.package.ecosystem is empty"));
            } else if !ECOSYSTEMS.contains(&base) {
                v.warnings.push(format!(
                    "{at}.package.ecosystem `{}` is not an OSV ecosystem",
                    pkg.ecosystem
                ));
            }
        } else if !affected
            .ranges
            .iter()
            .all(|r| RangeKind::parse(&r.kind) == Some(RangeKind::Git))
        {
            v.errors
                .push(format!("{at} has version ranges but no package"));
        }
        for (j, range) in affected.ranges.iter().enumerate() {
            let at = format!("{at}.ranges[{j}]");
            let Some(kind) = RangeKind::parse(&range.kind) else {
                v.errors.push(format!(
                    "{at}.type `{}` is not SEMVER, ECOSYSTEM or GIT",
                    range.kind
                ));
                continue;
            };
            if range.events.is_empty() {
                v.errors.push(format!("{at} has no events"));
                continue;
            }
            if kind == RangeKind::Git && range.repo.as_deref().is_none_or(str::is_empty) {
                v.errors.push(format!("{at} is a GIT range without `repo`"));
            }
            let mut introduced = false;
            for (k, raw) in range.events.iter().enumerate() {
                match raw.event() {
                    None => v.errors.push(format!(
                        "{at}.events[{k}] must have exactly one of introduced, fixed, last_affected, limit"
                    )),
                    Some(event) => {
                        introduced |= event.kind == super::EventKind::Introduced;
                        if event.version.trim().is_empty() {
                            v.errors.push(format!("{at}.events[{k}] has an empty version"));
                        } else if kind == RangeKind::Git
                            && event.version != "0"
                            && !is_full_commit(&event.version)
                        {
                            v.warnings.push(format!(
                                "{at}.events[{k}] `{}` is not a full-length commit hash",
                                event.version
                            ));
                        }
                    }
                }
            }
            if !introduced {
                v.errors.push(format!("{at} has no `introduced` event"));
            }
        }
    }
    for sev in record
        .severity
        .iter()
        .chain(record.affected.iter().flat_map(|a| &a.severity))
    {
        if !matches!(
            sev.kind.as_str(),
            "CVSS_V2" | "CVSS_V3" | "CVSS_V4" | "Ubuntu"
        ) {
            v.warnings
                .push(format!("severity type `{}` is not known", sev.kind));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osv::model::{Affected, Package, Range, RawEvent};

    fn record() -> OsvRecord {
        serde_json::from_str(r#"{"id":"GHSA-xxxx-yyyy-zzzz","modified":"2024-01-01T00:00:00Z"}"#)
            .unwrap()
    }

    #[test]
    fn timestamps() {
        assert!(is_timestamp("2024-01-01T00:00:00Z"));
        assert!(is_timestamp("2021-09-26T23:32:08.989778Z"));
        assert!(!is_timestamp("2024-01-01T00:00:00+00:00"));
        assert!(!is_timestamp("2024-01-01"));
    }

    #[test]
    fn finds_errors_and_warnings() {
        let mut r = record();
        assert!(validate(&r).is_valid());
        assert!(validate(&r).warnings.is_empty());
        r.id = "WEIRD-1".into();
        r.affected.push(Affected {
            package: Some(Package {
                ecosystem: "kubernetes".into(),
                name: "k8s.io/api".into(),
                purl: None,
            }),
            severity: vec![],
            ranges: vec![Range {
                kind: "ECOSYSTEM".into(),
                repo: None,
                events: vec![RawEvent {
                    fixed: Some("1.0".into()),
                    ..RawEvent::default()
                }],
                database_specific: None,
            }],
            versions: vec![],
            ecosystem_specific: None,
            database_specific: None,
        });
        let v = validate(&r);
        assert_eq!(
            v.errors,
            vec!["affected[0].ranges[0] has no `introduced` event".to_string()]
        );
        assert_eq!(v.warnings.len(), 2, "{:?}", v.warnings);
        r.affected[0].ranges[0].events[0].introduced = Some("0".into());
        assert!(!validate(&r).is_valid(), "two kinds in one event");
    }
}
