use std::io;

use palisade_core::{Finding, Report, ScanSummary, Scores, ToolInfo};
use rayon::prelude::*;
use serde::Serialize;

/// Findings rendered at once, in parallel; bounds the rendered text held in memory.
const WINDOW: usize = 16_384;
/// Findings one task renders.
const CHUNK: usize = 1_024;

/// Writes the versioned JSON report (`schemas/report.schema.json`), pretty-printed.
///
/// The output is byte for byte what `serde_json::to_writer_pretty` writes for the report, but
/// the findings (nearly all of a large report) are rendered in parallel, a window at a time.
pub fn write_json(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let envelope = serde_json::to_vec_pretty(&Envelope::of(report))?;
    let marker = b"\n  \"findings\": []";
    let Some(at) = find(&envelope, marker) else {
        // Unreachable while `Envelope` has a `findings` member; stay correct regardless.
        serde_json::to_writer_pretty(&mut *out, report)?;
        return out.write_all(b"\n");
    };
    let at = at + marker.len() - 2;
    out.write_all(&envelope[..at])?;
    write_findings(&report.findings, out)?;
    out.write_all(&envelope[at + 2..])?;
    out.write_all(b"\n")
}

/// The report with an empty findings array, marking where the findings go.
#[derive(Serialize)]
struct Envelope<'a> {
    schema_version: &'a str,
    tool: &'a ToolInfo,
    command: &'a str,
    findings: &'a [Finding],
    summary: &'a ScanSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    scores: Option<&'a Scores>,
}

impl<'a> Envelope<'a> {
    fn of(report: &'a Report) -> Self {
        Envelope {
            schema_version: &report.schema_version,
            tool: &report.tool,
            command: &report.command,
            findings: &[],
            summary: &report.summary,
            scores: report.scores.as_ref(),
        }
    }
}

/// The findings array as the pretty printer writes it one level deep: `[`, each finding on
/// lines indented by four spaces and separated by commas, `]` indented by two.
fn write_findings(findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
    if findings.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let mut first = true;
    for window in findings.chunks(WINDOW) {
        let rendered: Vec<Vec<u8>> = window
            .par_chunks(CHUNK)
            .map(render_chunk)
            .collect::<io::Result<_>>()?;
        for chunk in rendered {
            // Every item starts with `,\n    `; the first one of the array has no comma.
            let skip = usize::from(std::mem::take(&mut first));
            out.write_all(&chunk[skip..])?;
        }
    }
    out.write_all(b"\n  ]")
}

fn render_chunk(findings: &[Finding]) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(findings.len() * 1_024);
    let mut one = Vec::with_capacity(2_048);
    for finding in findings {
        one.clear();
        serde_json::to_writer_pretty(&mut one, finding)?;
        out.extend_from_slice(b",\n    ");
        for (index, line) in one.split(|&b| b == b'\n').enumerate() {
            if index > 0 {
                out.extend_from_slice(b"\n    ");
            }
            out.extend_from_slice(line);
        }
    }
    Ok(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use palisade_core::{Location, Severity};

    use super::*;

    fn report(findings: usize) -> Report {
        let findings = (0..findings)
            .map(|i| {
                let mut f = Finding::new(
                    "POD-001",
                    Severity::High,
                    format!("message {i}\n\"quoted\""),
                );
                f.location = Some(Location::at(format!("dir/file-{i}.yaml"), 3, 5));
                f.evidence = Some("privileged: true".into());
                f
            })
            .collect();
        Report::new("scan", findings, ScanSummary::default())
    }

    #[test]
    fn matches_serde_pretty_printing() {
        for count in [0, 1, 2, CHUNK + 3, WINDOW + CHUNK + 1] {
            let report = report(count);
            let mut ours = Vec::new();
            write_json(&report, &mut ours).unwrap();
            let mut expected = serde_json::to_vec_pretty(&report).unwrap();
            expected.push(b'\n');
            assert!(ours == expected, "{count} findings render differently");
        }
    }
}
