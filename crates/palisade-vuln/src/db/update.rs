//! `db update`: download each ecosystem's `all.zip` from an OSV-layout bucket, check each archive,
//! build the database from them, and replace the old file atomically. Nothing replaces the old
//! database until every step has succeeded, so a failed or interrupted download leaves it as it
//! was.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Database, DbError, ImportReport};

/// What `update` is doing, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Downloading,
    Verifying,
    Importing,
    Writing,
    Done,
}

/// A progress report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    /// The ecosystem being downloaded or verified (empty for the later stages).
    pub ecosystem: String,
    pub url: String,
    pub downloaded: u64,
    /// From `Content-Length`, when the server sent one.
    pub total: Option<u64>,
}

/// Knobs for [`update_with`].
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// Limit for each whole request (connect, headers, body).
    pub timeout: Duration,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            timeout: Duration::from_secs(15 * 60),
        }
    }
}

/// Percent-encodes one URL path segment (`Rocky Linux` → `Rocky%20Linux`).
pub(crate) fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `<base>/<ECOSYSTEM>/all.zip`.
pub(crate) fn archive_url(base_url: &str, ecosystem: &str) -> String {
    format!(
        "{}/{}/all.zip",
        base_url.trim_end_matches('/'),
        encode_segment(ecosystem)
    )
}

fn download(
    agent: &ureq::Agent,
    url: &str,
    ecosystem: &str,
    dest: &Path,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(), DbError> {
    let fail = |reason: String| DbError::Download {
        url: url.to_string(),
        reason,
    };
    let response = agent.get(url).call().map_err(|e| fail(e.to_string()))?;
    let total = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let mut reader = response.into_body().into_reader();
    let mut file = File::create(dest).map_err(|e| DbError::io(dest, e))?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut downloaded = 0u64;
    let mut report = |downloaded: u64| {
        progress(&Progress {
            stage: Stage::Downloading,
            ecosystem: ecosystem.to_string(),
            url: url.to_string(),
            downloaded,
            total,
        });
    };
    report(0);
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(fail(format!(
                    "connection failed after {downloaded} bytes: {e}"
                )));
            }
        };
        file.write_all(&buf[..n])
            .map_err(|e| DbError::io(dest, e))?;
        downloaded += n as u64;
        report(downloaded);
    }
    if let Some(total) = total.filter(|t| *t != downloaded) {
        return Err(fail(format!(
            "connection closed after {downloaded} of {total} bytes"
        )));
    }
    file.sync_all().map_err(|e| DbError::io(dest, e))?;
    Ok(())
}

fn verify_zip(path: &Path, url: &str) -> Result<usize, DbError> {
    let file = File::open(path).map_err(|e| DbError::io(path, e))?;
    let archive = zip::ZipArchive::new(file).map_err(|e| {
        DbError::BadArchive(format!("{url}: {e} (incomplete or not a zip download)"))
    })?;
    Ok(archive.len())
}

/// Downloads `<base_url>/<ECOSYSTEM>/all.zip` for each ecosystem and rebuilds the database at
/// `dest` from them. Returns the new database and what the import found.
pub fn update(
    base_url: &str,
    ecosystems: &[&str],
    dest: &Path,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(Database, ImportReport), DbError> {
    update_with(
        base_url,
        ecosystems,
        dest,
        &UpdateOptions::default(),
        progress,
    )
}

/// [`update`] with options.
pub fn update_with(
    base_url: &str,
    ecosystems: &[&str],
    dest: &Path,
    options: &UpdateOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(Database, ImportReport), DbError> {
    if ecosystems.is_empty() {
        return Err(DbError::NoSources);
    }
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| DbError::io(&dir, e))?;
    // Downloads go next to the database, so the final rename never crosses file systems, and the
    // directory is removed however this ends.
    let work = tempfile::Builder::new()
        .prefix(".palisade-update-")
        .tempdir_in(&dir)
        .map_err(|e| DbError::io(&dir, e))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .build()
        .into();
    let mut sources = Vec::with_capacity(ecosystems.len());
    for (i, ecosystem) in ecosystems.iter().enumerate() {
        let url = archive_url(base_url, ecosystem);
        let file = work.path().join(format!("{i}.zip"));
        download(&agent, &url, ecosystem, &file, progress)?;
        progress(&Progress {
            stage: Stage::Verifying,
            ecosystem: (*ecosystem).to_string(),
            url: url.clone(),
            downloaded: 0,
            total: None,
        });
        verify_zip(&file, &url)?;
        sources.push((file, url));
    }
    let stage = |stage| Progress {
        stage,
        ecosystem: String::new(),
        url: String::new(),
        downloaded: 0,
        total: None,
    };
    progress(&stage(Stage::Importing));
    let (mut db, report) = Database::import_named(&sources)?;
    progress(&stage(Stage::Writing));
    db.write(dest)?;
    progress(&stage(Stage::Done));
    Ok((db, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_encode_ecosystems() {
        assert_eq!(
            archive_url(
                "https://osv-vulnerabilities.storage.googleapis.com/",
                "Rocky Linux"
            ),
            "https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip"
        );
        assert_eq!(
            archive_url("http://h", "crates.io"),
            "http://h/crates.io/all.zip"
        );
        assert_eq!(
            archive_url("http://h", "Debian:12"),
            "http://h/Debian%3A12/all.zip"
        );
    }
}
