use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use palisade_core::Severity;
use palisade_report::FormatSpec;
use palisade_rules::PssVersion;

/// Palisade: Kubernetes supply-chain security scanner.
#[derive(Debug, Parser)]
#[command(name = "palisade", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// More log output on stderr (-v info, -vv debug); PALISADE_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan Kubernetes manifests (YAML/JSON files, directories, `-` for stdin) for misconfigurations.
    // Boxed: the scan flags make this variant far larger than the others.
    Scan(Box<ScanArgs>),
    /// List the built-in controls or frameworks.
    List(ListArgs),
    /// Show a control's documentation: what it checks, why it matters, how to fix it.
    Explain(ExplainArgs),
    /// Compare two JSON reports: new, fixed and unchanged findings; gate on new ones.
    Diff(crate::commands::diff::DiffArgs),
    /// Find known vulnerabilities in dependencies: lock files and manifests under the paths.
    Deps(Box<crate::commands::deps::DepsArgs>),
    /// Find known vulnerabilities and secrets in a container image: OS packages, language
    /// packages and Go binaries, each traced to the layer that added it.
    Image(Box<crate::commands::image::ImageArgs>),
    /// Write a CycloneDX or SPDX SBOM of an image or directory; `sbom scan FILE` matches an
    /// SBOM against the vulnerability database.
    Sbom(Box<crate::commands::sbom::SbomArgs>),
    /// Manage the local vulnerability database: import, update, status.
    Db(crate::commands::db::DbArgs),
    /// Check an image's cosign signatures in its registry against trusted public keys.
    Verify(crate::commands::verify::VerifyArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input.
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
    /// Exit 1 when a finding at or above this severity remains.
    #[arg(long, value_name = "SEVERITY", env = "PALISADE_FAIL_ON")]
    pub fail_on: Option<Severity>,
    /// Frameworks to run (comma-separated or repeated): pss-baseline, pss-restricted, all.
    #[arg(long = "framework", value_delimiter = ',', env = "PALISADE_FRAMEWORK")]
    pub frameworks: Vec<String>,
    /// Controls to run, by ID, slug or Kubescape ID (comma-separated or repeated).
    #[arg(long = "controls", value_delimiter = ',')]
    pub controls: Vec<String>,
    /// Controls to leave out, by ID, slug or Kubescape ID.
    #[arg(long = "skip-controls", value_delimiter = ',')]
    pub skip_controls: Vec<String>,
    /// Pod Security Standards policy version to evaluate (v1.0 … v1.37, or latest; default latest).
    #[arg(long, env = "PALISADE_PSS_VERSION")]
    pub pss_version: Option<PssVersion>,
    /// Exit 1 when a selected framework (or, with none selected, the overall score) is below
    /// this compliance percentage.
    #[arg(long, value_name = "PERCENT", env = "PALISADE_COMPLIANCE_THRESHOLD")]
    pub compliance_threshold: Option<f64>,
    /// Exceptions file (YAML): accepted findings with reason and expiry. Repeatable.
    #[arg(long = "exceptions", value_name = "FILE", env = "PALISADE_EXCEPTIONS")]
    pub exceptions: Vec<PathBuf>,
    /// Settings file; by default `.palisade.yaml` is searched upward from the first path.
    #[arg(long, value_name = "FILE", env = "PALISADE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Ignore any `.palisade.yaml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Only scan objects in namespaces matching these globs (comma-separated or repeated).
    #[arg(
        long = "include-namespaces",
        value_delimiter = ',',
        value_name = "GLOB"
    )]
    pub include_namespaces: Vec<String>,
    /// Leave out objects in namespaces matching these globs.
    #[arg(
        long = "exclude-namespaces",
        value_delimiter = ',',
        value_name = "GLOB"
    )]
    pub exclude_namespaces: Vec<String>,
    /// Show secret values in evidence instead of redacting them.
    #[arg(long)]
    pub show_secrets: bool,
    /// Look up the workloads' images in their registries for cosign signatures
    /// (image-signature-missing; with --cosign-key also image-signature-not-trusted).
    /// Without it those controls do not run.
    #[arg(long)]
    pub verify_signatures: bool,
    /// Public key trusted to sign images (PEM, as `cosign generate-key-pair` writes
    /// `cosign.pub`); repeatable; implies --verify-signatures.
    #[arg(long = "cosign-key", value_name = "FILE")]
    pub cosign_keys: Vec<PathBuf>,
    #[command(flatten)]
    pub registry: crate::commands::registry::RegistryArgs,
    /// Leave out files and directories matching this glob (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,
    /// List suppressed findings in the table too.
    #[arg(long)]
    pub show_suppressed: bool,
    /// When to colour the table.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print nothing on stderr but errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// Previous JSON report to compare with: SARIF marks results new/unchanged, Markdown
    /// counts new findings, and `--fail-on-new` gates on what it does not contain.
    #[arg(long, value_name = "FILE", env = "PALISADE_BASELINE")]
    pub baseline: Option<PathBuf>,
    /// Exit 1 only for findings not in `--baseline` (at or above `--fail-on` when given).
    #[arg(long, requires = "baseline")]
    pub fail_on_new: bool,
    /// Directory SARIF file URIs are relative to (default: the current directory).
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<PathBuf>,
    #[command(flatten)]
    pub render: crate::render_args::RenderArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    Controls,
    Frameworks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list.
    #[arg(value_enum)]
    pub what: ListWhat,
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Control ID, slug or Kubescape ID (e.g. POD-001, privileged-container, C-0057).
    pub control: String,
}
