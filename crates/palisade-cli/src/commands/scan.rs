use anyhow::Context;
use palisade_report::RenderOptions;
use palisade_rules::{CheckContext, Selection};
use palisade_scan::{Input, ScanOptions, scan};
use palisade_yaml::Limits;

use crate::Outcome;
use crate::args::{ColorChoice, ScanArgs};
use crate::output::{stdout_is_terminal, write_reports};

pub fn run(args: &ScanArgs) -> anyhow::Result<Outcome> {
    let selection = Selection::new(&args.frameworks, &args.controls, &args.skip_controls)?;
    let options = ScanOptions {
        selection,
        context: CheckContext {
            pss_version: args.pss_version,
            ..CheckContext::default()
        },
        limits: Limits::default(),
    };
    let inputs: Vec<Input> = args
        .paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                Input::Stdin
            } else {
                Input::Path(p.clone())
            }
        })
        .collect();
    let outcome = scan(&inputs, &args.excludes, &options).context("cannot scan")?;
    if !args.quiet {
        for warning in &outcome.warnings {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("warning: {warning}");
            }
        }
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let render = RenderOptions {
        color,
        show_suppressed: args.show_suppressed,
    };
    write_reports(&outcome.report, &args.formats, render)?;
    let gate_reached = match (args.fail_on, outcome.report.max_severity()) {
        (Some(threshold), Some(worst)) => worst >= threshold,
        _ => false,
    };
    Ok(if gate_reached {
        Outcome::GateFailed
    } else {
        Outcome::Clean
    })
}
