//! Streaming layer tars: decompression by magic bytes, path normalisation, whiteouts, symlinks,
//! budgets, and handing the files catalogers want to a [`FileSink`]. Nothing is written to disk.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, BufReader, Read};

use sha2::{Digest as _, Sha256};

use crate::digest::Digest;
use crate::error::ImageError;
use crate::secrets::{SecretHit, SecretScanner};

/// What the consumer wants done with a file (mirrors palisade-pkg's `Interest`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Skip,
    /// Keep the whole contents (package databases, manifests, lock files).
    Keep,
    /// Look inside now (Go build info, cargo-auditable data) and keep only the result.
    Binary,
}

/// Receives the files of an image, layer by layer, and the deletions of later layers.
pub trait FileSink {
    /// Whether a regular file is wanted. Paths are relative and normalised (`var/lib/dpkg/status`).
    fn interest(&self, path: &str, executable: bool, size: u64) -> Want;
    fn keep(&mut self, path: &str, layer: usize, contents: Vec<u8>);
    fn binary(&mut self, path: &str, layer: usize, contents: &[u8]);
    /// A `.wh.<name>` whiteout.
    fn remove(&mut self, path: &str, layer: usize);
    /// An opaque directory (`.wh..wh..opq`): everything below `dir` from earlier layers is gone.
    fn remove_dir_contents(&mut self, dir: &str, layer: usize);
    /// The surviving contents kept for `path` and its layer, used to resolve symlinks whose
    /// target came earlier in the stream.
    fn lookup(&self, path: &str) -> Option<(usize, Vec<u8>)>;
}

/// Budgets against decompression bombs and oversized files.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Uncompressed bytes over all layers; beyond it the scan stops with an error.
    pub max_uncompressed_total: u64,
    /// Largest file handed to the sink; larger wanted files are skipped with a warning.
    pub max_kept_file: u64,
    /// Largest file searched for secrets ("text-like size").
    pub max_secret_file: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_uncompressed_total: 32 * 1024 * 1024 * 1024,
            max_kept_file: 512 * 1024 * 1024,
            max_secret_file: 1024 * 1024,
        }
    }
}

/// How a layer was compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Counts of one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerStats {
    pub compression: Compression,
    pub entries: usize,
    pub files: usize,
    pub uncompressed_bytes: u64,
}

/// Normalises a tar path: no leading `/` or `./`, no empty or `.` components. `None` when the
/// path climbs out of the root with `..` (or is the root itself).
pub fn normalise_path(raw: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("/"))
    }
}

/// Resolves a symlink target as the container would see it: absolute targets from the image
/// root, relative ones from the link's directory; `..` stops at the root, so nothing resolves
/// outside the image.
pub fn resolve_link(link_path: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = link_path.split('/').collect();
        p.pop();
        p
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Reads layers in order, feeding a sink, scanning for secrets, enforcing budgets.
pub struct LayerWalker<'a, S: FileSink> {
    sink: &'a mut S,
    limits: Limits,
    secrets: Option<SecretScanner>,
    total: u64,
    /// Symlinks the sink wants: path → (target, layer).
    symlinks: BTreeMap<String, (String, usize)>,
    /// Whiteouts seen: (layer, path, opaque).
    removals: Vec<(usize, String, bool)>,
    hits: Vec<SecretHit>,
    warnings: Vec<String>,
    files: usize,
}

const NOT_TEXT_PROBE: usize = 8000;

struct Budgeted<'e, R> {
    inner: R,
    used: u64,
    remaining: u64,
    hasher: Option<Sha256>,
    /// Set once the stream has ended, to tell a cut tar from a corrupt one.
    ended: &'e Cell<bool>,
}

impl<R: Read> Read for Budgeted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.ended.set(true);
        }
        self.used += n as u64;
        if self.used > self.remaining {
            return Err(io::Error::other(BudgetExceeded));
        }
        if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

#[derive(Debug)]
struct BudgetExceeded;

