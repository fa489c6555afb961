//! `palisade deps`: find lock files and dependency manifests, match their packages against the
//! vulnerability database, and report like `scan` does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use palisade_core::{Finding, Location, Report, ScanSummary, Severity};
use palisade_exceptions::{Date, Exceptions};
use palisade_pkg::{LockFile, Scope};
use palisade_report::{FormatSpec, RenderOptions};
use palisade_vuln::{AssessOptions, Epss, Kev, Subject, Vex, assess};

use crate::Outcome;
use crate::args::ColorChoice;
use crate::commands::db::{open_database, resolve_db_path};
use crate::output::{stdout_is_terminal, write_reports};

#[derive(Debug, Args)]
pub struct DepsArgs {
    /// Directories to search for lock files, or lock files themselves.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format, optionally to a file: FORMAT[=PATH]. Repeatable (table, json, sarif,
    /// junit, html, markdown, prometheus).
    #[arg(
        short,
        long = "format",
        value_name = "FORMAT[=PATH]",
        default_value = "table"
    )]
    pub formats: Vec<FormatSpec>,
    /// Exit 1 when a vulnerability at or above this severity remains.
    #[arg(long, value_name = "SEVERITY", env = "PALISADE_FAIL_ON")]
    pub fail_on: Option<Severity>,
    /// Leave out vulnerabilities that have no fixed version yet.
    #[arg(long)]
    pub ignore_unfixed: bool,
    /// Exceptions file (YAML): accepted vulnerabilities with reason and expiry. Repeatable.
    #[arg(long = "exceptions", value_name = "FILE", env = "PALISADE_EXCEPTIONS")]
    pub exceptions: Vec<PathBuf>,
    /// OpenVEX document; `not_affected` and `fixed` statements suppress findings. Repeatable.
    #[arg(long = "vex", value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// CISA Known Exploited Vulnerabilities catalog (JSON) to flag findings with.
    #[arg(long, value_name = "FILE", env = "PALISADE_KEV")]
    pub kev: Option<PathBuf>,
    /// FIRST EPSS scores (CSV, optionally with its `#model_version` comment line).
    #[arg(long, value_name = "FILE", env = "PALISADE_EPSS")]
    pub epss: Option<PathBuf>,
    /// Leave out files and directories matching this glob (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,
    /// The vulnerability database (default: the user cache directory; see `palisade db`).
    #[arg(long, value_name = "PATH", env = "PALISADE_DB")]
    pub db: Option<PathBuf>,
    /// List suppressed findings in the table too.
    #[arg(long)]
    pub show_suppressed: bool,
    /// When to colour the table.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print nothing on stderr but errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// Directory SARIF file URIs are relative to (default: the current directory).
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<PathBuf>,
}

/// Packages read from every lock file, plus what could not be read.
#[derive(Default)]
struct Inventory {
    subjects: Vec<Subject>,
    files: usize,
    unpinned: usize,
    /// Non-runtime packages by (path, line), to say so in their findings.
    scopes: HashMap<(String, u32), Scope>,
    /// Lock files that do not parse, as findings (the rest of the scan goes on).
    invalid: Vec<Finding>,
    warnings: Vec<String>,
}

pub fn run(args: &DepsArgs) -> anyhow::Result<Outcome> {
    // Inputs are read before the database is opened, so a typo in a path is reported first.
    let mut warnings = Vec::new();
    let exceptions = load_exceptions(&args.exceptions, &mut warnings)?;
    let vex = load_vex(&args.vex)?;
    let kev = args
        .kev
        .as_deref()
        .map(Kev::load)
        .transpose()
        .context("cannot read the KEV catalog")?;
    let epss = args
        .epss
        .as_deref()
        .map(Epss::load)
        .transpose()
        .context("cannot read the EPSS scores")?;
    let inventory = collect(&args.paths, &args.excludes)?;
    warnings.extend(inventory.warnings.iter().cloned());
    if inventory.unpinned > 0 {
        warnings.push(format!(
            "{} requirement{} no exact version and cannot be matched; pin {} or scan a lock file",
            inventory.unpinned,
            if inventory.unpinned == 1 {
                " has"
            } else {
                "s have"
            },
            if inventory.unpinned == 1 {
                "it"
            } else {
                "them"
            }
        ));
    }

    let db = open_database(&resolve_db_path(args.db.as_deref())?)?;
    let assessment = assess(
        &db,
        &inventory.subjects,
        AssessOptions {
            kev: kev.as_ref(),
            epss: epss.as_ref(),
            ignore_unfixed: args.ignore_unfixed,
        },
    )
    .context("cannot query the vulnerability database")?;
    for message in &assessment.unevaluated {
        warnings.push(message.clone());
    }

    let mut findings = assessment.findings;
    mark_scopes(&mut findings, &inventory.scopes);
    findings.extend(inventory.invalid);
    if let Some(vex) = &vex {
        vex.apply(&mut findings);
    }
    exceptions.apply(&mut findings, Date::today());

    if !args.quiet {
        for warning in &warnings {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("warning: {warning}");
            }
        }
    }
    let summary = ScanSummary {
        files: inventory.files,
        objects: inventory.subjects.len(),
        ..ScanSummary::default()
    };
    let report = Report::new("deps", findings, summary);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let render = RenderOptions {
        color,
        show_suppressed: args.show_suppressed,
        sarif_root: args.sarif_root.as_deref(),
        rule_docs: None,
        baseline: None,
    };
    write_reports(&report, &args.formats, render)?;
    let gate = matches!(
        (args.fail_on, report.max_severity()),
        (Some(threshold), Some(worst)) if worst >= threshold
    );
    Ok(if gate {
        Outcome::GateFailed
    } else {
        Outcome::Clean
    })
}

