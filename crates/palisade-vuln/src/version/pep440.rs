//! Python versions, PEP 440 (<https://peps.python.org/pep-0440/>) with its normalisation rules
//! (case, `v` prefix, alternative spellings and separators of pre/post/dev releases, implicit
//! post releases, local versions).
//!
//! Strings PEP 440 rejects are ordered the way setuptools ordered them before PEP 440 ("legacy"
//! versions), all below every valid version, because PyPI still carries such releases.

use super::num::{Num, split_digits};
use super::{VersionError, VersionScheme};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum PreLabel {
    Alpha,
    Beta,
    Rc,
}

/// Where the pre-release part sorts: `1.0.dev1` < `1.0a1` < `1.0`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum PreKey {
    DevOnly,
    Pre(PreLabel, Num),
    Final,
}

/// A dev release sorts before the same version without one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum DevKey {
    Dev(Num),
    NotDev,
}

/// Local version segments: numbers sort above strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum LocalSeg {
    Str(String),
    Num(Num),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    epoch: Num,
    release: Vec<Num>,
    pre: PreKey,
    post: Option<Num>,
    dev: DevKey,
    local: Option<Vec<LocalSeg>>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Inner {
    /// Not PEP 440; setuptools' historical ordering key.
    Legacy(Vec<String>),
    Valid(Key),
}

/// A Python package version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pep440Version(Inner);

impl Pep440Version {
    pub fn parse(s: &str) -> Result<Pep440Version, VersionError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(VersionError::new(VersionScheme::Pep440, s, "empty version"));
        }
        let lower = t.to_ascii_lowercase();
        Ok(Pep440Version(match parse_valid(&lower) {
            Some(key) => Inner::Valid(key),
            None => Inner::Legacy(legacy_key(&lower)),
        }))
    }

    /// Whether the string is a valid PEP 440 version (rather than a legacy one).
    pub fn is_pep440(&self) -> bool {
        matches!(self.0, Inner::Valid(_))
    }
}

/// A tiny cursor over the lower-cased version text.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.strip_prefix(prefix) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }

    fn eat_sep(&mut self) -> bool {
        self.eat("-") || self.eat("_") || self.eat(".")
    }

    fn digits(&mut self) -> Option<&'a str> {
        let (d, r) = split_digits(self.rest);
        if d.is_empty() {
            None
        } else {
            self.rest = r;
            Some(d)
        }
    }

    /// Tries `[-_.]? label [-_.]? number?` for one of `labels` (longest spelling first); returns
    /// the index of the label and the number (zero when absent).
    fn labelled(&mut self, labels: &[&str]) -> Option<(usize, Num)> {
        let save = self.rest;
        self.eat_sep();
        for (i, label) in labels.iter().enumerate() {
            if self.eat(label) {
                let before_sep = self.rest;
                self.eat_sep();
                let n = if let Some(d) = self.digits() {
                    Num::new(d)
                } else {
                    self.rest = before_sep;
                    Num::default()
                };
                return Some((i, n));
            }
        }
        self.rest = save;
        None
    }
}

const PRE: [&str; 8] = ["alpha", "a", "beta", "b", "preview", "pre", "rc", "c"];

