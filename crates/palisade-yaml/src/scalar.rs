//! Scalar typing.
//!
//! Kubernetes decodes manifests with `sigs.k8s.io/yaml`, which hands plain scalars to go-yaml v2's
//! resolver (YAML 1.1 flavoured). [`resolve_k8s`] reproduces that resolver; [`resolve_core`]
//! is the YAML 1.2 core schema most other tools use. Where the two disagree on a plain scalar the
//! loader reports an ambiguity.

use serde_json::{Number, Value};

/// The typed reading of a scalar, before it becomes a JSON value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Typed {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    /// May be infinite or NaN (`.inf`, `.nan`); those stay strings in JSON.
    Float(f64),
    Str,
}

impl Typed {
    /// The JSON value of this reading of `raw`.
    pub(crate) fn into_value(self, raw: String) -> Value {
        match self {
            Typed::Null => Value::Null,
            Typed::Bool(b) => Value::Bool(b),
            Typed::Int(i) => Value::Number(i.into()),
            Typed::UInt(u) => Value::Number(u.into()),
            Typed::Float(f) => match Number::from_f64(f) {
                Some(n) => Value::Number(n),
                None => Value::String(raw),
            },
            Typed::Str => Value::String(raw),
        }
    }

    /// Whether two readings mean the same thing (numbers compare by value, so `08` read as the
    /// float 8 and as the integer 8 agree).
    pub(crate) fn same_meaning(self, other: Typed) -> bool {
        match (self.as_f64(), other.as_f64()) {
            // Exact comparison is intended: both readings come from the same text.
            #[allow(clippy::float_cmp)]
            (Some(a), Some(b)) => a == b || (a.is_nan() && b.is_nan()),
            _ => self == other,
        }
    }

    #[allow(clippy::cast_precision_loss)]
    fn as_f64(self) -> Option<f64> {
        match self {
            Typed::Int(i) => Some(i as f64),
            Typed::UInt(u) => Some(u as f64),
            Typed::Float(f) => Some(f),
            _ => None,
        }
    }
}

/// go-yaml v2's first-character hint: which resolution paths a scalar can take.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hint {
    /// Cannot be anything but a string.
    None,
    /// A word from the fixed table (null, booleans).
    Map,
    /// A digit or sign: integer or float.
    Number,
    /// A leading dot: `.inf`, `.nan` or a float like `.5`.
    Dot,
}

fn hint(first: u8) -> Hint {
    match first {
        b'0'..=b'9' | b'+' | b'-' => Hint::Number,
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => Hint::Map,
        b'.' => Hint::Dot,
        _ => Hint::None,
    }
}

/// The fixed words go-yaml v2 resolves (its `resolveMap`), except the merge key.
fn k8s_word(s: &str) -> Option<Typed> {
    Some(match s {
        "" | "~" | "null" | "Null" | "NULL" => Typed::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            Typed::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            Typed::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Typed::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Typed::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Typed::Float(f64::NAN),
        _ => return None,
    })
}

/// How Kubernetes (go-yaml v2 via sigs.k8s.io/yaml) types a plain scalar.
pub(crate) fn resolve_k8s(raw: &str) -> Typed {
    let Some(&first) = raw.as_bytes().first() else {
        return Typed::Null;
    };
    let h = hint(first);
    if h == Hint::None {
        return Typed::Str;
    }
    if let Some(t) = k8s_word(raw) {
        return t;
    }
    match h {
        Hint::Dot => {
            // go-yaml hands the text to strconv.ParseFloat unchanged, which rejects `_` in
            // decimal numbers.
            if raw.contains('_') {
                return Typed::Str;
            }
            yaml_float(raw).map_or(Typed::Str, Typed::Float)
        }
        Hint::Number => {
            if raw.contains('_') {
                let plain: String = raw.chars().filter(|&c| c != '_').collect();
                resolve_number(&plain)
            } else {
                resolve_number(raw)
            }
        }
        Hint::None | Hint::Map => Typed::Str,
    }
}

/// Integer (Go `strconv.ParseInt(s, 0, 64)`, then `ParseUint`), then YAML-style float.
fn resolve_number(plain: &str) -> Typed {
    if let Some(t) = go_parse_int(plain) {
        return t;
    }
    yaml_float(plain).map_or(Typed::Str, Typed::Float)
}

/// A finite float in YAML float syntax.
fn yaml_float(s: &str) -> Option<f64> {
    if is_yaml_float(s.as_bytes()) {
        finite_float(s)
    } else {
        None
    }
}

