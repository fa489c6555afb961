pub(crate) mod db;
pub(crate) mod deps;
pub(crate) mod diff;
mod explain;
pub(crate) mod image;
mod list;
pub(crate) mod registry;
pub(crate) mod sbom;
mod scan;
pub(crate) mod verify;
mod vulns;

use crate::Outcome;
use crate::args::{Cli, Command};

pub fn dispatch(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::List(args) => list::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Deps(args) => deps::run(&args),
        Command::Image(args) => image::run(&args),
        Command::Sbom(args) => sbom::run(&args),
        Command::Db(args) => db::run(&args),
        Command::Verify(args) => verify::run(&args),
    }
}