fn load_exceptions(paths: &[PathBuf], warnings: &mut Vec<String>) -> anyhow::Result<Exceptions> {
    let mut all = Exceptions::default();
    for path in paths {
        all.extend(Exceptions::load(path)?);
    }
    warnings.extend(all.expired(Date::today()).iter().map(ToString::to_string));
    Ok(all)
}

fn load_vex(paths: &[PathBuf]) -> anyhow::Result<Option<Vex>> {
    let mut all: Option<Vex> = None;
    for path in paths {
        let vex = Vex::load(path)?;
        match &mut all {
            Some(all) => all.extend(vex),
            None => all = Some(vex),
        }
    }
    Ok(all)
}

fn collect(roots: &[PathBuf], excludes: &[String]) -> anyhow::Result<Inventory> {
    let (paths, walk_warnings) =
        palisade_scan::find_files(roots, excludes, |p| palisade_pkg::detect(p).is_some())?;
    let mut inventory = Inventory {
        warnings: walk_warnings,
        ..Inventory::default()
    };
    for path in paths {
        // Explicitly named files that are not a known format are an error, not a silent skip.
        let Some(kind) = palisade_pkg::detect(&path) else {
            anyhow::bail!(
                "{}: not a lock file or dependency manifest Palisade reads (see `palisade deps \
                 --help`)",
                path.display()
            );
        };
        let display = display_path(&path);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                inventory
                    .warnings
                    .push(format!("{display}: cannot read: {error}"));
                continue;
            }
        };
        inventory.files += 1;
        match palisade_pkg::parse(kind, &display, &bytes) {
            Ok(lock) => add_packages(&mut inventory, lock),
            Err(error) => inventory.invalid.push(invalid_lock_file(
                &display,
                kind.as_str(),
                error.line,
                error.column,
                &error.message,
            )),
        }
    }
    Ok(inventory)
}

fn add_packages(inventory: &mut Inventory, lock: LockFile) {
    for diagnostic in &lock.warnings {
        inventory.warnings.push(format!(
            "{}:{}: {}",
            lock.path, diagnostic.line, diagnostic.message
        ));
    }
    for package in lock.packages {
        if !package.pinned {
            inventory.unpinned += 1;
            continue;
        }
        if matches!(package.scope, Scope::Dev | Scope::Test | Scope::Optional) {
            inventory.scopes.insert(
                (package.location.path.clone(), package.location.line),
                package.scope,
            );
        }
        inventory.subjects.push(Subject {
            package: package.to_package_ref(),
            location: Some(package.location),
            layer: None,
        });
    }
}

/// Says in the message when the vulnerable package is only a development or test dependency:
/// still worth fixing (it runs in CI), but not what ships.
fn mark_scopes(findings: &mut [Finding], scopes: &HashMap<(String, u32), Scope>) {
    if scopes.is_empty() {
        return;
    }
    for finding in findings {
        let Some(location) = &finding.location else {
            continue;
        };
        if let Some(scope) = scopes.get(&(location.path.clone(), location.line)) {
            finding.message = format!("{} ({} dependency)", finding.message, scope.as_str());
        }
    }
}

/// Paths as the user would write them: relative to the current directory when inside it.
fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let text = relative.display().to_string();
    text.strip_prefix("./").map_or(text.clone(), str::to_string)
}

fn invalid_lock_file(path: &str, kind: &str, line: u32, column: u32, message: &str) -> Finding {
    let mut finding = Finding::new(
        "invalid-lockfile",
        Severity::High,
        format!("{path} is not a valid {kind} file: {message}"),
    );
    finding.slug = "invalid-lockfile".to_string();
    finding.title = "Lock file cannot be parsed".to_string();
    finding.remediation =
        "fix the syntax error or regenerate the file with the package manager".to_string();
    finding.location = Some(Location {
        path: path.to_string(),
        line,
        column,
        end_line: line,
        end_column: column,
        pointer: String::new(),
        exact: true,
    });
    finding
}
