//! Report writers. Each output format is one module that renders a [`Report`]; the CLI picks
//! the modules from `--format`.

mod format;
mod json;
mod table;

pub use format::{Format, FormatSpec, ParseFormatError};
pub use json::write_json;
pub use table::{TableOptions, write_table};

use std::io;

use palisade_core::Report;

/// Options that affect more than one format.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Use ANSI colours (only when writing to a terminal).
    pub color: bool,
    /// List suppressed findings in human-readable formats (machine formats always keep them).
    pub show_suppressed: bool,
}

/// Renders `report` in `format` to `out`.
pub fn render(
    format: Format,
    report: &Report,
    options: RenderOptions,
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
    }
}
