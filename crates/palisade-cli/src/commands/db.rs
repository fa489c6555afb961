//! `palisade db`: build, refresh and inspect the local vulnerability database.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use palisade_vuln::db::{Progress, Stage, format_unix_time};
use palisade_vuln::{Database, DbStatus, ImportReport};

use crate::Outcome;

/// The public OSV bucket: `<BASE>/<ECOSYSTEM>/all.zip` for every ecosystem.
pub const DEFAULT_OSV_BASE: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// Ecosystems `db update` fetches when none are named: what `deps` and `image` can match.
const DEFAULT_ECOSYSTEMS: &[&str] = &[
    "crates.io",
    "npm",
    "PyPI",
    "Go",
    "Maven",
    "RubyGems",
    "Packagist",
    "NuGet",
    "Pub",
    "Debian",
    "Ubuntu",
    "Alpine",
    "AlmaLinux",
    "Rocky Linux",
    "Wolfi",
    "Chainguard",
];

/// A database older than this draws a warning: advisories are published daily.
const STALE_AFTER_SECONDS: u64 = 7 * 24 * 3600;

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
    /// The database file (default: `$XDG_CACHE_HOME/palisade/osv.db`, else
    /// `~/.cache/palisade/osv.db`).
    #[arg(long, value_name = "PATH", env = "PALISADE_DB", global = true)]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Build the database from OSV records: directories of .json/.yaml files, .zip archives or
    /// single files. Replaces the database atomically.
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// List every skipped or invalid record.
        #[arg(long)]
        verbose_issues: bool,
    },
    /// Download `<BASE>/<ECOSYSTEM>/all.zip` for each ecosystem and rebuild the database. The
    /// old database stays in place until the new one is complete.
    Update {
        /// Base URL of an OSV-layout bucket or mirror.
        #[arg(long, value_name = "BASE", env = "PALISADE_OSV_URL", default_value = DEFAULT_OSV_BASE)]
        url: String,
        /// Ecosystems to fetch (comma-separated or repeated; default: every one Palisade matches).
        #[arg(long = "ecosystem", value_delimiter = ',', value_name = "NAME")]
        ecosystems: Vec<String>,
    },
    /// Show where the database came from, what it holds and how old it is.
    Status {
        /// Print the status as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `--db`, else `PALISADE_DB` (through clap), else the user cache directory.
pub fn resolve_db_path(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })
        .context("cannot find a cache directory (HOME is not set); pass --db PATH")?;
    Ok(cache.join("palisade").join("osv.db"))
}

/// Opens the database for a scan, with advice when there is none yet.
pub fn open_database(path: &Path) -> anyhow::Result<Database> {
    if !path.exists() {
        anyhow::bail!(
            "no vulnerability database at {}; run `palisade db update` (or `palisade db import \
             PATH` offline) first",
            path.display()
        );
    }
    let db = Database::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    if let Some(warning) = age_warning(&db.status()) {
        warn(&warning);
    }
    Ok(db)
}

pub fn run(args: &DbArgs) -> anyhow::Result<Outcome> {
    let path = resolve_db_path(args.db.as_deref())?;
    match &args.command {
        DbCommand::Import {
            paths,
            verbose_issues,
        } => import(&path, paths, *verbose_issues),
        DbCommand::Update { url, ecosystems } => update(&path, url, ecosystems),
        DbCommand::Status { json } => status(&path, *json),
    }
}

#[allow(clippy::print_stderr)]
fn warn(message: &str) {
    eprintln!("warning: {message}");
}

fn import(dest: &Path, paths: &[PathBuf], verbose_issues: bool) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let (mut db, report) = Database::import(paths).context("import failed")?;
    db.write(dest)
        .with_context(|| format!("cannot write {}", dest.display()))?;
    print_import_summary(dest, &db, &report, started, verbose_issues);
    Ok(Outcome::Clean)
}

fn update(dest: &Path, url: &str, ecosystems: &[String]) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let chosen: Vec<&str> = if ecosystems.is_empty() {
        DEFAULT_ECOSYSTEMS.to_vec()
    } else {
        ecosystems.iter().map(String::as_str).collect()
    };
    let mut bar = ProgressLine::new();
    let result = palisade_vuln::update(url, &chosen, dest, &mut |p| bar.show(p));
    bar.finish();
    let (db, report) = result.with_context(|| {
        let kept = if dest.exists() {
            format!("; the existing database at {} is unchanged", dest.display())
        } else {
            String::new()
        };
        format!("update failed{kept}")
    })?;
    print_import_summary(dest, &db, &report, started, false);
    Ok(Outcome::Clean)
}

