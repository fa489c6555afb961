//! Shared helpers for the TOML lock files (Cargo, Poetry, uv).

use serde::de::DeserializeOwned;

use crate::model::ParseError;
use crate::text::LineIndex;

/// Deserializes `text`, turning a TOML error into a located [`ParseError`].
pub(crate) fn from_str<T: DeserializeOwned>(
    text: &str,
    lines: &LineIndex<'_>,
) -> Result<T, ParseError> {
    toml::from_str(text).map_err(|err| {
        let offset = err.span().map_or(0, |span| span.start);
        lines.error(offset, err.message().trim().to_string())
    })
}
