//! Just enough of the SQLite file format (<https://www.sqlite.org/fileformat2.html>) to read
//! every row of one table of a database file: the schema table on page 1 gives the table's
//! root page; table b-tree pages (interior 0x05, leaf 0x0d) are walked in key order; payloads
//! that spill are reassembled from their overflow pages; records are decoded by serial type.
//! Read-only, no SQL, no indexes, no WAL (a write-ahead log not yet checkpointed is not seen).
//! Every offset is checked: a damaged file gives an error, never a panic or an endless loop.

/// A column value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

pub(super) struct Database<'a> {
    bytes: &'a [u8],
    page_size: usize,
    usable: usize,
}

type Result<T> = std::result::Result<T, String>;

impl<'a> Database<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Database<'a>> {
        if !bytes.starts_with(b"SQLite format 3\0") || bytes.len() < 100 {
            return Err("not an SQLite 3 database".into());
        }
        let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
            1 => 65_536,
            n if n >= 512 && n.is_power_of_two() => usize::from(n),
            n => return Err(format!("invalid page size {n}")),
        };
        if u32::from_be_bytes([bytes[56], bytes[57], bytes[58], bytes[59]]) > 1 {
            return Err("text encodings other than UTF-8 are not supported".into());
        }
        let usable = page_size - usize::from(bytes[20]);
        if usable < 480 {
            return Err("invalid reserved space".into());
        }
        Ok(Database {
            bytes,
            page_size,
            usable,
        })
    }

    fn page(&self, number: u32) -> Result<&'a [u8]> {
        let index = usize::try_from(number).map_err(|e| e.to_string())?;
        let start = index
            .checked_sub(1)
            .and_then(|i| i.checked_mul(self.page_size))
            .ok_or("page number 0")?;
        self.bytes
            .get(start..start + self.page_size)
            .ok_or_else(|| format!("page {number} lies past the end of the file"))
    }

    /// Every row of the table `name`, in rowid order.
    pub fn rows(&self, name: &str) -> Result<Vec<Vec<Value>>> {
        let root = self
            .rows_of(1)?
            .into_iter()
            .find(|row| {
                matches!(row.first(), Some(Value::Text(t)) if t == "table")
                    && matches!(row.get(1), Some(Value::Text(n)) if n.eq_ignore_ascii_case(name))
            })
            .and_then(|row| match row.get(3) {
                Some(Value::Integer(page)) => u32::try_from(*page).ok(),
                _ => None,
            })
            .ok_or_else(|| format!("no table {name}"))?;
        self.rows_of(root)
    }

    fn rows_of(&self, root: u32) -> Result<Vec<Vec<Value>>> {
        let mut rows = Vec::new();
        let mut stack = vec![root];
        let mut visited = 0usize;
        let max_pages = self.bytes.len() / self.page_size + 1;
        while let Some(number) = stack.pop() {
            visited += 1;
            if visited > max_pages {
                return Err("b-tree pages form a cycle".into());
            }
            let page = self.page(number)?;
            let header = if number == 1 { 100 } else { 0 };
            let kind = *page.get(header).ok_or("truncated page")?;
            let cells = usize::from(be16(page, header + 3)?);
            let pointers = header + if kind == 0x05 { 12 } else { 8 };
            let cell_at =
                |i: usize| -> Result<usize> { Ok(usize::from(be16(page, pointers + 2 * i)?)) };
            match kind {
                0x05 => {
                    // Children are pushed right-most first so rows come out in key order.
                    stack.push(be32(page, header + 8)?);
                    for i in (0..cells).rev() {
                        stack.push(be32(page, cell_at(i)?)?);
                    }
                }
                0x0d => {
                    for i in 0..cells {
                        let payload = self.leaf_payload(page, cell_at(i)?)?;
                        rows.push(record(&payload)?);
                    }
                }
                other => {
                    return Err(format!(
                        "page {number}: not a table b-tree page ({other:#x})"
                    ));
                }
            }
        }
        Ok(rows)
    }

    /// The full payload of the leaf cell at `at`, following overflow pages.
    fn leaf_payload(&self, page: &[u8], at: usize) -> Result<Vec<u8>> {
        let (size, n) = varint(page, at)?;
        let (_rowid, m) = varint(page, at + n)?;
        let size = usize::try_from(size).map_err(|e| e.to_string())?;
        let start = at + n + m;
        let usable = self.usable;
        let max_local = usable - 35;
        let local = if size <= max_local {
            size
        } else {
            let min_local = (usable - 12) * 32 / 255 - 23;
            let k = min_local + (size - min_local) % (usable - 4);
            if k <= max_local { k } else { min_local }
        };
        let mut payload = page
            .get(start..start + local)
            .ok_or("truncated cell")?
            .to_vec();
        let mut next = if local < size {
            be32(page, start + local)?
        } else {
            0
        };
        let mut hops = 0usize;
        while payload.len() < size {
            hops += 1;
            if next == 0 || hops > self.bytes.len() / self.page_size + 1 {
                return Err("broken overflow chain".into());
            }
            let overflow = self.page(next)?;
            let take = (size - payload.len()).min(usable - 4);
            payload.extend_from_slice(overflow.get(4..4 + take).ok_or("truncated overflow page")?);
            next = be32(overflow, 0)?;
        }
        Ok(payload)
    }
}