#[allow(clippy::print_stderr)]
fn print_import_summary(
    dest: &Path,
    db: &Database,
    report: &ImportReport,
    started: Instant,
    verbose_issues: bool,
) {
    let status = db.status();
    eprintln!(
        "Imported {} records ({} vulnerabilities after merging aliases, {} packages) in {:.2}s; \
         {} withdrawn and {} invalid skipped, {} duplicate IDs merged",
        status.records,
        status.vulnerabilities,
        status.packages,
        started.elapsed().as_secs_f64(),
        report.withdrawn(),
        report.invalid(),
        report.duplicates,
    );
    let shown = if verbose_issues {
        report.issues.len()
    } else {
        10
    };
    let problems: Vec<_> = report
        .issues
        .iter()
        .filter(|i| i.kind != palisade_vuln::db::IssueKind::Warning || verbose_issues)
        .collect();
    for issue in problems.iter().take(shown) {
        eprintln!(
            "  {:?}: {}: {}{}: {}",
            issue.kind,
            issue.source,
            issue.path,
            issue
                .id
                .as_deref()
                .map_or(String::new(), |id| format!(" ({id})")),
            issue.message
        );
    }
    if problems.len() > shown {
        eprintln!(
            "  … and {} more (--verbose-issues lists them all)",
            problems.len() - shown
        );
    }
    eprintln!(
        "Wrote {} ({})",
        dest.display(),
        human_bytes(status.size_bytes)
    );
}

fn status(path: &Path, json: bool) -> anyhow::Result<Outcome> {
    let db = Database::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let status = db.status();
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &status)?;
        writeln!(out)?;
    } else {
        write_status(&status, &mut out)?;
    }
    out.flush()?;
    if let Some(warning) = age_warning(&status) {
        warn(&warning);
    }
    Ok(Outcome::Clean)
}

fn write_status(status: &DbStatus, out: &mut dyn Write) -> std::io::Result<()> {
    if let Some(path) = &status.path {
        writeln!(out, "Database:        {}", path.display())?;
    }
    writeln!(
        out,
        "Built:           {} ({} ago)",
        status.built_at,
        human_age(status.age_seconds)
    )?;
    writeln!(out, "Size:            {}", human_bytes(status.size_bytes))?;
    writeln!(out, "Format version:  {}", status.format_version)?;
    writeln!(out, "Records:         {}", status.records)?;
    writeln!(out, "Vulnerabilities: {}", status.vulnerabilities)?;
    writeln!(out, "Packages:        {}", status.packages)?;
    writeln!(out, "Sources:")?;
    for source in &status.sources {
        writeln!(
            out,
            "  {}: {} records, {} withdrawn, {} invalid",
            source.location, source.records, source.withdrawn, source.invalid
        )?;
    }
    writeln!(out, "Ecosystems:")?;
    for (ecosystem, count) in &status.ecosystems {
        writeln!(out, "  {ecosystem:<24} {count:>8}")?;
    }
    Ok(())
}

fn age_warning(status: &DbStatus) -> Option<String> {
    (status.age_seconds > STALE_AFTER_SECONDS).then(|| {
        format!(
            "the vulnerability database was built {} ({} ago); run `palisade db update`",
            format_unix_time(status.build_time),
            human_age(status.age_seconds)
        )
    })
}

fn human_age(seconds: u64) -> String {
    match seconds {
        s if s < 120 => format!("{s}s"),
        s if s < 2 * 3600 => format!("{}m", s / 60),
        s if s < 2 * 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

#[allow(clippy::cast_precision_loss)]
fn human_bytes(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / MIB)
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// A one-line progress display on a terminal's stderr; silent otherwise.
struct ProgressLine {
    enabled: bool,
    last: Option<Instant>,
    drawn: bool,
}

impl ProgressLine {
    fn new() -> Self {
        ProgressLine {
            enabled: std::io::stderr().is_terminal(),
            last: None,
            drawn: false,
        }
    }

    fn show(&mut self, progress: &Progress) {
        if !self.enabled {
            return;
        }
        // Redraw at most ten times a second while bytes stream in; stage changes always show.
        let streaming = progress.stage == Stage::Downloading && progress.downloaded > 0;
        if streaming && self.last.is_some_and(|t| t.elapsed().as_millis() < 100) {
            return;
        }
        self.last = Some(Instant::now());
        let line = match progress.stage {
            Stage::Downloading => {
                let done = human_bytes(progress.downloaded);
                match progress.total {
                    Some(total) if total > 0 => format!(
                        "downloading {}: {done} of {} ({}%)",
                        progress.ecosystem,
                        human_bytes(total),
                        progress.downloaded * 100 / total
                    ),
                    _ => format!("downloading {}: {done}", progress.ecosystem),
                }
            }
            Stage::Verifying => format!("checking {}", progress.ecosystem),
            Stage::Importing => "importing records".to_string(),
            Stage::Writing => "writing the database".to_string(),
            Stage::Done => "done".to_string(),
        };
        #[allow(clippy::print_stderr)]
        {
            eprint!("\r\x1b[2K{line}");
        }
        self.drawn = true;
    }

    fn finish(&mut self) {
        if self.drawn {
            #[allow(clippy::print_stderr)]
            {
                eprint!("\r\x1b[2K");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_sizes_read_naturally() {
        assert_eq!(human_age(59), "59s");
        assert_eq!(human_age(600), "10m");
        assert_eq!(human_age(5 * 3600), "5h");
        assert_eq!(human_age(9 * 86_400), "9d");
        assert_eq!(human_bytes(2048), "2.0 KiB");
        assert_eq!(human_bytes(21 * 1024 * 1024), "21.0 MiB");
    }

    #[test]
    fn explicit_path_wins() {
        let p = resolve_db_path(Some(Path::new("/tmp/x.db"))).unwrap();
        assert_eq!(p, PathBuf::from("/tmp/x.db"));
    }
}
