//! A YAML tree with the line and column of every node, built from `saphyr-parser` events.
//!
//! Lock files are machine-written, so this keeps only what the catalogers read: scalars as
//! text (no type resolution), sequences, mappings. Aliases are not expanded (a lock file has
//! no reason to use them, and expansion is how YAML bombs work). Nesting depth is bounded and
//! the tree is built without recursion.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScanError};

use crate::model::ParseError;
use crate::text::to_u32;

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

fn scan_error(err: &ScanError) -> ParseError {
    let marker = err.marker();
    ParseError::new(
        to_u32(marker.line().max(1)),
        to_u32(marker.col() + 1),
        err.info().to_string(),
    )
}

/// Parses every document of a YAML stream.
pub(crate) fn parse_documents(src: &str) -> Result<Vec<YNode<'_>>, ParseError> {
    let mut parser = Parser::new_from_str(src);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    while let Some(item) = parser.next_event() {
        let (event, span) = item.map_err(|e| scan_error(&e))?;
        let line = to_u32(span.start.line().max(1));
        let column = to_u32(span.start.col() + 1);
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
