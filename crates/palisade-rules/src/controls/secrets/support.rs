//! Helpers the secrets controls share: sensitive names, plausible secret values, and
//! hand-written matchers for well-known credential formats.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::ControlParams;

/// True when `name` contains one of the `sensitive-key-names` substrings (case-insensitive)
/// and is not a pointer to a file or directory holding the secret (`*_FILE`, `*_PATH`,
/// `*_DIR`, the Docker-secrets convention).
pub(crate) fn is_sensitive_name(name: &str, params: &ControlParams) -> bool {
    let lower = name.to_ascii_lowercase();
    if ["_file", "-file", "_path", "-path", "_dir", "-dir"]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
    {
        return false;
    }
    params
        .sensitive_key_names
        .iter()
        .any(|needle| !needle.is_empty() && lower.contains(&needle.to_ascii_lowercase()))
}

/// True when a literal value could be a credential: not empty, not a boolean or a number
/// (`AUTH_ENABLED: "true"`, `TOKEN_TTL: "3600"`), and not only a `$(VAR)` reference to another
/// environment variable.
pub(crate) fn could_be_secret(value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() || value.parse::<f64>().is_ok() {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none"
    ) {
        return false;
    }
    let only_reference = value.len() > 3
        && value.starts_with("$(")
        && value.ends_with(')')
        && !value[2..value.len() - 1].contains(['(', ')', '$']);
    !only_reference
}

/// A credential found in a value: what it looks like and the matching text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub kind: &'static str,
    pub text: &'a str,
}

/// The first well-known credential in `value`, if any.
pub(crate) fn find_token(value: &str) -> Option<Token<'_>> {
    // Nearly every value holds none of the markers: one pass over it settles that, instead of
    // a search per format.
    if !MARKERS.is_match(value) {
        return None;
    }
    private_key(value)
        .or_else(|| prefixed(value))
        .or_else(|| jwt(value))
}

/// Every literal a credential format starts with.
static MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let markers = PREFIXED
        .iter()
        .flat_map(|format| format.prefixes.iter().copied())
        .chain([PRIVATE_KEY_MARKER, JWT_MARKER]);
    AhoCorasick::new(markers).expect("credential markers are valid patterns")
});

const PRIVATE_KEY_MARKER: &str = "-----BEGIN ";
const JWT_MARKER: &str = "eyJ";

fn upper_or_digit(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn base64url(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// A token format: a literal prefix, then at least `min` (and at most `max`) characters of
/// `class`, not glued to a preceding word character.
struct Prefixed {
    kind: &'static str,
    prefixes: &'static [&'static str],
    class: fn(char) -> bool,
    min: usize,
    max: usize,
}

const PREFIXED: &[Prefixed] = &[
    Prefixed {
        kind: "AWS access key ID",
        prefixes: &["AKIA", "ASIA"],
        class: upper_or_digit,
        min: 16,
        max: 16,
    },
    Prefixed {
        kind: "GitHub token",
        prefixes: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        class: alnum,
        min: 36,
        max: 255,
    },
    Prefixed {
        kind: "GitHub fine-grained token",
        prefixes: &["github_pat_"],
        class: |c| alnum(c) || c == '_',
        min: 22,
        max: 255,
    },
    Prefixed {
        kind: "Slack token",
        prefixes: &["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"],
        class: |c| alnum(c) || c == '-',
        min: 10,
        max: 255,
    },
    Prefixed {
        kind: "Google API key",
        prefixes: &["AIza"],
        class: base64url,
        min: 35,
        max: 35,
    },
    Prefixed {
        kind: "Stripe secret key",
        prefixes: &["sk_live_", "rk_live_"],
        class: alnum,
        min: 24,
        max: 255,
    },
];

fn prefixed(value: &str) -> Option<Token<'_>> {
    for format in PREFIXED {
        for prefix in format.prefixes {
            for (start, _) in value.match_indices(prefix) {
                let glued = value[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
                if glued {
                    continue;
                }
                let body_start = start + prefix.len();
                let body = value[body_start..]
                    .find(|c: char| !(format.class)(c))
                    .map_or(&value[body_start..], |end| {
                        &value[body_start..body_start + end]
                    });
                if (format.min..=format.max).contains(&body.len()) {
                    return Some(Token {
                        kind: format.kind,
                        text: &value[start..body_start + body.len()],
                    });
                }
            }
        }
    }
    None
}

/// A PEM private key block header: `-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED ]PRIVATE KEY-----`.
/// The whole value is the secret.
fn private_key(value: &str) -> Option<Token<'_>> {
    let start = value.find(PRIVATE_KEY_MARKER)?;
    let header_end = value[start + 11..].find("-----")? + start + 11;
    value[start + 11..header_end]
        .ends_with("PRIVATE KEY")
        .then_some(Token {
            kind: "private key",
            text: value,
        })
}

