//! Source lines around a finding, read at render time for the HTML report. Missing, unreadable,
//! binary or oversized files simply have no snippet.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Files larger than this get no snippet (the report must stay small and fast to write).
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Lines shown before and after the finding's range.
const CONTEXT_LINES: u32 = 2;
/// Longest range shown in full; longer ranges show their first lines.
const MAX_RANGE_LINES: u32 = 8;

/// One line of a snippet.
pub struct SnippetLine {
    pub number: u32,
    pub text: String,
    /// Inside the finding's range.
    pub highlighted: bool,
}

/// Reads each file once.
#[derive(Default)]
pub struct SourceCache {
    files: HashMap<String, Option<Vec<String>>>,
}

impl SourceCache {
    /// Lines `line - 2 ..= end_line + 2` of `path` (1-based), or `None` when the file cannot
    /// be read or does not have that line.
    pub fn snippet(&mut self, path: &str, line: u32, end_line: u32) -> Option<Vec<SnippetLine>> {
        if line == 0 {
            return None;
        }
        let lines = self
            .files
            .entry(path.to_string())
            .or_insert_with(|| read_lines(Path::new(path)))
            .as_ref()?;
        let total = u32::try_from(lines.len()).unwrap_or(u32::MAX);
        if line > total {
            return None;
        }
        let end_line = end_line
            .clamp(line, line.saturating_add(MAX_RANGE_LINES - 1))
            .min(total);
        let first = line.saturating_sub(CONTEXT_LINES).max(1);
        let last = end_line.saturating_add(CONTEXT_LINES).min(total);
        Some(
            (first..=last)
                .map(|number| SnippetLine {
                    number,
                    text: lines[(number - 1) as usize].clone(),
                    highlighted: (line..=end_line).contains(&number),
                })
                .collect(),
        )
    }
}

fn read_lines(path: &Path) -> Option<Vec<String>> {
    let file = File::open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > MAX_FILE_BYTES || bytes.contains(&0) {
        return None;
    }
    let text = String::from_utf8_lossy(&bytes);
    Some(
        text.lines()
            .map(|l| l.trim_end_matches('\r').to_string())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_context_and_tolerates_missing_files() {
        let dir = std::env::temp_dir().join(format!("palisade-snippet-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.yaml");
        std::fs::write(&path, "1\n2\n3\n4\n5\n6\n7\n").unwrap();
        let mut cache = SourceCache::default();
        let snippet = cache.snippet(path.to_str().unwrap(), 4, 4).unwrap();
        let numbers: Vec<u32> = snippet.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [2, 3, 4, 5, 6]);
        assert!(
            snippet
                .iter()
                .filter(|l| l.highlighted)
                .all(|l| l.number == 4)
        );
        assert!(cache.snippet(path.to_str().unwrap(), 99, 99).is_none());
        assert!(cache.snippet("/nonexistent/file.yaml", 1, 1).is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
