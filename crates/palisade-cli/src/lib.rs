//! Palisade's command line: clap definitions, settings resolution and command dispatch.
//! The logic lives in the library crates; this crate parses, calls and prints.

mod args;
mod commands;
mod config;
mod output;
mod render_args;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;

/// How a run ended, as the process exit code (the contract CI relies on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The command completed and nothing reached the gate.
    Clean = 0,
    /// The gate was reached (`--fail-on`).
    GateFailed = 1,
    /// Usage error, or the command could not complete. Never used for findings.
    Error = 2,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(outcome as u8)
    }
}

/// Parses `args` and runs the command. Errors are printed here, so callers only exit.
pub fn run<I, T>(args: I) -> Outcome
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let outcome = if error.use_stderr() {
                Outcome::Error
            } else {
                Outcome::Clean
            };
            let _ = error.print();
            return outcome;
        }
    };
    init_logging(cli.verbose);
    match commands::dispatch(cli) {
        Ok(outcome) => outcome,
        Err(error) if output::is_broken_pipe(&error) => Outcome::Clean,
        Err(error) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {error:#}");
            }
            Outcome::Error
        }
    }
}

fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter =
        EnvFilter::try_from_env("PALISADE_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .try_init();
}
