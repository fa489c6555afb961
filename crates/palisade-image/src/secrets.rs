//! Secrets in image files: private keys (PEM) and well-known token formats. Anchors are found
//! with one Aho-Corasick pass; each candidate is then checked against its format, so text that
//! merely mentions a format (`grep "BEGIN.*PRIVATE KEY"`) is not reported.

use aho_corasick::{AhoCorasick, MatchKind};
use palisade_core::redact;

/// The kind of secret found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SecretKind {
    PrivateKey,
    GcpServiceAccountKey,
    AwsAccessKeyId,
    GitHubToken,
    GitLabToken,
    SlackToken,
    SlackWebhook,
    StripeSecretKey,
    GoogleApiKey,
    NpmToken,
}

impl SecretKind {
    /// Human name, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            SecretKind::PrivateKey => "private key",
            SecretKind::GcpServiceAccountKey => "GCP service-account key",
            SecretKind::AwsAccessKeyId => "AWS access key ID",
            SecretKind::GitHubToken => "GitHub token",
            SecretKind::GitLabToken => "GitLab personal access token",
            SecretKind::SlackToken => "Slack token",
            SecretKind::SlackWebhook => "Slack webhook URL",
            SecretKind::StripeSecretKey => "Stripe secret key",
            SecretKind::GoogleApiKey => "Google API key",
            SecretKind::NpmToken => "npm access token",
        }
    }

    /// Whether this is key material (as opposed to an API token).
    pub fn is_key(self) -> bool {
        matches!(
            self,
            SecretKind::PrivateKey | SecretKind::GcpServiceAccountKey
        )
    }
}

/// One secret in one file of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretHit {
    pub kind: SecretKind,
    pub path: String,
    /// Layer that added the file.
    pub layer: usize,
    /// 1-based line in the file.
    pub line: u32,
    /// The secret, redacted for display.
    pub redacted: String,
    /// A later layer that deleted the file (the secret is still in the image's layers).
    pub removed_in_layer: Option<usize>,
}

#[derive(Clone, Copy)]
enum Tail {
    /// Exactly `n` characters of the class follow.
    Exact(usize, fn(u8) -> bool),
    /// At least `n` characters of the class follow.
    AtLeast(usize, fn(u8) -> bool),
    Pem,
}

struct Pattern {
    anchor: &'static str,
    kind: SecretKind,
    tail: Tail,
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
fn base32_upper(b: u8) -> bool {
    b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)
}
fn alnum_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}
fn alnum_dash_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}
fn alnum_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
fn webhook_path(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'_'
}

const PATTERNS: &[Pattern] = &[
    Pattern {
        anchor: "-----BEGIN ",
        kind: SecretKind::PrivateKey,
        tail: Tail::Pem,
    },
    Pattern {
        anchor: "AKIA",
        kind: SecretKind::AwsAccessKeyId,
        tail: Tail::Exact(16, base32_upper),
    },
    Pattern {
        anchor: "ASIA",
        kind: SecretKind::AwsAccessKeyId,
        tail: Tail::Exact(16, base32_upper),
    },
    Pattern {
        anchor: "ghp_",
        kind: SecretKind::GitHubToken,
        tail: Tail::Exact(36, alnum),
    },
    Pattern {
        anchor: "gho_",
        kind: SecretKind::GitHubToken,
        tail: Tail::Exact(36, alnum),
    },
    Pattern {
        anchor: "ghu_",
        kind: SecretKind::GitHubToken,
        tail: Tail::Exact(36, alnum),
    },
    Pattern {
        anchor: "ghs_",
        kind: SecretKind::GitHubToken,
        tail: Tail::Exact(36, alnum),
    },
    Pattern {
        anchor: "ghr_",
        kind: SecretKind::GitHubToken,
        tail: Tail::Exact(36, alnum),
    },
    Pattern {
        anchor: "github_pat_",
        kind: SecretKind::GitHubToken,
        tail: Tail::Exact(82, alnum_underscore),
    },
    Pattern {
        anchor: "glpat-",
        kind: SecretKind::GitLabToken,
        tail: Tail::Exact(20, alnum_dash_underscore),
    },
    Pattern {
        anchor: "xoxb-",
        kind: SecretKind::SlackToken,
        tail: Tail::AtLeast(20, alnum_dash),
    },
    Pattern {
        anchor: "xoxp-",
        kind: SecretKind::SlackToken,
        tail: Tail::AtLeast(20, alnum_dash),
    },
    Pattern {
        anchor: "xoxa-",
        kind: SecretKind::SlackToken,
        tail: Tail::AtLeast(20, alnum_dash),
    },
    Pattern {
        anchor: "xoxr-",
        kind: SecretKind::SlackToken,
        tail: Tail::AtLeast(20, alnum_dash),
    },
    Pattern {
        anchor: "xoxs-",
        kind: SecretKind::SlackToken,
        tail: Tail::AtLeast(20, alnum_dash),
    },
    Pattern {
        anchor: "https://hooks.slack.com/services/T",
        kind: SecretKind::SlackWebhook,
        tail: Tail::AtLeast(30, webhook_path),
    },
    Pattern {
        anchor: "sk_live_",
        kind: SecretKind::StripeSecretKey,
        tail: Tail::AtLeast(24, alnum),
    },
    Pattern {
        anchor: "rk_live_",
        kind: SecretKind::StripeSecretKey,
        tail: Tail::AtLeast(24, alnum),
    },
    Pattern {
        anchor: "AIza",
        kind: SecretKind::GoogleApiKey,
        tail: Tail::Exact(35, alnum_dash_underscore),
    },
    Pattern {
        anchor: "npm_",
        kind: SecretKind::NpmToken,
        tail: Tail::Exact(36, alnum),
    },
];

