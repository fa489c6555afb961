//! One module per file format. Each exposes `parse(path, text) -> Result<LockFile, ParseError>`.

pub(crate) mod cargo;
pub(crate) mod composer;
pub(crate) mod gemfile;
pub(crate) mod gomod;
pub(crate) mod gradle;
pub(crate) mod maven;
pub(crate) mod npm;
pub(crate) mod nuget;
pub(crate) mod pipfile;
pub(crate) mod pnpm;
pub(crate) mod poetry;
pub(crate) mod requirements;
pub(crate) mod toml_util;
pub(crate) mod uv;
pub(crate) mod yarn;
pub(crate) mod yarn_berry;
