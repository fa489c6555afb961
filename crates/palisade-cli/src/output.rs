use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use palisade_core::Report;
use palisade_report::{FormatSpec, RenderOptions, render};

/// True when an error chain ends in a closed pipe (`palisade scan | head`): not worth a word.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// Writes `report` once per requested format, to its file or to stdout.
pub fn write_reports(
    report: &Report,
    specs: &[FormatSpec],
    options: RenderOptions,
) -> anyhow::Result<()> {
    for spec in specs {
        if let Some(path) = &spec.path {
            write_to_file(report, spec, path, options)?;
        } else {
            let mut out = BufWriter::new(io::stdout().lock());
            render(spec.format, report, options, &mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn write_to_file(
    report: &Report,
    spec: &FormatSpec,
    path: &Path,
    options: RenderOptions,
) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create directory {}", parent.display()))?;
    }
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = BufWriter::new(file);
    let file_options = RenderOptions {
        color: false,
        ..options
    };
    render(spec.format, report, file_options, &mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}