/// Finds secrets in file contents.
pub struct SecretScanner {
    automaton: AhoCorasick,
}

impl Default for SecretScanner {
    fn default() -> Self {
        Self::new()
    }
}

fn run_len(bytes: &[u8], class: fn(u8) -> bool) -> usize {
    bytes.iter().take_while(|b| class(**b)).count()
}

/// Checks a PEM header at `start` (just after `-----BEGIN `): the label must name a private
/// key, and base64 key material must follow. Returns the end of the material checked.
fn pem_private_key(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    let rest = &bytes[start..];
    let label_len = rest.iter().take(64).position(|b| *b == b'-')?;
    let label = std::str::from_utf8(&rest[..label_len]).ok()?;
    if !(label.ends_with("PRIVATE KEY") || label == "PGP PRIVATE KEY BLOCK") {
        return None;
    }
    if !rest[label_len..].starts_with(b"-----") {
        return None;
    }
    // Line by line (real or JSON-escaped breaks): skip blank and RFC 1421 header lines
    // (`Proc-Type: 4,ENCRYPTED`), then demand a line of base64 key material.
    let mut i = label_len + 5;
    for _ in 0..6 {
        if rest[i..].starts_with(b"\r\n") {
            i += 2;
        } else if rest[i..].starts_with(b"\n") || rest[i..].starts_with(b"\\n") {
            i += if rest[i] == b'\n' { 1 } else { 2 };
        } else {
            return None;
        }
        let line_end = rest[i..]
            .iter()
            .position(|b| matches!(b, b'\n' | b'\r' | b'\\'))
            .map_or(rest.len(), |p| i + p);
        let line = &rest[i..line_end];
        if line.is_empty() || line.contains(&b':') {
            i = line_end;
            continue;
        }
        let base64 = line
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='));
        return (base64 && line.len() >= 40)
            .then_some((start - "-----BEGIN ".len(), start + line_end));
    }
    None
}

impl SecretScanner {
    pub fn new() -> Self {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(PATTERNS.iter().map(|p| p.anchor))
            .unwrap_or_else(|_| unreachable!("the anchors are valid literals"));
        SecretScanner { automaton }
    }

