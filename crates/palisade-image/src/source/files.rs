//! Random access to the files of an OCI layout or image archive, whether a directory or a tar.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};

use crate::error::ImageError;

/// The files of a local image, by relative path (`index.json`, `blobs/sha256/<hex>`).
pub trait Files {
    fn exists(&self, path: &str) -> bool;
    /// The size of a file, if present.
    fn size(&self, path: &str) -> Option<u64>;
    /// Opens a file for streaming.
    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, ImageError>;
    /// Reads a whole (small) file, refusing files over `limit` bytes.
    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ImageError> {
        let size = self
            .size(path)
            .ok_or_else(|| ImageError::format(path, "missing from the image"))?;
        if size > limit {
            return Err(ImageError::format(
                path,
                format!("{size} bytes, more than the {limit} allowed for metadata"),
            ));
        }
        let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        self.open(path)?
            .take(limit)
            .read_to_end(&mut out)
            .map_err(|e| ImageError::io(path, e))?;
        Ok(out)
    }
    /// What to call this input in messages.
    fn describe(&self) -> String;
}

/// Keeps a relative path inside its root: no absolute paths, no `..`.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// An OCI layout directory.
pub struct DirFiles {
    root: PathBuf,
}

impl DirFiles {
    pub fn new(root: &Path) -> Self {
        DirFiles {
            root: root.to_path_buf(),
        }
    }

    fn resolve(&self, path: &str) -> Option<PathBuf> {
        safe_relative(path).map(|p| self.root.join(p))
    }
}

impl Files for DirFiles {
    fn exists(&self, path: &str) -> bool {
        self.resolve(path).is_some_and(|p| p.is_file())
    }

    fn size(&self, path: &str) -> Option<u64> {
        let p = self.resolve(path)?;
        std::fs::metadata(p)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len())
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, ImageError> {
        let p = self
            .resolve(path)
            .ok_or_else(|| ImageError::format(path, "path leaves the layout directory"))?;
        let file = File::open(&p).map_err(|e| ImageError::io(p.display().to_string(), e))?;
        Ok(Box::new(io::BufReader::with_capacity(256 * 1024, file)))
    }

    fn describe(&self) -> String {
        self.root.display().to_string()
    }
}

/// A tar file indexed once (headers only, data skipped by seeking); members are read in place.
pub struct TarFiles {
    path: PathBuf,
    entries: HashMap<String, (u64, u64)>,
}

impl TarFiles {
    pub fn index(path: &Path) -> Result<TarFiles, ImageError> {
        let what = path.display().to_string();
        let file = File::open(path).map_err(|e| ImageError::io(&what, e))?;
        let mut archive = tar::Archive::new(file);
        let mut entries = HashMap::new();
        let iter = archive
            .entries_with_seek()
            .map_err(|e| ImageError::format(&what, format!("not a tar archive: {e}")))?;
        for entry in iter {
            let entry = entry.map_err(|e| {
                // The tar reader quotes the raw header bytes, which are noise for a file that
                // is not a tar at all.
                let reason = e.to_string();
                let reason = if reason.len() <= 120 && !reason.chars().any(char::is_control) {
                    format!("not a valid tar archive: {reason}")
                } else {
                    "not a tar archive (expected `docker save` output or an OCI archive)"
                        .to_string()
                };
                ImageError::format(&what, reason)
            })?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let Some(rel) = safe_relative(&name) else {
                continue;
            };
            let key = rel.to_string_lossy().into_owned();
            entries.insert(key, (entry.raw_file_position(), entry.size()));
        }
        if entries.is_empty() {
            return Err(ImageError::format(what, "an empty or invalid tar archive"));
        }
        Ok(TarFiles {
            path: path.to_path_buf(),
            entries,
        })
    }

    fn lookup(&self, path: &str) -> Option<(u64, u64)> {
        let rel = safe_relative(path)?;
        self.entries.get(rel.to_string_lossy().as_ref()).copied()
    }
}

impl Files for TarFiles {
    fn exists(&self, path: &str) -> bool {
        self.lookup(path).is_some()
    }

    fn size(&self, path: &str) -> Option<u64> {
        self.lookup(path).map(|(_, size)| size)
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, ImageError> {
        let what = format!("{}:{path}", self.path.display());
        let (offset, size) = self
            .lookup(path)
            .ok_or_else(|| ImageError::format(&what, "missing from the archive"))?;
        let mut file = File::open(&self.path).map_err(|e| ImageError::io(&what, e))?;
        file.seek(SeekFrom::Start(offset))
            .map_err(|e| ImageError::io(&what, e))?;
        Ok(Box::new(io::BufReader::with_capacity(
            256 * 1024,
            file.take(size),
        )))
    }

    fn describe(&self) -> String {
        self.path.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tar_members_are_read_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.tar");
        let mut builder = tar::Builder::new(File::create(&path).unwrap());
        for (name, data) in [("./index.json", &b"{}"[..]), ("blobs/x", b"hello world")] {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, data).unwrap();
        }
        builder.finish().unwrap();
        drop(builder);
        let files = TarFiles::index(&path).unwrap();
        assert!(files.exists("index.json"));
        assert_eq!(files.read("blobs/x", 100).unwrap(), b"hello world");
        assert!(files.read("blobs/x", 3).is_err());
        assert!(!files.exists("../etc/passwd"));
        assert!(TarFiles::index(&dir.path().join("missing.tar")).is_err());
    }
}