/// A JSON Web Token: three base64url segments joined by dots, the first two JSON objects
/// (so starting with `eyJ`, the encoding of `{"`).
fn jwt(value: &str) -> Option<Token<'_>> {
    let mut rest = value;
    let mut offset = 0;
    while let Some(found) = rest.find(JWT_MARKER) {
        let start = offset + found;
        let glued = value[..start]
            .chars()
            .next_back()
            .is_some_and(|c| base64url(c) || c == '.');
        let end = value[start..]
            .find(|c: char| !(base64url(c) || c == '.'))
            .map_or(value.len(), |e| start + e);
        let candidate = &value[start..end];
        let parts: Vec<&str> = candidate.split('.').collect();
        if !glued
            && parts.len() == 3
            && parts[1].starts_with("eyJ")
            && parts.iter().all(|p| p.len() >= 10)
        {
            return Some(Token {
                kind: "JSON Web Token",
                text: candidate,
            });
        }
        offset = start + 3;
        rest = &value[offset..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(value: &str) -> Option<&'static str> {
        find_token(value).map(|t| t.kind)
    }

    #[test]
    fn sensitive_names() {
        let params = ControlParams::default();
        assert!(is_sensitive_name("DB_PASSWORD", &params));
        assert!(is_sensitive_name("stripe-api-key", &params));
        assert!(is_sensitive_name("GITHUB_TOKEN", &params));
        assert!(!is_sensitive_name("DB_PASSWORD_FILE", &params));
        assert!(!is_sensitive_name("LOG_LEVEL", &params));
    }

    #[test]
    fn values_that_cannot_be_secrets() {
        assert!(could_be_secret("hunter2"));
        assert!(could_be_secret("$(A)$(B)x"));
        assert!(!could_be_secret(""));
        assert!(!could_be_secret("  "));
        assert!(!could_be_secret("true"));
        assert!(!could_be_secret("3600"));
        assert!(!could_be_secret("$(DB_PASSWORD)"));
    }

    #[test]
    fn aws_keys() {
        assert_eq!(kind("AKIAIOSFODNN7EXAMPLE"), Some("AWS access key ID"));
        assert_eq!(kind("key=ASIAIOSFODNN7EXAMPLE;"), Some("AWS access key ID"));
        assert_eq!(kind("AKIAIOSFODNN7EXAMPL"), None, "too short");
        assert_eq!(kind("AKIAIOSFODNN7EXAMPLEX"), None, "too long");
        assert_eq!(kind("XAKIAIOSFODNN7EXAMPLE"), None, "glued");
        assert_eq!(
            find_token("id: AKIAIOSFODNN7EXAMPLE").map(|t| t.text),
            Some("AKIAIOSFODNN7EXAMPLE")
        );
    }

    #[test]
    fn github_slack_google_stripe() {
        let ghp = format!("ghp_{}", "a1B2".repeat(9));
        assert_eq!(kind(&ghp), Some("GitHub token"));
        assert_eq!(kind("ghp_short"), None);
        let pat = format!("github_pat_{}", "A1_b".repeat(20));
        assert_eq!(kind(&pat), Some("GitHub fine-grained token"));
        assert_eq!(kind("xoxb-123456789012-abcdefABCDEF"), Some("Slack token"));
        assert_eq!(kind("xoxb-short"), None);
        let google = format!("AIza{}", "Sy_a-1".repeat(6).get(..35).unwrap());
        assert_eq!(kind(&google), Some("Google API key"));
        assert_eq!(
            kind("sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            Some("Stripe secret key")
        );
        assert_eq!(kind("sk_test_4eC39HqLyjWDarjtT1zdp7dc"), None);
    }

    #[test]
    fn private_keys() {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(kind(pem), Some("private key"));
        assert_eq!(
            kind("-----BEGIN OPENSSH PRIVATE KEY-----"),
            Some("private key")
        );
        assert_eq!(kind("-----BEGIN CERTIFICATE-----\nMIIB\n"), None);
        assert_eq!(kind("-----BEGIN PUBLIC KEY-----"), None);
    }

    #[test]
    fn json_web_tokens() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl";
        assert_eq!(kind(token), Some("JSON Web Token"));
        assert_eq!(
            find_token(&format!("Bearer {token}")).map(|t| t.text),
            Some(token)
        );
        assert_eq!(kind("eyJhbGciOiJIUzI1NiJ9"), None, "one segment");
        assert_eq!(kind("eyJhbGciOiJIUzI1NiJ9.notjson12345.c2lnbmF0dXJl"), None);
    }
}