    /// Every secret in `contents` (one file of `layer`).
    pub fn scan(&self, path: &str, layer: usize, contents: &[u8]) -> Vec<SecretHit> {
        let mut hits: Vec<SecretHit> = Vec::new();
        let mut last_end = 0;
        for m in self.automaton.find_iter(contents) {
            if m.start() < last_end {
                continue;
            }
            let pattern = &PATTERNS[m.pattern().as_usize()];
            let after = &contents[m.end()..];
            let found = match pattern.tail {
                Tail::Pem => pem_private_key(contents, m.end()),
                Tail::Exact(n, class) => {
                    let run = run_len(after, class);
                    let before_ok = m.start() == 0 || !alnum(contents[m.start() - 1]);
                    (run == n && before_ok).then_some((m.start(), m.end() + n))
                }
                Tail::AtLeast(n, class) => {
                    let run = run_len(after, class);
                    let before_ok = m.start() == 0 || !alnum(contents[m.start() - 1]);
                    (run >= n && before_ok).then_some((m.start(), m.end() + run))
                }
            };
            let Some((start, end)) = found else {
                continue;
            };
            last_end = end;
            #[allow(clippy::naive_bytecount)] // one count per hit; not a hot path
            let line = 1 + contents[..start].iter().filter(|b| **b == b'\n').count();
            let text = String::from_utf8_lossy(&contents[start..end]);
            let shown = if pattern.kind == SecretKind::PrivateKey {
                // The header says what it is; redact the key material only.
                let header_end = text
                    .find("-----\\n")
                    .map(|i| i + 5)
                    .or_else(|| text.match_indices("-----").nth(1).map(|(i, _)| i + 5));
                match header_end {
                    Some(h) => format!(
                        "{} {}",
                        &text[..h],
                        redact(text[h..].trim_start_matches(['\n', '\r', '\\', 'n']))
                    ),
                    None => redact(&text),
                }
            } else {
                redact(&text)
            };
            hits.push(SecretHit {
                kind: pattern.kind,
                path: path.to_string(),
                layer,
                line: u32::try_from(line).unwrap_or(u32::MAX),
                redacted: shown,
                removed_in_layer: None,
            });
        }
        // A service-account JSON carries its private key: report the key as what it is.
        if hits.iter().any(|h| h.kind == SecretKind::PrivateKey)
            && contents
                .windows(b"service_account".len())
                .any(|w| w == b"service_account")
            && contents
                .windows(b"\"private_key\"".len())
                .any(|w| w == b"\"private_key\"")
        {
            for h in &mut hits {
                if h.kind == SecretKind::PrivateKey {
                    h.kind = SecretKind::GcpServiceAccountKey;
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<SecretKind> {
        SecretScanner::new()
            .scan("f", 0, text.as_bytes())
            .into_iter()
            .map(|h| h.kind)
            .collect()
    }

    const BODY: &str = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi+Z1B2d3F3aGVyZXZlcnl0aGluZw==";

    #[test]
    fn finds_private_keys_but_not_mentions() {
        let pem =
            format!("x\n-----BEGIN RSA PRIVATE KEY-----\n{BODY}\n-----END RSA PRIVATE KEY-----\n");
        let hits = SecretScanner::new().scan("k", 2, pem.as_bytes());
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].kind, hits[0].line, hits[0].layer),
            (SecretKind::PrivateKey, 2, 2)
        );
        assert!(
            hits[0]
                .redacted
                .starts_with("-----BEGIN RSA PRIVATE KEY-----"),
            "{}",
            hits[0].redacted
        );
        assert!(
            !hits[0].redacted.contains("3Tz2mr7"),
            "{}",
            hits[0].redacted
        );
        assert!(kinds("grep -q '-----BEGIN RSA PRIVATE KEY-----' \"$f\"").is_empty());
        assert!(kinds(&format!("-----BEGIN CERTIFICATE-----\n{BODY}\n")).is_empty());
        let encrypted = format!(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,ABC\n\n{BODY}\n"
        );
        assert_eq!(kinds(&encrypted), [SecretKind::PrivateKey]);
    }

    #[test]
    fn service_account_json() {
        let json = format!(
            r#"{{"type": "service_account", "project_id": "p", "private_key": "-----BEGIN PRIVATE KEY-----\n{BODY}\n-----END PRIVATE KEY-----\n"}}"#
        );
        assert_eq!(kinds(&json), [SecretKind::GcpServiceAccountKey]);
    }

    #[test]
    fn token_formats() {
        let gh = format!("token=ghp_{}", "a1B2".repeat(9));
        assert_eq!(kinds(&gh), [SecretKind::GitHubToken]);
        assert!(kinds(&format!("ghp_{}", "a".repeat(35))).is_empty());
        assert_eq!(
            kinds("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"),
            [SecretKind::AwsAccessKeyId]
        );
        assert!(kinds("XAKIAIOSFODNN7EXAMPLE").is_empty());
        assert!(kinds("AKIAIOSFODNN7EXAMPLEX").is_empty());
        assert_eq!(
            kinds(&format!(
                "SLACK=xoxb-{}-{}",
                "1234567890", "abcdefghijklmnopqrstuvwx"
            )),
            [SecretKind::SlackToken]
        );
        assert_eq!(
            kinds(&format!("glpat-{}", "x".repeat(20))),
            [SecretKind::GitLabToken]
        );
        assert_eq!(
            kinds(&format!("AIza{}", "B".repeat(35))),
            [SecretKind::GoogleApiKey]
        );
        assert_eq!(
            kinds(&format!("k=sk_live_{}", "9".repeat(24))),
            [SecretKind::StripeSecretKey]
        );
        assert!(kinds("plain text with no secrets, xoxb- and npm_ alone").is_empty());
    }
}
