use std::io;

use palisade_core::Report;

/// Writes the versioned JSON report (`schemas/report.schema.json`).
pub fn write_json(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}
