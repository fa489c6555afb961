//! The `palisade` binary: everything happens in `palisade-cli`.

use std::process::ExitCode;

fn main() -> ExitCode {
    palisade_cli::run(std::env::args_os()).into()
}
