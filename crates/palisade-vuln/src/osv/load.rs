//! Reading OSV records from JSON or YAML text. A document holds one record or a list of them.

use serde::Deserialize;

use super::model::OsvRecord;

/// The text format of a record file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// The format a file name suggests (`.json`, `.yaml`, `.yml`).
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = std::path::Path::new(path).extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("json") {
            Some(Format::Json)
        } else if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") {
            Some(Format::Yaml)
        } else {
            None
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<OsvRecord>),
    One(Box<OsvRecord>),
}

/// Parses the records of one document. The error is the parser's message, with its position.
pub fn parse_records(bytes: &[u8], format: Format) -> Result<Vec<OsvRecord>, String> {
    match format {
        Format::Json => {
            let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
            if first == Some(&b'[') {
                serde_json::from_slice::<Vec<OsvRecord>>(bytes).map_err(|e| e.to_string())
            } else {
                serde_json::from_slice::<OsvRecord>(bytes)
                    .map(|r| vec![r])
                    .map_err(|e| e.to_string())
            }
        }
        Format::Yaml => {
            let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
            match serde_yaml_ng::from_str::<OneOrMany>(text) {
                Ok(OneOrMany::Many(v)) => Ok(v),
                Ok(OneOrMany::One(r)) => Ok(vec![*r]),
                // The untagged error says nothing useful; parse again as one record for the
                // real message.
                Err(_) => serde_yaml_ng::from_str::<OsvRecord>(text)
                    .map(|r| vec![r])
                    .map_err(|e| e.to_string()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_stay_strings() {
        let yaml = "id: PYSEC-1\nmodified: 2021-09-26T23:32:08.989778Z\naffected:\n- package:\n    name: x\n    ecosystem: PyPI\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n    - fixed: 1.5\n";
        let recs = parse_records(yaml.as_bytes(), Format::Yaml).unwrap();
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].modified, "2021-09-26T23:32:08.989778Z");
        let events = &recs[0].affected[0].ranges[0].events;
        assert_eq!(events[0].introduced.as_deref(), Some("0"));
        assert_eq!(events[1].fixed.as_deref(), Some("1.5"));
    }

    #[test]
    fn json_lists_and_errors() {
        let two = br#"[{"id":"A-1","modified":"x"},{"id":"A-2","modified":"y"}]"#;
        assert_eq!(parse_records(two, Format::Json).unwrap().len(), 2);
        let err = parse_records(br#"{"modified":"x"}"#, Format::Json).unwrap_err();
        assert!(err.contains("missing field `id`"), "{err}");
        assert_eq!(Format::from_path("a/b.YML"), Some(Format::Yaml));
        assert_eq!(Format::from_path("a/b.txt"), None);
    }
}
