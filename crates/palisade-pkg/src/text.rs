//! Byte offsets to lines and columns, and input decoding shared by the parsers.

use std::cell::Cell;

use crate::model::ParseError;

/// Maps byte offsets of one source text to 1-based lines and columns (columns in characters).
///
/// Columns are counted from the last answer when the next offset lies further along the same
/// line, so walking a minified one-line file in order stays linear.
pub(crate) struct LineIndex<'a> {
    src: &'a str,
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
    /// The last column answer: (byte offset, its column).
    last: Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            src,
            starts,
            last: Cell::new((0, 1)),
        }
    }

    /// The 1-based line holding `offset` (offsets past the end map to the last line).
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let idx = self.starts.partition_point(|&start| start <= offset);
        to_u32(idx.max(1))
    }

    /// The 1-based line and character column of `offset`.
    pub(crate) fn line_col(&self, offset: usize) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.starts[line as usize - 1];
        let mut end = offset.min(self.src.len());
        while !self.src.is_char_boundary(end) {
            end -= 1;
        }
        let (last_offset, last_column) = self.last.get();
        let column = if last_offset >= start && last_offset <= end {
            last_column + self.src[last_offset..end].chars().count()
        } else {
            self.src[start.min(end)..end].chars().count() + 1
        };
        self.last.set((end, column));
        (line, to_u32(column))
    }

    /// A parse error at `offset`.
    pub(crate) fn error(&self, offset: usize, message: impl Into<String>) -> ParseError {
        let (line, column) = self.line_col(offset);
        ParseError::new(line, column, message)
    }
}

/// Saturating conversion for line and column numbers.
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The content as UTF-8 text without a byte-order mark, or an error at the first bad byte.
pub(crate) fn decode(content: &[u8]) -> Result<&str, ParseError> {
    let content = content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content);
    std::str::from_utf8(content).map_err(|err| {
        let valid = &content[..err.valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let prefix = std::str::from_utf8(valid).unwrap_or_default();
        LineIndex::new(prefix).error(prefix.len(), "file is not valid UTF-8")
    })
}

/// The 1-based character column of `part` inside `line`, when `part` is a subslice of it.
pub(crate) fn column_of(line: &str, part: &str) -> u32 {
    let base = line.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    if at < base || at + part.len() > base + line.len() {
        return 1;
    }
    let offset = at - base;
    if !line.is_char_boundary(offset) {
        return 1;
    }
    to_u32(line[..offset].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_to_lines_and_character_columns() {
        let src = "ab\nçd\n\nx";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(2), (1, 3));
        assert_eq!(idx.line_col(3), (2, 1));
        // 'd' follows a two-byte character: byte 5, character column 2.
        assert_eq!(idx.line_col(5), (2, 2));
        assert_eq!(idx.line_col(7), (3, 1));
        assert_eq!(idx.line_col(8), (4, 1));
        assert_eq!(idx.line_col(100), (4, 2));
    }

    #[test]
    fn columns_are_right_in_any_query_order() {
        let src = "aé b\ncd éé x\n";
        let idx = LineIndex::new(src);
        let expected: Vec<(u32, u32)> = (0..=src.len())
            .filter(|&o| src.is_char_boundary(o))
            .map(|o| LineIndex::new(src).line_col(o))
            .collect();
        let offsets: Vec<usize> = (0..=src.len())
            .filter(|&o| src.is_char_boundary(o))
            .collect();
        for &o in offsets
            .iter()
            .rev()
            .chain(&offsets)
            .chain(offsets.iter().step_by(3))
        {
            let i = offsets.iter().position(|&x| x == o).unwrap();
            assert_eq!(idx.line_col(o), expected[i], "offset {o}");
        }
    }

    #[test]
    fn decode_strips_bom_and_locates_bad_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap(), "abc");
        let err = decode(b"ok\nab\xFFc").unwrap_err();
        assert_eq!((err.line, err.column), (2, 3));
    }

    #[test]
    fn column_of_subslice() {
        let line = "  name = 1";
        assert_eq!(column_of(line, &line[2..6]), 3);
        let other = String::from("elsewhere");
        assert_eq!(column_of(line, &other), 1);
        assert_eq!(column_of(line, &line[10..]), 11);
    }
}
