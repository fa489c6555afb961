//! A YAML tree with the line and column of every node, built from `saphyr-parser` events.
//!
//! Lock files are machine-written, so this keeps only what the catalogers read: scalars as
//! text (no type resolution), sequences, mappings. Aliases are not expanded (a lock file has
//! no reason to use them, and expansion is how YAML bombs work). Nesting depth is bounded and
//! the tree is built without recursion.

use std::borrow::Cow;

use saphyr_parser::{Event, Marker, Parser};

use crate::model::ParseError;
use crate::text::LineIndex;

const MAX_DEPTH: usize = 256;

#[derive(Debug)]
pub(crate) struct YNode<'a> {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    pub value: YValue<'a>,
}

#[derive(Debug)]
pub(crate) enum YValue<'a> {
    Scalar(Cow<'a, str>),
    /// A sequence; lock files need none of their items, so they are not kept.
    Seq,
    Map(Vec<(YNode<'a>, YNode<'a>)>),
    /// An alias (`*name`), not expanded.
    Alias,
}

impl<'a> YNode<'a> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            YValue::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The pairs of a mapping whose keys are scalars; empty for any other node.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, &YNode<'a>, &YNode<'a>)> {
        let pairs: &[(YNode<'a>, YNode<'a>)] = match &self.value {
            YValue::Map(pairs) => pairs,
            _ => &[],
        };
        pairs
            .iter()
            .filter_map(|(k, v)| k.as_str().map(|key| (key, k, v)))
    }

    /// The value of scalar key `key` in a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&YNode<'a>> {
        self.entries()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| v)
    }

    /// The scalar value of `key`.
    pub(crate) fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(YNode::as_str)
    }

    /// Whether `key` holds the scalar `true`.
    pub(crate) fn flag(&self, key: &str) -> Option<bool> {
        match self.str_of(key)? {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }
}

enum Frame<'a> {
    Seq(u32, u32),
    Map(u32, u32, Vec<(YNode<'a>, YNode<'a>)>, Option<YNode<'a>>),
}

/// Turns the parser's character indices into lines and columns counted the way the other
/// formats count them (lines end at `\n` only; the YAML scanner also breaks at a lone `\r`).
struct Positions<'a> {
    src: &'a str,
    lines: LineIndex<'a>,
    ascii: bool,
    /// Last converted (character index, byte offset), to walk forward from.
    cursor: (usize, usize),
}

impl<'a> Positions<'a> {
    fn new(src: &'a str) -> Self {
        Positions {
            src,
            lines: LineIndex::new(src),
            ascii: src.is_ascii(),
            cursor: (0, 0),
        }
    }

    fn byte_offset(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.src.len());
        }
        if char_index < self.cursor.0 {
            self.cursor = (0, 0);
        }
        let (mut chars, mut bytes) = self.cursor;
        for ch in self.src[bytes..].chars() {
            if chars == char_index {
                break;
            }
            chars += 1;
            bytes += ch.len_utf8();
        }
        self.cursor = (chars, bytes);
        bytes
    }

    fn at(&mut self, marker: Marker) -> (u32, u32) {
        let offset = self.byte_offset(marker.index());
        self.lines.line_col(offset)
    }
}
/// Parses every document of a YAML stream.
pub(crate) fn parse_documents(src: &str) -> Result<Vec<YNode<'_>>, ParseError> {
    let mut parser = Parser::new_from_str(src);
    let mut positions = Positions::new(src);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    while let Some(item) = parser.next_event() {
        let (event, span) = item.map_err(|err| {
            let (line, column) = positions.at(*err.marker());
            ParseError::new(line, column, err.info().to_string())
        })?;
        let (line, column) = positions.at(span.start);
        let done = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd => {
                continue;
            }
            Event::Scalar(text, ..) => YNode {
                line,
                column,
                value: YValue::Scalar(text),
            },
            Event::Alias(_) => YNode {
                line,
                column,
                value: YValue::Alias,
            },
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError::new(line, column, "YAML nested too deeply"));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq(line, column)
                } else {
                    Frame::Map(line, column, Vec::new(), None)
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(line, column)) => YNode {
                    line,
                    column,
                    value: YValue::Seq,
                },
                Some(Frame::Map(line, column, pairs, _)) => YNode {
                    line,
                    column,
                    value: YValue::Map(pairs),
                },
                None => return Err(ParseError::new(line, column, "unbalanced YAML collection")),
            },
        };
        match stack.last_mut() {
            None => docs.push(done),
            Some(Frame::Seq(..)) => {}
            Some(Frame::Map(_, _, pairs, pending)) => match pending.take() {
                None => *pending = Some(done),
                Some(key) => pairs.push((key, done)),
            },
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lines_of_keys_and_values() {
        let src = "a: 1\nb:\n  'c@1.0.0':\n    dev: true\n  d: [x, y]\n";
        let docs = parse_documents(src).unwrap();
        assert_eq!(docs.len(), 1);
        let b = docs[0].get("b").unwrap();
        let (key, key_node, value) = b.entries().next().unwrap();
        assert_eq!(key, "c@1.0.0");
        assert_eq!((key_node.line, key_node.column), (3, 3));
        assert_eq!(value.flag("dev"), Some(true));
        let d = b.get("d").unwrap();
        assert!(matches!(d.value, YValue::Seq), "{d:?}");
        assert_eq!((d.line, d.column), (5, 6));
    }

    #[test]
    fn positions_count_characters_and_line_feeds_only() {
        let src = "é: 1\rb: 2\nkey: ü\n";
        let docs = parse_documents(src).unwrap();
        let (_, key, _) = docs[0].entries().last().unwrap();
        assert_eq!((key.line, key.column), (2, 1));
        let src = "ä: x\nlist: [1\n";
        let err = parse_documents(src).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
    }

    #[test]
    fn multiple_documents_and_errors() {
        let docs = parse_documents("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].str_of("b"), Some("2"));
        let err = parse_documents("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.line >= 1);
        let deep = format!("{}1{}", "[".repeat(1000), "]".repeat(1000));
        assert!(parse_documents(&deep).is_err());
    }
}