/// Go's `ParseInt(s, 0, 64)` falling back to `ParseUint(s, 0, 64)`: optional sign, `0x`, `0b`,
/// `0o` prefixes, a leading `0` means octal. Out of range for both gives `None`.
fn go_parse_int(s: &str) -> Option<Typed> {
    let bytes = s.as_bytes();
    let (negative, signed, body) = match bytes.first()? {
        b'-' => (true, true, &bytes[1..]),
        b'+' => (false, true, &bytes[1..]),
        _ => (false, false, bytes),
    };
    let (base, digits): (u64, &[u8]) = match body {
        [b'0', b'x' | b'X', rest @ ..] => (16, rest),
        [b'0', b'b' | b'B', rest @ ..] => (2, rest),
        [b'0', b'o' | b'O', rest @ ..] => (8, rest),
        [b'0', rest @ ..] if !rest.is_empty() => (8, rest),
        _ => (10, body),
    };
    if digits.is_empty() {
        return None;
    }
    let mut magnitude: u64 = 0;
    for &d in digits {
        let v = match d {
            b'0'..=b'9' => u64::from(d - b'0'),
            b'a'..=b'f' => u64::from(d - b'a' + 10),
            b'A'..=b'F' => u64::from(d - b'A' + 10),
            _ => return None,
        };
        if v >= base {
            return None;
        }
        magnitude = magnitude.checked_mul(base)?.checked_add(v)?;
    }
    if negative {
        if magnitude <= 1 << 63 {
            // Two's complement negation covers i64::MIN.
            Some(Typed::Int(0i64.wrapping_sub_unsigned(magnitude)))
        } else {
            None
        }
    } else if let Ok(i) = i64::try_from(magnitude) {
        Some(Typed::Int(i))
    } else if signed {
        // ParseUint rejects a sign.
        None
    } else {
        Some(Typed::UInt(magnitude))
    }
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the float syntax shared by go-yaml v2
/// and the YAML 1.2 core schema.
fn is_yaml_float(s: &[u8]) -> bool {
    let mut i = 0;
    if matches!(s.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < s.len() && s[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if i < s.len() && matches!(s[i], b'e' | b'E') {
        i += 1;
        if i < s.len() && matches!(s[i], b'+' | b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == s.len()
}

/// Parse a string already matching [`is_yaml_float`]; overflow to infinity is an error in Go's
/// ParseFloat, so it is `None` here.
fn finite_float(s: &str) -> Option<f64> {
    parse_float_text(s).filter(|f| f.is_finite())
}

/// Parse a string already matching [`is_yaml_float`].
fn parse_float_text(s: &str) -> Option<f64> {
    // Rust's parser wants a digit after the dot before an exponent (`1.e5`); YAML does not.
    if s.contains(".e") || s.contains(".E") {
        s.replacen('.', "", 1).parse().ok()
    } else {
        s.parse().ok()
    }
}

/// How a YAML 1.2 core-schema tool types a plain scalar.
pub(crate) fn resolve_core(raw: &str) -> Typed {
    match raw {
        "" | "~" | "null" | "Null" | "NULL" => return Typed::Null,
        "true" | "True" | "TRUE" => return Typed::Bool(true),
        "false" | "False" | "FALSE" => return Typed::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Typed::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Typed::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Typed::Float(f64::NAN),
        _ => {}
    }
    let b = raw.as_bytes();
    if let Some(hex) = raw.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return radix_int(hex, 16);
        }
        return Typed::Str;
    }
    if let Some(oct) = raw.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|c| (b'0'..=b'7').contains(&c)) {
            return radix_int(oct, 8);
        }
        return Typed::Str;
    }
    let digits = match b.first() {
        Some(b'+' | b'-') => &b[1..],
        _ => b,
    };
    if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
        if let Ok(i) = raw.parse::<i64>() {
            return Typed::Int(i);
        }
        if let Ok(u) = raw.trim_start_matches('+').parse::<u64>() {
            return Typed::UInt(u);
        }
    }
    // Unlike Go, YAML 1.2 tools read an overflowing float as infinity.
    let float = is_yaml_float(b).then(|| parse_float_text(raw)).flatten();
    float.map_or(Typed::Str, Typed::Float)
}

fn radix_int(digits: &str, radix: u32) -> Typed {
    if let Ok(i) = i64::from_str_radix(digits, radix) {
        Typed::Int(i)
    } else if let Ok(u) = u64::from_str_radix(digits, radix) {
        Typed::UInt(u)
    } else {
        Typed::Str
    }
}

/// A core-schema tag explicitly written on a scalar (`!!str`, `!!int`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CoreTag {
    Str,
    Int,
    Float,
    Bool,
    Null,
}

impl CoreTag {
    pub(crate) fn from_suffix(suffix: &str) -> Option<CoreTag> {
        Some(match suffix {
            "str" => CoreTag::Str,
            "int" => CoreTag::Int,
            "float" => CoreTag::Float,
            "bool" => CoreTag::Bool,
            "null" => CoreTag::Null,
            _ => return None,
        })
    }