fn be16(bytes: &[u8], at: usize) -> Result<u16> {
    let raw = bytes.get(at..at + 2).ok_or("truncated page")?;
    Ok(u16::from_be_bytes([raw[0], raw[1]]))
}

fn be32(bytes: &[u8], at: usize) -> Result<u32> {
    let raw = bytes.get(at..at + 4).ok_or("truncated page")?;
    Ok(u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]))
}

/// SQLite's big-endian varint (1 to 9 bytes) and its length.
fn varint(bytes: &[u8], at: usize) -> Result<(u64, usize)> {
    let mut value = 0u64;
    for i in 0..9 {
        let byte = *bytes.get(at + i).ok_or("truncated varint")?;
        if i == 8 {
            return Ok(((value << 8) | u64::from(byte), 9));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Ok((value, i + 1));
        }
    }
    Err("invalid varint".into())
}

/// Decodes a record: a header of serial types, then the values.
fn record(payload: &[u8]) -> Result<Vec<Value>> {
    let (header_len, mut at) = varint(payload, 0)?;
    let header_len = usize::try_from(header_len).map_err(|e| e.to_string())?;
    let mut body = header_len;
    let mut values = Vec::new();
    while at < header_len {
        let (serial, n) = varint(payload, at)?;
        at += n;
        let (value, len) = value(payload, body, serial)?;
        values.push(value);
        body += len;
    }
    Ok(values)
}

fn value(payload: &[u8], at: usize, serial: u64) -> Result<(Value, usize)> {
    let int = |len: usize| -> Result<(Value, usize)> {
        let raw = payload.get(at..at + len).ok_or("truncated record")?;
        let mut v: i64 = if raw[0] & 0x80 != 0 { -1 } else { 0 };
        for &b in raw {
            v = (v << 8) | i64::from(b);
        }
        Ok((Value::Integer(v), len))
    };
    Ok(match serial {
        0 => (Value::Null, 0),
        1 => int(1)?,
        2 => int(2)?,
        3 => int(3)?,
        4 => int(4)?,
        5 => int(6)?,
        6 => int(8)?,
        7 => {
            let raw = payload.get(at..at + 8).ok_or("truncated record")?;
            let bits = u64::from_be_bytes(raw.try_into().map_err(|_| "truncated record")?);
            (Value::Real(f64::from_bits(bits)), 8)
        }
        8 => (Value::Integer(0), 0),
        9 => (Value::Integer(1), 0),
        n if n >= 12 => {
            let len = usize::try_from((n - 12) / 2).map_err(|e| e.to_string())?;
            let raw = payload.get(at..at + len).ok_or("truncated record")?;
            if n % 2 == 0 {
                (Value::Blob(raw.to_vec()), len)
            } else {
                (Value::Text(String::from_utf8_lossy(raw).into_owned()), len)
            }
        }
        n => return Err(format!("reserved serial type {n}")),
    })
}
