//! What `deps`, `image` and `sbom scan` share once they have a list of packages: the flags that
//! shape a vulnerability report, matching against the database, suppression (VEX, exceptions),
//! rendering and the exit code.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use palisade_core::{Finding, Report, ScanSummary, Severity};
use palisade_exceptions::{Date, Exceptions};
use palisade_report::{FormatSpec, RenderOptions};
use palisade_vuln::{AssessOptions, Epss, Kev, Subject, Vex, assess};

use crate::Outcome;
use crate::args::ColorChoice;
use crate::commands::db::{open_database, resolve_db_path};
use crate::output::{stdout_is_terminal, write_reports};

#[derive(Debug, Clone, Args)]
pub struct VulnArgs {
    /// Output format, optionally to a file: FORMAT[=PATH]. Repeatable (table, json, sarif,
    /// junit, html, markdown, prometheus).
    #[arg(
        short,
        long = "format",
        value_name = "FORMAT[=PATH]",
        default_value = "table"
    )]
    pub formats: Vec<FormatSpec>,
    /// Exit 1 when a finding at or above this severity remains.
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

/// Everything read from the flags before any scanning, so a bad file fails fast.
pub struct Enrichment {
    exceptions: Exceptions,
    vex: Option<Vex>,
    kev: Option<Kev>,
    epss: Option<Epss>,
    pub warnings: Vec<String>,
}

impl VulnArgs {
    pub fn load(&self) -> anyhow::Result<Enrichment> {
        let mut warnings = Vec::new();
        let mut exceptions = Exceptions::default();
        for path in &self.exceptions {
            exceptions.extend(Exceptions::load(path)?);
        }
        warnings.extend(
            exceptions
                .expired(Date::today())
                .iter()
                .map(ToString::to_string),
        );
        let mut vex: Option<Vex> = None;
        for path in &self.vex {
            let more = Vex::load(path)?;
            match &mut vex {
                Some(all) => all.extend(more),
                None => vex = Some(more),
            }
        }
        let kev = self
            .kev
            .as_deref()
            .map(Kev::load)
            .transpose()
            .context("cannot read the KEV catalog")?;
        let epss = self
            .epss
            .as_deref()
            .map(Epss::load)
            .transpose()
            .context("cannot read the EPSS scores")?;
        Ok(Enrichment {
            exceptions,
            vex,
            kev,
            epss,
            warnings,
        })
    }
}

/// A scan's packages and what else it found, ready to become a report.
pub struct Scanned {
    pub command: &'static str,
    pub subjects: Vec<Subject>,
    /// Findings that are not vulnerabilities (unreadable files, secrets in layers).
    pub other_findings: Vec<Finding>,
    pub files: usize,
    pub warnings: Vec<String>,
}

/// Matches, suppresses, prints and gates. `adjust` sees the vulnerability findings before
/// suppression (to add context such as a dependency's scope).
pub fn report(
    args: &VulnArgs,
    mut enrichment: Enrichment,
    scanned: Scanned,
    adjust: impl FnOnce(&mut [Finding]),
) -> anyhow::Result<Outcome> {
    let db = open_database(&resolve_db_path(args.db.as_deref())?)?;
    let assessment = assess(
        &db,
        &scanned.subjects,
        AssessOptions {
            kev: enrichment.kev.as_ref(),
            epss: enrichment.epss.as_ref(),
            ignore_unfixed: args.ignore_unfixed,
        },
    )
    .context("cannot query the vulnerability database")?;
    let mut warnings = std::mem::take(&mut enrichment.warnings);
    warnings.extend(scanned.warnings);
    warnings.extend(assessment.unevaluated);

    let mut findings = assessment.findings;
    adjust(&mut findings);
    findings.extend(scanned.other_findings);
    if let Some(vex) = &enrichment.vex {
        vex.apply(&mut findings);
    }
    enrichment.exceptions.apply(&mut findings, Date::today());

    if !args.quiet {
        for warning in &warnings {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("warning: {warning}");
            }
        }
    }
    let summary = ScanSummary {
        files: scanned.files,
        objects: scanned.subjects.len(),
        ..ScanSummary::default()
    };
    let report = Report::new(scanned.command, findings, summary);
    write(args, &report)?;
    Ok(gate(args.fail_on, &report))
}

/// Renders `report` in every requested format.
pub fn write(args: &VulnArgs, report: &Report) -> anyhow::Result<()> {
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
    write_reports(report, &args.formats, render)
}

/// Exit 1 when a counting finding is at or above `fail_on`.
pub fn gate(fail_on: Option<Severity>, report: &Report) -> Outcome {
    match (fail_on, report.max_severity()) {
        (Some(threshold), Some(worst)) if worst >= threshold => Outcome::GateFailed,
        _ => Outcome::Clean,
    }
}