impl std::fmt::Display for BudgetExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("decompression budget exceeded")
    }
}

impl std::error::Error for BudgetExceeded {}

fn is_budget(e: &io::Error) -> bool {
    e.get_ref().is_some_and(
        <dyn std::error::Error + std::marker::Send + std::marker::Sync + 'static>::is::<
            BudgetExceeded,
        >,
    )
}

impl<'a, S: FileSink> LayerWalker<'a, S> {
    pub fn new(sink: &'a mut S, limits: Limits, secrets: bool) -> Self {
        LayerWalker {
            sink,
            limits,
            secrets: secrets.then(SecretScanner::new),
            total: 0,
            symlinks: BTreeMap::new(),
            removals: Vec::new(),
            hits: Vec::new(),
            warnings: Vec::new(),
            files: 0,
        }
    }

    /// Streams one layer. `diff_id`, when given, is checked against the uncompressed tar (for
    /// sources whose blobs carry no digest of their own, like docker-archives).
    pub fn walk(
        &mut self,
        raw: impl Read,
        index: usize,
        label: &str,
        diff_id: Option<&Digest>,
    ) -> Result<LayerStats, ImageError> {
        let layer_err = |reason: String| ImageError::Layer {
            layer: index,
            digest: label.to_string(),
            reason,
        };
        let mut buffered = BufReader::with_capacity(256 * 1024, raw);
        let magic = buffered
            .fill_buf()
            .map_err(|e| layer_err(format!("cannot read: {e}")))?;
        let compression = match magic {
            [0x1f, 0x8b, ..] => Compression::Gzip,
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
            [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => {
                return Err(layer_err("xz-compressed layers are not supported".into()));
            }
            [b'B', b'Z', b'h', ..] => {
                return Err(layer_err(
                    "bzip2-compressed layers are not supported".into(),
                ));
            }
            _ => Compression::None,
        };
        let decoded: Box<dyn Read + '_> = match compression {
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(&mut buffered)),
            Compression::Zstd => Box::new(
                zstd::stream::read::Decoder::with_buffer(&mut buffered)
                    .map_err(|e| layer_err(format!("zstd: {e}")))?,
            ),
            Compression::None => Box::new(&mut buffered),
        };
        let ended = Cell::new(false);
        let mut budgeted = Budgeted {
            ended: &ended,
            inner: decoded,
            used: 0,
            remaining: self
                .limits
                .max_uncompressed_total
                .saturating_sub(self.total),
            hasher: diff_id.map(|_| Sha256::new()),
        };
        let budget_limit = self.limits.max_uncompressed_total;
        let map_io = |e: io::Error, context: &str| {
            if is_budget(&e) {
                ImageError::Budget {
                    layer: index,
                    limit: budget_limit,
                }
            } else {
                layer_err(format!("{context}: {e}"))
            }
        };
        let mut stats = LayerStats {
            compression,
            entries: 0,
            files: 0,
            uncompressed_bytes: 0,
        };
        {
            let mut archive = tar::Archive::new(&mut budgeted);
            let entries = archive
                .entries()
                .map_err(|e| map_io(e, "not a tar archive"))?;
            let mut layer_kept: HashMap<String, Vec<u8>> = HashMap::new();
            for entry in entries {
                let entry = match entry {
                    Ok(entry) => entry,
                    // Some tools (umoci insert among them) end a layer right after the last
                    // file's data, without its padding or the end-of-archive blocks. The
                    // layer's digest still covers what is there, so read it and say so.
                    Err(_) if ended.get() && stats.entries > 0 => {
                        self.warnings.push(format!(
                            "layer {index}: the tar stream stops after entry {} without padding \
                             or end-of-archive marker; the entries before the cut were read",
                            stats.entries
                        ));
                        break;
                    }
                    Err(e) => return Err(map_io(e, "invalid tar entry")),
                };
                stats.entries += 1;
                self.entry(entry, index, &mut layer_kept, &mut stats)
                    .map_err(|e| match e {
                        EntryError::Io(e, path) => map_io(e, &format!("entry {path:?}")),
                    })?;
            }
        }
        // Drain what follows the tar's end marker so the blob digest covers the whole stream.
        io::copy(&mut budgeted, &mut io::sink()).map_err(|e| map_io(e, "trailing data"))?;
        let used = budgeted.used;
        let hasher = budgeted.hasher.take();
        drop(budgeted);
        io::copy(&mut buffered, &mut io::sink()).map_err(|e| map_io(e, "trailing data"))?;
        if let (Some(expected), Some(h)) = (diff_id, hasher) {
            let actual = Digest::parse(&format!("sha256:{}", hex(&h.finalize())))?;
            if &actual != expected {
                return Err(ImageError::DigestMismatch {
                    what: format!("layer {index} (uncompressed)"),
                    expected: expected.to_string(),
                    actual: actual.to_string(),
                });
            }
        }
        stats.uncompressed_bytes = used;
        self.total += used;
        Ok(stats)
    }

    fn entry<R: Read>(
        &mut self,
        mut entry: tar::Entry<'_, R>,
        layer: usize,
        layer_kept: &mut HashMap<String, Vec<u8>>,
        stats: &mut LayerStats,
    ) -> Result<(), EntryError> {
        let raw_path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let Some(path) = normalise_path(&raw_path) else {
            if raw_path.split('/').any(|p| p == "..") {
                self.warnings.push(format!(
                    "layer {layer}: entry {raw_path:?} climbs out of the image root; ignored"
                ));
            }
            return Ok(());
        };
        let (dir, name) = match path.rsplit_once('/') {
            Some((d, n)) => (d, n),
            None => ("", path.as_str()),
        };
        if let Some(hidden) = name.strip_prefix(".wh.") {
            if hidden == ".wh..opq" {
                self.sink.remove_dir_contents(dir, layer);
                self.symlinks.retain(|p, _| !is_below(p, dir));
                self.removals.push((layer, dir.to_string(), true));
            } else if !hidden.is_empty() {
                let removed = if dir.is_empty() {
                    hidden.to_string()
                } else {
                    format!("{dir}/{hidden}")
                };
                self.sink.remove(&removed, layer);
                self.symlinks.remove(&removed);
                self.removals.push((layer, removed, false));
            }
            return Ok(());
        }
        let header = entry.header();
        let kind = header.entry_type();
        let executable = header.mode().is_ok_and(|m| m & 0o111 != 0);
        if kind.is_symlink() {
            let target = entry
                .link_name_bytes()
                .map(|t| String::from_utf8_lossy(&t).into_owned())
                .unwrap_or_default();
            if self.sink.interest(&path, false, 0) != Want::Skip
                && let Some(resolved) = resolve_link(&path, &target)
            {
                self.symlinks.insert(path, (resolved, layer));
            } else {
                self.symlinks.remove(&path);
            }
            return Ok(());
        }
        if kind.is_hard_link() {
            let target = entry
                .link_name_bytes()
                .and_then(|t| normalise_path(&String::from_utf8_lossy(&t)));
            if let Some(contents) = target.and_then(|t| layer_kept.get(&t).cloned()) {
                match self.sink.interest(&path, executable, contents.len() as u64) {
                    Want::Keep => self.sink.keep(&path, layer, contents),
                    Want::Binary => self.sink.binary(&path, layer, &contents),
                    Want::Skip => {}
                }
            }
            return Ok(());
        }
        if !(kind.is_file() || kind == tar::EntryType::Continuous) {
            return Ok(());
        }
        stats.files += 1;
        self.files += 1;
        self.symlinks.remove(&path);
        let size = entry.size();
        let want = self.sink.interest(&path, executable, size);
        let link_wanted = self.symlinks.values().any(|(t, _)| *t == path);
        let secret_candidate =
            self.secrets.is_some() && size > 0 && size <= self.limits.max_secret_file;
        let keep_ok = size <= self.limits.max_kept_file;
        if want != Want::Skip && !keep_ok {
            self.warnings.push(format!(
                "layer {layer}: {path} is {size} bytes, over the {} byte limit for cataloged files; skipped",
                self.limits.max_kept_file
            ));
        }
        let need = (want != Want::Skip || link_wanted) && keep_ok || secret_candidate;
        if !need {
            return Ok(());
        }
        let mut contents = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(1 << 26));
        entry
            .read_to_end(&mut contents)
            .map_err(|e| EntryError::Io(e, path.clone()))?;
        if (contents.len() as u64) < size {
            return Err(EntryError::Io(
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "the layer ends inside this file ({} of {size} bytes)",
                        contents.len()
                    ),
                ),
                path,
            ));
        }
        if secret_candidate
            && let Some(scanner) = &self.secrets
            && !contents[..contents.len().min(NOT_TEXT_PROBE)].contains(&0)
        {
            self.hits.extend(scanner.scan(&path, layer, &contents));
        }
        if !keep_ok {
            return Ok(());
        }
        if link_wanted {
            let links: Vec<String> = self
                .symlinks
                .iter()
                .filter(|(_, (t, _))| *t == path)
                .map(|(p, _)| p.clone())
                .collect();
            for link in links {
                self.symlinks.remove(&link);
                match self.sink.interest(&link, executable, size) {
                    Want::Keep => self.sink.keep(&link, layer, contents.clone()),
                    Want::Binary => self.sink.binary(&link, layer, &contents),
                    Want::Skip => {}
                }
            }
        }
        match want {
            Want::Keep => {
                layer_kept.insert(path.clone(), contents.clone());
                self.sink.keep(&path, layer, contents);
            }
            Want::Binary => {
                self.sink.binary(&path, layer, &contents);
                layer_kept.insert(path, contents);
            }
            Want::Skip => {}
        }
        Ok(())
    }

    /// Resolves the symlinks still standing against files kept from earlier entries, and
    /// returns the secrets found (each marked with the layer that deleted it, if any) and the
    /// warnings.
    pub fn finish(self) -> WalkOutcome {
        let LayerWalker {
            sink,
            symlinks,
            removals,
            mut hits,
            warnings,
            files,
            ..
        } = self;
        for (link, (target, layer)) in &symlinks {
            // Follow chains of links (bounded), then take the file the sink kept.
            let mut current = target.clone();
            for _ in 0..16 {
                match symlinks.get(&current) {
                    Some((next, _)) if *next != current => current.clone_from(next),
                    _ => break,
                }
            }
            if let Some((_, contents)) = sink.lookup(&current) {
                match sink.interest(link, false, contents.len() as u64) {
                    Want::Keep => sink.keep(link, *layer, contents),
                    Want::Binary => sink.binary(link, *layer, &contents),
                    Want::Skip => {}
                }
            }
        }
        for hit in &mut hits {
            hit.removed_in_layer = removals
                .iter()
                .filter(|(l, _, _)| *l > hit.layer)
                .find(|(_, p, opaque)| {
                    hit.path == *p || is_below(&hit.path, p) || (*opaque && p.is_empty())
                })
                .map(|(l, _, _)| *l);
        }
        WalkOutcome {
            secrets: hits,
            warnings,
            files,
        }
    }
}

/// What a walk over every layer found besides what went to the sink.
#[derive(Debug, Clone, Default)]
pub struct WalkOutcome {
    pub secrets: Vec<SecretHit>,
    pub warnings: Vec<String>,
    /// Regular files seen over all layers.
    pub files: usize,
}

/// Whether `path` lies below directory `dir` (everything is below the root, `""`).
fn is_below(path: &str, dir: &str) -> bool {
    dir.is_empty() || (path.starts_with(dir) && path[dir.len()..].starts_with('/'))
}

enum EntryError {
    Io(io::Error, String),
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests;