    /// Coerce `raw` to this tag's type the way go-yaml does; what cannot be coerced stays a
    /// string.
    #[allow(clippy::cast_precision_loss)]
    pub(crate) fn coerce(self, raw: &str) -> Typed {
        let resolved = resolve_k8s(raw);
        match (self, resolved) {
            (CoreTag::Int, Typed::Int(_) | Typed::UInt(_))
            | (CoreTag::Float, Typed::Float(_))
            | (CoreTag::Bool, Typed::Bool(_))
            | (CoreTag::Null, Typed::Null) => resolved,
            (CoreTag::Float, Typed::Int(i)) => Typed::Float(i as f64),
            (CoreTag::Float, Typed::UInt(u)) => Typed::Float(u as f64),
            _ => Typed::Str,
        }
    }
}

/// Words describing a reading, for diagnostics: "boolean true", "the integer 420", …
pub(crate) fn describe(t: Typed, raw: &str) -> String {
    match t {
        Typed::Null => "null".to_owned(),
        Typed::Bool(b) => format!("boolean {b}"),
        Typed::Int(i) => format!("the integer {i}"),
        Typed::UInt(u) => format!("the integer {u}"),
        Typed::Float(f) => format!("the number {f}"),
        Typed::Str => format!("the string {raw:?}"),
    }
}

/// The message of an ambiguous-scalar diagnostic.
pub(crate) fn ambiguity_message(raw: &str, k8s: Typed, core: Typed) -> String {
    let advice = match k8s {
        Typed::Bool(b) => format!("quote it or write {b}"),
        Typed::Int(i) => format!("quote it or write {i}"),
        Typed::UInt(u) => format!("quote it or write {u}"),
        Typed::Float(f) => format!("quote it or write {f}"),
        Typed::Null => "quote it or write null".to_owned(),
        Typed::Str => "quote it".to_owned(),
    };
    format!(
        "`{raw}` is read as {} by Kubernetes (YAML 1.1) but as {} by YAML 1.2 tools; {advice}",
        describe(k8s, raw),
        describe(core, raw),
    )
}

/// The message of an ambiguous-key diagnostic.
pub(crate) fn key_ambiguity_message(raw: &str, k8s: Typed, core: Typed) -> String {
    let k8s_key = match k8s {
        Typed::Bool(b) => b.to_string(),
        Typed::Int(i) => i.to_string(),
        Typed::UInt(u) => u.to_string(),
        Typed::Float(f) => f.to_string(),
        Typed::Null => "null".to_owned(),
        Typed::Str => raw.to_owned(),
    };
    format!(
        "key `{raw}` is read as {} by Kubernetes (YAML 1.1), which names the field {k8s_key:?}, \
         but as {} by YAML 1.2 tools; quote the key",
        describe(k8s, raw),
        describe(core, raw),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_int_edges() {
        assert_eq!(
            go_parse_int("-9223372036854775808"),
            Some(Typed::Int(i64::MIN))
        );
        assert_eq!(go_parse_int("-9223372036854775809"), None);
        assert_eq!(
            go_parse_int("18446744073709551615"),
            Some(Typed::UInt(u64::MAX))
        );
        assert_eq!(go_parse_int("+18446744073709551615"), None);
        assert_eq!(go_parse_int("18446744073709551616"), None);
        assert_eq!(go_parse_int("0x"), None);
        assert_eq!(go_parse_int("0"), Some(Typed::Int(0)));
        assert_eq!(go_parse_int("-0b11"), Some(Typed::Int(-3)));
        assert_eq!(go_parse_int("0O17"), Some(Typed::Int(15)));
        assert_eq!(go_parse_int("089"), None);
    }

    #[test]
    fn float_syntax() {
        for ok in ["1", "1.", ".5", "-1.5e3", "+2E-2", "1.e5", "0.0"] {
            assert!(is_yaml_float(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "", ".", "+", "1e", "e5", "1.5.2", "0x1p3", "1e+", "--1", "inf",
        ] {
            assert!(!is_yaml_float(bad.as_bytes()), "{bad}");
        }
        assert_eq!(finite_float("1.e2"), Some(100.0));
        assert_eq!(finite_float("1e400"), None);
    }

    #[test]
    fn meaning_comparison() {
        assert!(Typed::Float(8.0).same_meaning(Typed::Int(8)));
        assert!(Typed::Float(f64::NAN).same_meaning(Typed::Float(f64::NAN)));
        assert!(!Typed::Int(420).same_meaning(Typed::Int(644)));
        assert!(!Typed::Bool(true).same_meaning(Typed::Str));
    }

    #[test]
    fn coercion_keeps_strings_it_cannot_convert() {
        assert_eq!(CoreTag::Int.coerce("abc"), Typed::Str);
        assert_eq!(CoreTag::Int.coerce("0x10"), Typed::Int(16));
        assert_eq!(CoreTag::Float.coerce("3"), Typed::Float(3.0));
        assert_eq!(CoreTag::Bool.coerce("yes"), Typed::Bool(true));
        assert_eq!(CoreTag::Bool.coerce("1"), Typed::Str);
        assert_eq!(CoreTag::Null.coerce("~"), Typed::Null);
        assert_eq!(CoreTag::Str.coerce("12"), Typed::Str);
    }
}
