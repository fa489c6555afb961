//! `palisade deps`: find lock files and dependency manifests, match their packages against the
//! vulnerability database, and report like `scan` does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::Args;
use palisade_core::{Finding, Location, Severity};
use palisade_pkg::{LockFile, Scope};
use palisade_vuln::Subject;

use super::vulns::{self, Scanned, VulnArgs};
use crate::Outcome;

#[derive(Debug, Args)]
pub struct DepsArgs {
    /// Directories to search for lock files, or lock files themselves.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Leave out files and directories matching this glob (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,
    #[command(flatten)]
    pub vuln: VulnArgs,
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
    // Flag files and inputs are read before the database is opened, so a typo in a path is
    // reported first.
    let enrichment = args.vuln.load()?;
    let mut inventory = collect(&args.paths, &args.excludes)?;
    if inventory.unpinned > 0 {
        let (s, verb, pronoun) = if inventory.unpinned == 1 {
            ("", "has", "it")
        } else {
            ("s", "have", "them")
        };
        inventory.warnings.push(format!(
            "{} requirement{s} {verb} no exact version and cannot be matched; pin {pronoun} or \
             scan a lock file",
            inventory.unpinned
        ));
    }
    let scopes = std::mem::take(&mut inventory.scopes);
    let scanned = Scanned {
        command: "deps",
        subjects: inventory.subjects,
        other_findings: inventory.invalid,
        files: inventory.files,
        warnings: inventory.warnings,
    };
    vulns::report(&args.vuln, enrichment, scanned, |findings| {
        mark_scopes(findings, &scopes);
    })
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
    finding.slug = "invalid-lockfile".into();
    finding.title = "Lock file cannot be parsed".into();
    finding.remediation =
        "fix the syntax error or regenerate the file with the package manager".into();
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
