//! Content digests (`sha256:<hex>`) and a reader that verifies one while streaming.

use std::fmt;
use std::io::{self, Read};

use sha2::{Digest as _, Sha256};

use crate::error::ImageError;

/// A sha256 content digest. Other algorithms are refused: every blob must be verifiable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest {
    hex: String,
}

impl Digest {
    /// Parses `sha256:<64 lowercase hex>`.
    pub fn parse(text: &str) -> Result<Digest, ImageError> {
        let err = |reason: &str| ImageError::Digest {
            digest: text.to_string(),
            reason: reason.to_string(),
        };
        let (algorithm, hex) = text
            .split_once(':')
            .ok_or_else(|| err("expected ALGORITHM:HEX"))?;
        if algorithm != "sha256" {
            return Err(err("only sha256 digests are supported"));
        }
        if hex.len() != 64
            || !hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(err("expected 64 lowercase hexadecimal digits"));
        }
        Ok(Digest {
            hex: hex.to_string(),
        })
    }

    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest {
            hex: hex_string(&Sha256::digest(bytes)),
        }
    }

    /// The hexadecimal part, which OCI layouts use as the blob's file name.
    pub fn hex(&self) -> &str {
        &self.hex
    }

    /// Checks `bytes` against this digest.
    pub fn verify(&self, what: &str, bytes: &[u8]) -> Result<(), ImageError> {
        let actual = Digest::of(bytes);
        if actual == *self {
            Ok(())
        } else {
            Err(ImageError::DigestMismatch {
                what: what.to_string(),
                expected: self.to_string(),
                actual: actual.to_string(),
            })
        }
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", self.hex)
    }
}

fn hex_string(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Wraps a blob stream: hashes what passes through and, at end of stream, fails with
/// `InvalidData` when the size or the digest differs from what the manifest promised. Reading
/// past the promised size fails at once, so a server cannot stream forever.
pub struct VerifyingReader<R> {
    inner: R,
    hasher: Sha256,
    expected: Digest,
    expected_size: Option<u64>,
    read: u64,
    what: String,
    done: bool,
}

impl<R: Read> VerifyingReader<R> {
    pub fn new(inner: R, expected: Digest, expected_size: Option<u64>, what: String) -> Self {
        VerifyingReader {
            inner,
            hasher: Sha256::new(),
            expected,
            expected_size,
            read: 0,
            what,
            done: false,
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.done = true;
        if let Some(size) = self.expected_size
            && size != self.read
        {
            return Err(invalid(&format!(
                "{}: size mismatch: expected {size} bytes, got {}",
                self.what, self.read
            )));
        }
        let actual = hex_string(&std::mem::take(&mut self.hasher).finalize());
        if actual != self.expected.hex {
            return Err(invalid(&format!(
                "{}: digest mismatch: expected {}, got sha256:{actual}",
                self.what, self.expected
            )));
        }
        Ok(())
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

impl<R: Read> Read for VerifyingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.finish()?;
            return Ok(0);
        }
        self.read += n as u64;
        if let Some(size) = self.expected_size
            && self.read > size
        {
            self.done = true;
            return Err(invalid(&format!(
                "{}: more data than the {size} bytes the manifest declares",
                self.what
            )));
        }
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        let d = Digest::of(b"hello");
        assert_eq!(
            d.to_string(),
            "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        assert_eq!(Digest::parse(&d.to_string()).unwrap(), d);
        assert!(Digest::parse("md5:abcd").is_err());
        assert!(Digest::parse("sha256:ABC").is_err());
        assert!(Digest::parse("sha256").is_err());
    }

    #[test]
    fn verifying_reader_accepts_and_rejects() {
        let good = Digest::of(b"hello");
        let mut out = Vec::new();
        VerifyingReader::new(&b"hello"[..], good.clone(), Some(5), "blob".into())
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"hello");

        let err = VerifyingReader::new(&b"hellO"[..], good.clone(), Some(5), "blob".into())
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert!(err.to_string().contains("digest mismatch"), "{err}");

        let err = VerifyingReader::new(&b"hello!"[..], good.clone(), Some(5), "blob".into())
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert!(err.to_string().contains("more data"), "{err}");

        let err = VerifyingReader::new(&b"hell"[..], good, Some(5), "blob".into())
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert!(err.to_string().contains("size mismatch"), "{err}");
    }
}