fn parse_valid(s: &str) -> Option<Key> {
    let mut c = Cursor {
        rest: s.strip_prefix('v').unwrap_or(s),
    };
    let first = c.digits()?;
    let epoch;
    let mut release = Vec::new();
    if c.eat("!") {
        epoch = Num::new(first);
        release.push(Num::new(c.digits()?));
    } else {
        epoch = Num::default();
        release.push(Num::new(first));
    }
    loop {
        let save = c.rest;
        if let Some(d) = c.eat(".").then(|| c.digits()).flatten() {
            release.push(Num::new(d));
            continue;
        }
        c.rest = save;
        break;
    }
    while release.last().is_some_and(Num::is_zero) {
        release.pop();
    }

    let pre = c.labelled(&PRE).map(|(i, n)| {
        let label = match PRE[i] {
            "alpha" | "a" => PreLabel::Alpha,
            "beta" | "b" => PreLabel::Beta,
            _ => PreLabel::Rc,
        };
        (label, n)
    });

    let post = {
        let save = c.rest;
        if c.eat("-") && c.digits().is_some() {
            let digits = &save[1..save.len() - c.rest.len()];
            Some(Num::new(digits))
        } else {
            c.rest = save;
            c.labelled(&["post", "rev", "r"]).map(|(_, n)| n)
        }
    };
    let dev = c.labelled(&["dev"]).map(|(_, n)| n);

    let local = if c.eat("+") {
        let segs: Vec<&str> = c.rest.split(['.', '-', '_']).collect();
        if segs
            .iter()
            .any(|seg| seg.is_empty() || !seg.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return None;
        }
        c.rest = "";
        Some(
            segs.into_iter()
                .map(|seg| {
                    if seg.bytes().all(|b| b.is_ascii_digit()) {
                        LocalSeg::Num(Num::new(seg))
                    } else {
                        LocalSeg::Str(seg.to_string())
                    }
                })
                .collect(),
        )
    } else {
        None
    };
    if !c.rest.is_empty() {
        return None;
    }

    let pre_key = match (&pre, &post, &dev) {
        (None, None, Some(_)) => PreKey::DevOnly,
        (None, _, _) => PreKey::Final,
        (Some((label, n)), _, _) => PreKey::Pre(*label, n.clone()),
    };
    Some(Key {
        epoch,
        release,
        pre: pre_key,
        post,
        dev: dev.map_or(DevKey::NotDev, DevKey::Dev),
        local,
    })
}

/// Splits like the historical `(\d+|[a-z]+|\.|-)` tokenizer, keeping the text between matches.
fn legacy_tokens(s: &str) -> Vec<&str> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut other_start: Option<usize> = None;
    while i < bytes.len() {
        let b = bytes[i];
        let len = if b.is_ascii_digit() {
            bytes[i..].iter().take_while(|c| c.is_ascii_digit()).count()
        } else if b.is_ascii_lowercase() {
            bytes[i..]
                .iter()
                .take_while(|c| c.is_ascii_lowercase())
                .count()
        } else if b == b'.' || b == b'-' {
            1
        } else {
            other_start.get_or_insert(i);
            i += 1;
            continue;
        };
        if let Some(start) = other_start.take() {
            out.push(&s[start..i]);
        }
        out.push(&s[i..i + len]);
        i += len;
    }
    if let Some(start) = other_start {
        out.push(&s[start..]);
    }
    out
}

fn legacy_key(s: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut pieces: Vec<String> = Vec::new();
    for tok in legacy_tokens(s) {
        let tok = match tok {
            "pre" | "preview" | "rc" => "c",
            "-" => "final-",
            "dev" => "@",
            other => other,
        };
        if tok.is_empty() || tok == "." {
            continue;
        }
        if tok.as_bytes()[0].is_ascii_digit() {
            pieces.push(format!("{tok:0>8}"));
        } else {
            pieces.push(format!("*{tok}"));
        }
    }
    pieces.push("*final".to_string());
    for piece in pieces {
        if piece.starts_with('*') {
            if piece.as_str() < "*final" {
                while parts.last().is_some_and(|p| p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| p == "00000000") {
                parts.pop();
            }
        }
        parts.push(piece);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Pep440Version {
        Pep440Version::parse(s).unwrap()
    }

    #[test]
    fn normalisation() {
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("V1.0A1"), v("1.0a1"));
        assert_eq!(v("1.0-alpha.1"), v("1.0a1"));
        assert_eq!(v("1.0.post1"), v("1.0-1"));
        assert_eq!(v("1.0rev"), v("1.0.post0"));
        assert_eq!(v("1.0-dev"), v("1.0.dev0"));
        assert_eq!(v("1.0c1"), v("1.0rc1"));
        assert!(v("1.0").is_pep440());
        assert!(!v("1.0-bulbasaur").is_pep440());
    }

    #[test]
    fn ordering_examples_from_pep() {
        let chain = [
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
            "1!0.1",
        ];
        for w in chain.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn legacy_sorts_first() {
        assert!(v("0.9-ivysaur") < v("0.1"));
        assert!(v("0.1-bulbasaur") < v("0.1-charmander"));
        assert!(Pep440Version::parse("  ").is_err());
    }
}
