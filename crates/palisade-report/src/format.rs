use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Human-readable text grouped by file and object.
    Table,
    /// The versioned Palisade JSON report.
    Json,
    /// SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
    /// JUnit XML: a test suite per control, a test case per resource.
    Junit,
    /// One self-contained HTML page with charts and a filterable table.
    Html,
    /// A Markdown summary for pull-request comments and `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// Prometheus text exposition format.
    Prometheus,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Table,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Html,
        Format::Markdown,
        Format::Prometheus,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Prometheus => "prometheus",
        }
    }

    /// True for formats meant for machines, which always keep suppressed findings.
    pub fn is_machine_readable(self) -> bool {
        matches!(
            self,
            Format::Json | Format::Sarif | Format::Junit | Format::Prometheus
        )
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One `--format FORMAT[=PATH]` argument: where a format goes (stdout when no path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: Format,
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseFormatError {
    #[error(
        "unknown format `{0}` (expected one of: table, json, sarif, junit, html, markdown, prometheus)"
    )]
    Unknown(String),
    #[error("empty output path in `{0}`")]
    EmptyPath(String),
}

impl FromStr for FormatSpec {
    type Err = ParseFormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, path) = match s.split_once('=') {
            Some((_, "")) => return Err(ParseFormatError::EmptyPath(s.to_string())),
            Some((name, path)) => (name, Some(PathBuf::from(path))),
            None => (s, None),
        };
        let format = Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| ParseFormatError::Unknown(name.to_string()))?;
        Ok(FormatSpec { format, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_format_with_optional_path() {
        let spec: FormatSpec = "json=out/report.json".parse().unwrap();
        assert_eq!(spec.format, Format::Json);
        assert_eq!(spec.path.unwrap(), PathBuf::from("out/report.json"));
        assert_eq!("TABLE".parse::<FormatSpec>().unwrap().format, Format::Table);
        for format in Format::ALL {
            assert_eq!(format.name().parse::<FormatSpec>().unwrap().format, format);
        }
        let sarif: FormatSpec = "sarif=out.sarif".parse().unwrap();
        assert_eq!(sarif.format, Format::Sarif);
        assert!(matches!(
            "xml".parse::<FormatSpec>(),
            Err(ParseFormatError::Unknown(_))
        ));
        assert!(matches!(
            "json=".parse::<FormatSpec>(),
            Err(ParseFormatError::EmptyPath(_))
        ));
    }
}
