//! A small JSON parser that keeps the byte offset of every value and object key.
//!
//! serde_json does not report positions, and lock-file findings need the exact line of each
//! entry. This parser is strict RFC 8259 (no comments, no trailing commas), linear in the input,
//! borrows strings without escapes, and bounds nesting depth so hostile input cannot overflow
//! the stack.

use std::borrow::Cow;

use crate::model::ParseError;
use crate::text::LineIndex;

const MAX_DEPTH: usize = 256;

/// A JSON value and the byte offset where it starts.
#[derive(Debug)]
pub(crate) struct Node<'a> {
    pub offset: usize,
    pub value: Value<'a>,
}

#[derive(Debug)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    /// A number; lock files need none of theirs, so the value is not kept.
    Number,
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Vec<Member<'a>>),
}

/// An object member: its key, the key's byte offset, and its value.
#[derive(Debug)]
pub(crate) struct Member<'a> {
    pub key: Cow<'a, str>,
    pub key_offset: usize,
    pub value: Node<'a>,
}

impl<'a> Node<'a> {
    /// The member `key` of an object (the first, if repeated).
    pub(crate) fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.members()
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The members of an object; empty for any other value.
    pub(crate) fn members(&self) -> &[Member<'a>] {
        match &self.value {
            Value::Object(members) => members,
            _ => &[],
        }
    }

    /// The elements of an array; empty for any other value.
    pub(crate) fn elements(&self) -> &[Node<'a>] {
        match &self.value {
            Value::Array(items) => items,
            _ => &[],
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The string member `key`, if it is a string.
    pub(crate) fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// Whether the member `key` is `true`.
    pub(crate) fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Node::as_bool) == Some(true)
    }

    pub(crate) fn is_object(&self) -> bool {
        matches!(self.value, Value::Object(_))
    }
}

/// Parses one JSON document.
pub(crate) fn parse<'a>(src: &'a str, lines: &LineIndex<'_>) -> Result<Node<'a>, ParseError> {
    let mut parser = Parser { src, pos: 0 };
    parser
        .document()
        .map_err(|(offset, message)| lines.error(offset, message))
}

type Res<T> = Result<T, (usize, String)>;

struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn document(&mut self) -> Res<Node<'a>> {
        self.skip_ws();
        let node = self.value(0)?;
        self.skip_ws();
        if self.pos < self.src.len() {
            return Err(self.fail("trailing characters after the JSON value"));
        }
        Ok(node)
    }

    fn fail(&self, message: &str) -> (usize, String) {
        (self.pos, message.to_string())
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        let bytes = self.src.as_bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Res<Node<'a>> {
        if depth > MAX_DEPTH {
            return Err(self.fail("JSON nested too deeply"));
        }
        let offset = self.pos;
        let value = match self.peek() {
            None => return Err(self.fail("unexpected end of input, expected a value")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                Value::Number
            }
            Some(_) => return Err(self.fail("expected a JSON value")),
        };
        Ok(Node { offset, value })
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Res<Value<'a>> {
        if self.src[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.fail("invalid literal"))
        }
    }

    fn object(&mut self, depth: usize) -> Res<Value<'a>> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.fail("expected a string key"));
            }
            let key_offset = self.pos;
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.fail("expected ':' after the key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_offset,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.fail("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Res<Value<'a>> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.fail("expected ',' or ']'")),
            }
        }
    }

    fn number(&mut self) -> Res<()> {
        let start = self.pos;
        let bytes = self.src.as_bytes();
        let digits = |pos: &mut usize| {
            let from = *pos;
            while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos > from
        };
        if bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        if bytes.get(self.pos) == Some(&b'0') {
            self.pos += 1;
        } else if !digits(&mut self.pos) {
            return Err(self.fail("invalid number"));
        }
        if bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !digits(&mut self.pos) {
                return Err(self.fail("invalid number: digits expected after '.'"));
            }
        }
        if let Some(b'e' | b'E') = bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = bytes.get(self.pos) {
                self.pos += 1;
            }
            if !digits(&mut self.pos) {
                return Err(self.fail("invalid number: digits expected in exponent"));
            }
        }
        debug_assert!(self.pos > start);
        Ok(())
    }

    /// Reads a string starting at the opening quote.
    fn string(&mut self) -> Res<Cow<'a, str>> {
        let bytes = self.src.as_bytes();
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escapes.
        loop {
            match bytes.get(self.pos) {
                None => return Err(self.fail("unterminated string")),
                Some(b'"') => {
                    let s = &self.src[start..self.pos];
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(&b) if b < 0x20 => return Err(self.fail("control character in string")),
                Some(_) => self.pos += 1,
            }
        }
        let mut out = String::from(&self.src[start..self.pos]);
        loop {
            match bytes.get(self.pos) {
                None => return Err(self.fail("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(&b) if b < 0x20 => return Err(self.fail("control character in string")),
                Some(_) => {
                    // Copy the run up to the next quote, backslash or control character.
                    let run_start = self.pos;
                    while bytes
                        .get(self.pos)
                        .is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20)
                    {
                        self.pos += 1;
                    }
                    out.push_str(&self.src[run_start..self.pos]);
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Res<()> {
        let c = self
            .peek()
            .ok_or_else(|| self.fail("unterminated escape"))?;
        self.pos += 1;
        match c {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let high = self.hex4()?;
                let ch = if (0xD800..0xDC00).contains(&high) {
                    if !self.src[self.pos..].starts_with("\\u") {
                        return Err(self.fail("unpaired surrogate in \\u escape"));
                    }
                    self.pos += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.fail("invalid low surrogate in \\u escape"));
                    }
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    char::from_u32(high)
                };
                out.push(ch.ok_or_else(|| self.fail("invalid \\u escape"))?);
            }
            _ => {
                self.pos -= 1;
                return Err(self.fail("invalid escape"));
            }
        }
        Ok(())
    }

    fn hex4(&mut self) -> Res<u32> {
        let digits = self
            .src
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.fail("expected four hex digits"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.fail("expected four hex digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(src: &str) -> Result<Node<'_>, ParseError> {
        parse(src, &LineIndex::new(src))
    }

    #[test]
    fn records_key_and_value_offsets() {
        let src = "{\n  \"a\": {\"b\": [1, true, null]},\n  \"c\": \"x\\ny\"\n}";
        let root = parse_str(src).unwrap();
        let members = root.members();
        assert_eq!(members.len(), 2);
        assert_eq!(
            &src[members[0].key_offset..members[0].key_offset + 3],
            "\"a\""
        );
        assert_eq!(members[1].key, "c");
        assert_eq!(root.str_of("c"), Some("x\ny"));
        let b = root.get("a").unwrap().get("b").unwrap();
        assert_eq!(b.elements().len(), 3);
        assert!(matches!(b.elements()[0].value, Value::Number));
        assert_eq!(b.elements()[1].as_bool(), Some(true));
    }

    #[test]
    fn decodes_unicode_escapes() {
        let root = parse_str(r#"{"k": "\u00e9\ud83d\ude00\/"}"#).unwrap();
        assert_eq!(root.str_of("k"), Some("é😀/"));
    }

    #[test]
    fn reports_error_positions() {
        let err = parse_str("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!((err.line, err.column), (3, 1));
        assert!(err.message.contains("key"), "{}", err.message);
        let err = parse_str("[1, 2").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(parse_str("\"\\ud800\"").is_err());
        assert!(parse_str("01").is_err());
        assert!(parse_str("1.").is_err());
        assert!(parse_str("{} x").is_err());
        assert!(parse_str("").is_err());
    }

    #[test]
    fn bounds_nesting_depth() {
        let deep = "[".repeat(10_000);
        let err = parse_str(&deep).unwrap_err();
        assert!(err.message.contains("deeply"));
        let ok = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse_str(&ok).is_ok());
    }
}
