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
                eprintln!("error: {}", error_message(&error));
            }
            Outcome::Error
        }
    }
}

/// The error and its causes, `: `-joined, leaving out a cause whose text the message so far
/// already ends with (many error types spell their source in their own message too).
fn error_message(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if message.is_empty() {
            message = text;
        } else if !message.ends_with(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
    }
    message
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

#[cfg(test)]
mod tests {
    use super::error_message;

    #[test]
    fn causes_already_in_the_message_are_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let wrapped = anyhow::Error::new(io).context("cannot read x.yaml: no such file");
        assert_eq!(error_message(&wrapped), "cannot read x.yaml: no such file");
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let plain = anyhow::Error::new(io).context("cannot read x.yaml");
        assert_eq!(error_message(&plain), "cannot read x.yaml: no such file");
    }
}
