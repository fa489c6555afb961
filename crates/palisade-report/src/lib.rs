//! Report writers. Each output format is one module that renders a [`Report`]; the CLI picks
//! the modules from `--format`.
//!
//! Besides the writers this crate holds what CI needs to compare two reports: a finding's
//! [`fingerprint`] (stable across line shifts and file renames) and the [`diff`] of a base and
//! a head report.

pub mod diff;
mod escape;
pub mod fingerprint;
mod format;
mod html;
mod json;
mod junit;
mod markdown;
mod prometheus;
mod rules;
mod sarif;
pub mod sbom;
mod source;
mod table;

pub use diff::{Diff, diff, new_findings};
pub use fingerprint::fingerprint;
pub use format::{Format, FormatSpec, ParseFormatError};
pub use html::write_html;
pub use json::write_json;
pub use junit::write_junit;
pub use markdown::write_markdown;
pub use prometheus::write_prometheus;
pub use rules::{RuleDoc, RuleLookup};
pub use sarif::{sarif_log, write_sarif};
pub use table::{TableOptions, write_table};

use std::io;
use std::path::Path;

use palisade_core::Report;

/// Options that affect more than one format.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    /// Use ANSI colours (only when writing to a terminal).
    pub color: bool,
    /// List suppressed findings in human-readable formats (machine formats always keep them).
    pub show_suppressed: bool,
    /// Directory SARIF artifact URIs are made relative to (`--sarif-root`); the current
    /// directory when unset.
    pub sarif_root: Option<&'a Path>,
    /// Documentation of controls by ID, for SARIF rules and HTML; without it the writers use
    /// what the findings themselves carry (title, remediation, references).
    pub rule_docs: Option<RuleLookup>,
    /// A previous report (`--baseline`): SARIF marks results `new`/`unchanged` against it and
    /// Markdown counts the new findings.
    pub baseline: Option<&'a Report>,
}

/// Renders `report` in `format` to `out`.
pub fn render(
    format: Format,
    report: &Report,
    options: RenderOptions<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Table => write_table(
            report,
            TableOptions {
                color: options.color,
                show_suppressed: options.show_suppressed,
            },
            out,
        ),
        Format::Json => write_json(report, out),
        Format::Sarif => write_sarif(report, &options, out),
        Format::Junit => write_junit(report, out),
        Format::Html => write_html(report, &options, out),
        Format::Markdown => write_markdown(report, &options, out),
        Format::Prometheus => write_prometheus(report, out),
    }
}
