//! Arbitrary-length decimal numbers compared without converting them (version components such
//! as `20190126230843` or thirty-digit numbers overflow every fixed-width integer).

use std::cmp::Ordering;

/// Compares two strings of ASCII digits by numeric value. Leading zeros do not count.
pub(crate) fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// A decimal number kept as its digits without leading zeros (`""` is zero).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct Num(String);

impl Num {
    /// `digits` must be ASCII digits only (not checked beyond a debug assertion).
    pub(crate) fn new(digits: &str) -> Num {
        debug_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        Num(digits.trim_start_matches('0').to_string())
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Splits the longest prefix of ASCII digits off `s`.
pub(crate) fn split_digits(s: &str) -> (&str, &str) {
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    s.split_at(end)
}

/// Splits the longest prefix of ASCII letters off `s`.
pub(crate) fn split_alpha(s: &str) -> (&str, &str) {
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(s.len());
    s.split_at(end)
}

pub(crate) fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(cmp_digits("010", "9"), Ordering::Greater);
        assert_eq!(cmp_digits("000", ""), Ordering::Equal);
        assert_eq!(
            cmp_digits(
                "999999999999999999999999999991",
                "999999999999999999999999999999"
            ),
            Ordering::Less
        );
        assert!(Num::new("0").is_zero());
        assert!(Num::new("12") > Num::new("9"));
        assert_eq!(split_digits("12ab"), ("12", "ab"));
        assert_eq!(split_alpha("ab12"), ("ab", "12"));
    }
}
