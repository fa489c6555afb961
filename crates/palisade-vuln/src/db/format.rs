//! The database file.
//!
//! ```text
//! magic "PALVULN\0" | format version u32 | header length u32 | header (JSON)
//! | section count u32 | (offset u64, length u64) per section, relative to the body
//! | body: the sections | CRC-32 of everything before it, u32
//! ```
//!
//! All integers are little-endian. Sections:
//!
//! 0. package index: fixed 16-byte entries `(key offset, key length, postings offset, postings
//!    length)`, sorted by key bytes, so a lookup is a binary search;
//! 1. the keys, `ecosystem \x01 name \x01 release`;
//! 2. postings: per key, a count and the encoded affected entries;
//! 3. record index: `(offset, length)` per record into section 4;
//! 4. records;
//! 5. vulnerability (alias group) index into section 6;
//! 6. vulnerabilities.

use std::ops::Range;

use super::build::Contents;
use super::codec::Writer;
use super::{DbError, DbHeader};

pub(crate) const MAGIC: &[u8; 8] = b"PALVULN\0";
pub(crate) const FORMAT_VERSION: u32 = 1;
const SECTIONS: usize = 7;

pub(crate) const INDEX: usize = 0;
pub(crate) const KEYS: usize = 1;
pub(crate) const POSTINGS: usize = 2;
pub(crate) const RECORD_INDEX: usize = 3;
pub(crate) const RECORDS: usize = 4;
pub(crate) const GROUP_INDEX: usize = 5;
pub(crate) const GROUPS: usize = 6;

/// Absolute byte ranges of the sections in the file.
#[derive(Debug, Clone)]
pub(crate) struct Sections(pub [Range<usize>; SECTIONS]);

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn encode(contents: &Contents) -> Result<Vec<u8>, DbError> {
    let mut sections: [Vec<u8>; SECTIONS] = Default::default();

    // Package index, keys, postings.
    for (key, postings) in &contents.packages {
        let mut w = Writer::default();
        w.len(postings.len());
        for p in postings {
            p.encode(&mut w);
        }
        let entry = [
            to_u32(sections[KEYS].len()),
            to_u32(key.len()),
            to_u32(sections[POSTINGS].len()),
            to_u32(w.buf.len()),
        ];
        for v in entry {
            sections[INDEX].extend_from_slice(&v.to_le_bytes());
        }
        sections[KEYS].extend_from_slice(key.as_bytes());
        sections[POSTINGS].extend_from_slice(&w.buf);
    }
    for record in &contents.records {
        let mut w = Writer::default();
        record.encode(&mut w);
        sections[RECORD_INDEX].extend_from_slice(&to_u32(sections[RECORDS].len()).to_le_bytes());
        sections[RECORD_INDEX].extend_from_slice(&to_u32(w.buf.len()).to_le_bytes());
        sections[RECORDS].extend_from_slice(&w.buf);
    }
    for group in &contents.groups {
        let mut w = Writer::default();
        group.encode(&mut w);
        sections[GROUP_INDEX].extend_from_slice(&to_u32(sections[GROUPS].len()).to_le_bytes());
        sections[GROUP_INDEX].extend_from_slice(&to_u32(w.buf.len()).to_le_bytes());
        sections[GROUPS].extend_from_slice(&w.buf);
    }
    if sections.iter().any(|s| u32::try_from(s.len()).is_err()) {
        return Err(DbError::TooLarge);
    }

    let header =
        serde_json::to_vec(&contents.header).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let total: usize = sections.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(total + header.len() + 256);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&to_u32(header.len()).to_le_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&to_u32(SECTIONS).to_le_bytes());
    let mut offset = 0u64;
    for s in &sections {
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&(s.len() as u64).to_le_bytes());
        offset += s.len() as u64;
    }
    for s in &sections {
        out.extend_from_slice(s);
    }
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    Ok(out)
}

fn read_u32(bytes: &[u8], at: usize) -> Result<u32, DbError> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| DbError::Corrupt("file is truncated".into()))
}

fn read_u64(bytes: &[u8], at: usize) -> Result<u64, DbError> {
    let b = bytes
        .get(at..at + 8)
        .ok_or_else(|| DbError::Corrupt("file is truncated".into()))?;
    let mut raw = [0u8; 8];
    raw.copy_from_slice(b);
    Ok(u64::from_le_bytes(raw))
}

/// Checks magic, version and checksum, and finds the header and sections.
pub(crate) fn decode(bytes: &[u8]) -> Result<(DbHeader, Sections), DbError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(DbError::NotADatabase);
    }
    let version = read_u32(bytes, 8)?;
    if version != FORMAT_VERSION {
        return Err(DbError::UnsupportedFormat {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    if bytes.len() < 20 {
        return Err(DbError::Corrupt("file is truncated".into()));
    }
    let (content, tail) = bytes.split_at(bytes.len() - 4);
    let stored = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
    let actual = crc32fast::hash(content);
    if stored != actual {
        return Err(DbError::Corrupt(format!(
            "checksum mismatch (stored {stored:08x}, computed {actual:08x}); the file is damaged"
        )));
    }
    let header_len = read_u32(content, 12)? as usize;
    let header_bytes = content
        .get(16..16 + header_len)
        .ok_or_else(|| DbError::Corrupt("header is truncated".into()))?;
    let header: DbHeader = serde_json::from_slice(header_bytes)
        .map_err(|e| DbError::Corrupt(format!("unreadable header: {e}")))?;
    let mut at = 16 + header_len;
    let count = read_u32(content, at)? as usize;
    if count != SECTIONS {
        return Err(DbError::Corrupt(format!(
            "expected {SECTIONS} sections, found {count}"
        )));
    }
    at += 4;
    let body_start = at + SECTIONS * 16;
    let mut ranges: [Range<usize>; SECTIONS] = Default::default();
    for (i, range) in ranges.iter_mut().enumerate() {
        let offset =
            usize::try_from(read_u64(content, at + i * 16)?).map_err(|_| DbError::TooLarge)?;
        let len =
            usize::try_from(read_u64(content, at + i * 16 + 8)?).map_err(|_| DbError::TooLarge)?;
        let start = body_start.checked_add(offset).ok_or(DbError::TooLarge)?;
        let end = start.checked_add(len).ok_or(DbError::TooLarge)?;
        if end > content.len() {
            return Err(DbError::Corrupt(format!(
                "section {i} runs past the end of the file"
            )));
        }
        *range = start..end;
    }
    if ranges[INDEX].len() % 16 != 0
        || ranges[RECORD_INDEX].len() % 8 != 0
        || ranges[GROUP_INDEX].len() % 8 != 0
    {
        return Err(DbError::Corrupt("index sections have a bad size".into()));
    }
    Ok((header, Sections(ranges)))
}
