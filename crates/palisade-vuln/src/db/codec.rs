//! The byte-level encoding of the database: little-endian integers, LEB128 lengths,
//! length-prefixed UTF-8 strings. Reading checks every bound and never panics.

use super::DbError;

#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    pub(crate) fn var(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(byte);
                return;
            }
            self.buf.push(byte | 0x80);
        }
    }

    pub(crate) fn len(&mut self, n: usize) {
        self.var(n as u64);
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }

    pub(crate) fn strs<S: AsRef<str>>(&mut self, items: &[S]) {
        self.len(items.len());
        for s in items {
            self.str(s.as_ref());
        }
    }
}

pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

fn corrupt(what: &str) -> DbError {
    DbError::Corrupt(format!("truncated or malformed {what}"))
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], DbError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.buf.len())
            .ok_or_else(|| corrupt("data"))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, DbError> {
        Ok(self.bytes(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Result<u32, DbError> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn f64(&mut self) -> Result<f64, DbError> {
        let b = self.bytes(8)?;
        let mut raw = [0u8; 8];
        raw.copy_from_slice(b);
        Ok(f64::from_bits(u64::from_le_bytes(raw)))
    }

    pub(crate) fn var(&mut self) -> Result<u64, DbError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(corrupt("integer"))
    }

    pub(crate) fn len(&mut self) -> Result<usize, DbError> {
        let n = usize::try_from(self.var()?).map_err(|_| corrupt("length"))?;
        // A length can never exceed the bytes left; this also bounds allocations.
        if n > self.buf.len() - self.pos {
            return Err(corrupt("length"));
        }
        Ok(n)
    }

    pub(crate) fn str(&mut self) -> Result<&'a str, DbError> {
        let n = self.len()?;
        std::str::from_utf8(self.bytes(n)?).map_err(|_| corrupt("string"))
    }

    /// Skips a string without reading it.
    pub(crate) fn skip_str(&mut self) -> Result<(), DbError> {
        let n = self.len()?;
        self.bytes(n).map(|_| ())
    }

    pub(crate) fn string(&mut self) -> Result<String, DbError> {
        self.str().map(str::to_string)
    }

    pub(crate) fn opt_string(&mut self) -> Result<Option<String>, DbError> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(corrupt("option")),
        }
    }

    pub(crate) fn strings(&mut self) -> Result<Vec<String>, DbError> {
        let n = self.len()?;
        (0..n).map(|_| self.string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bounds() {
        let mut w = Writer::default();
        w.u8(7);
        w.u32(0xdead_beef);
        w.var(300);
        w.str("héllo");
        w.opt_str(None);
        w.strs(&["a", "bc"]);
        let mut r = Reader::new(&w.buf);
        assert_eq!(r.u8().unwrap(), 7);
        assert_eq!(r.u32().unwrap(), 0xdead_beef);
        assert_eq!(r.var().unwrap(), 300);
        assert_eq!(r.str().unwrap(), "héllo");
        assert_eq!(r.opt_string().unwrap(), None);
        assert_eq!(r.strings().unwrap(), vec!["a", "bc"]);
        assert!(r.u8().is_err());
        let mut short = Reader::new(&[0xff, 0xff]);
        assert!(short.var().is_err());
        let mut lying = Reader::new(&[50, b'a']);
        assert!(lying.str().is_err());
    }
}
