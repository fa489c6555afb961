//! Maven versions, ordered by the "Version Order Specification" of the POM reference (the rules
//! `ComparableVersion` implements):
//!
//! - split on `.`, `-` and on every digit/letter transition (a transition counts as `-`); empty
//!   tokens are `0`; a qualifier always counts as `-qualifier` (Maven 3.9, MNG-7644);
//! - trim trailing "null" tokens (`0`, `""`, `final`, `ga`, `release`), and again before every
//!   remaining `-`, from the end to the start;
//! - compare token by token, padding the shorter side with the null token of the other side's
//!   separator; qualifiers `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final =
//!   release < sp < (others, alphabetically)`; `.qualifier = -qualifier < -number < .number`.

use std::cmp::Ordering;

use super::num::Num;
use super::{VersionError, VersionScheme};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Sep {
    Dot,
    Hyphen,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Tok {
    Num(Num),
    /// Qualifier rank (0..=6 for the known ones, 7 for any other) and its text.
    Qual(u8, String),
}

impl Tok {
    fn is_null(&self) -> bool {
        match self {
            Tok::Num(n) => n.is_zero(),
            Tok::Qual(_, q) => q.is_empty(),
        }
    }

    fn qualifier(text: &str, followed_by_digit: bool) -> Tok {
        let text = match text {
            "a" if followed_by_digit => "alpha",
            "b" if followed_by_digit => "beta",
            "m" if followed_by_digit => "milestone",
            "cr" => "rc",
            "ga" | "final" | "release" => "",
            other => other,
        };
        let rank = match text {
            "alpha" => 0,
            "beta" => 1,
            "milestone" => 2,
            "rc" => 3,
            "snapshot" => 4,
            "" => 5,
            "sp" => 6,
            _ => 7,
        };
        Tok::Qual(rank, text.to_string())
    }
}

/// A Maven artifact version.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    tokens: Vec<(Sep, Tok)>,
}

impl MavenVersion {
    pub fn parse(s: &str) -> Result<MavenVersion, VersionError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(VersionError::new(VersionScheme::Maven, s, "empty version"));
        }
        let lower = t.to_lowercase();
        let mut tokens = tokenize(&lower);
        normalize(&mut tokens);
        Ok(MavenVersion { tokens })
    }
}

fn tokenize(s: &str) -> Vec<(Sep, Tok)> {
    let mut tokens = Vec::new();
    let mut sep = Sep::Dot;
    let mut current = String::new();
    let mut current_is_digit = false;
    let push =
        |tokens: &mut Vec<(Sep, Tok)>, sep: Sep, text: &str, is_digit: bool, next_digit: bool| {
            if text.is_empty() {
                tokens.push((sep, Tok::Num(Num::default())));
            } else if is_digit {
                tokens.push((sep, Tok::Num(Num::new(text))));
            } else {
                // `.qualifier` is read as `-qualifier` (Maven 3.9, MNG-7644), so `1.0.foo` is `1-foo`.
                tokens.push((Sep::Hyphen, Tok::qualifier(text, next_digit)));
            }
        };
    for c in s.chars() {
        if c == '.' || c == '-' {
            push(&mut tokens, sep, &current, current_is_digit, false);
            current.clear();
            sep = if c == '.' { Sep::Dot } else { Sep::Hyphen };
        } else {
            let is_digit = c.is_ascii_digit();
            if !current.is_empty() && is_digit != current_is_digit {
                push(&mut tokens, sep, &current, current_is_digit, is_digit);
                current.clear();
                sep = Sep::Hyphen;
            }
            current_is_digit = is_digit;
            current.push(c);
        }
    }
    if !current.is_empty() {
        push(&mut tokens, sep, &current, current_is_digit, false);
    }
    tokens
}

fn normalize(tokens: &mut Vec<(Sep, Tok)>) {
    while tokens.last().is_some_and(|(_, t)| t.is_null()) {
        tokens.pop();
    }
    let mut i = tokens.len();
    while i > 1 {
        i -= 1;
        if tokens[i].0 == Sep::Hyphen {
            while i > 0 && tokens[i - 1].1.is_null() {
                tokens.remove(i - 1);
                i -= 1;
            }
        }
    }
}

fn cmp_token(a: &(Sep, Tok), b: &(Sep, Tok)) -> Ordering {
    match (&a.1, &b.1) {
        (Tok::Qual(ra, qa), Tok::Qual(rb, qb)) => ra.cmp(rb).then_with(|| qa.cmp(qb)),
        (Tok::Qual(..), Tok::Num(_)) => Ordering::Less,
        (Tok::Num(_), Tok::Qual(..)) => Ordering::Greater,
        (Tok::Num(x), Tok::Num(y)) => match (a.0, b.0) {
            (Sep::Dot, Sep::Dot) | (Sep::Hyphen, Sep::Hyphen) => x.cmp(y),
            (Sep::Hyphen, Sep::Dot) => Ordering::Less,
            (Sep::Dot, Sep::Hyphen) => Ordering::Greater,
        },
    }
}

fn padding(sep: Sep) -> (Sep, Tok) {
    match sep {
        Sep::Dot => (Sep::Dot, Tok::Num(Num::default())),
        Sep::Hyphen => (Sep::Hyphen, Tok::qualifier("", false)),
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.tokens.len().max(other.tokens.len());
        for i in 0..n {
            let ord = match (self.tokens.get(i), other.tokens.get(i)) {
                (Some(a), Some(b)) => cmp_token(a, b),
                (Some(a), None) => cmp_token(a, &padding(a.0)),
                (None, Some(b)) => cmp_token(&padding(b.0), b),
                (None, None) => Ordering::Equal,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> MavenVersion {
        MavenVersion::parse(s).unwrap()
    }

    #[test]
    fn spec_examples() {
        assert!(v("1") < v("1.1"));
        assert!(v("1-snapshot") < v("1"));
        assert!(v("1") < v("1-sp"));
        assert!(v("1-foo2") < v("1-foo10"));
        assert_eq!(v("1.foo"), v("1-foo"));
        assert!(v("1-foo") < v("1-1"));
        assert!(v("1-1") < v("1.1"));
        assert_eq!(v("1.ga"), v("1-0"));
        assert_eq!(v("1-a1"), v("1-alpha-1"));
        assert!(v("1-sp.1") > v("1-sp-1"));
        assert!(v("1.foo") > v("1"));
        assert_eq!(v("2.0.0.x"), v("2-x"));
        assert!(MavenVersion::parse("").is_err());
    }
}
