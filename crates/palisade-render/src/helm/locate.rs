//! From a field of a rendered object back to a line of its template: walk the JSON pointer's
//! keys through the template's indentation, and read which `.Values` keys feed that spot.
//!
//! Templates are not YAML until rendered, so this is a best effort by construction: keys the
//! template writes literally are found exactly; a field produced by `toYaml .Values.x` or an
//! `include` is located at the nearest enclosing key the template does write, and named in
//! values terms (`securityContext.privileged`). Nothing found → the template's first line.

/// Where in a template a field was written, and the values keys that feed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSpot {
    /// 1-based.
    pub line: u32,
    /// 1-based.
    pub column: u32,
    /// Values keys (`image.tag`) read at that spot.
    pub values: Vec<String>,
    /// True when every key of the pointer was found written in the template.
    pub exact: bool,
}

/// Lines after a stopped walk searched for the `.Values` that produce the rest of the field.
const BLOCK_LOOKAHEAD: usize = 40;

/// Locates `pointer` (RFC 6901, relative to the object) in `template`. `kind` picks the
/// document when a template writes several objects.
pub fn locate(template: &str, pointer: &str, kind: Option<&str>) -> TemplateSpot {
    let lines: Vec<&str> = template.lines().collect();
    let start = kind.and_then(|k| document_start(&lines, k)).unwrap_or(0);
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let keys = segments.iter().filter(|s| !is_index(s)).count();

    let mut position = start;
    let mut parent: Option<usize> = None;
    let mut best: Option<(usize, usize)> = None;
    let mut matched_keys = 0;
    let mut remaining: Vec<&str> = Vec::new();
    for (n, segment) in segments.iter().enumerate() {
        if let Ok(index) = segment.parse::<usize>() {
            if let Some(item) = nth_item(&lines, position, parent, index) {
                position = item;
            }
            continue;
        }
        if let Some((line, column)) = find_key(&lines, position, parent, segment) {
            best = Some((line, column));
            parent = Some(column);
            position = line + 1;
            matched_keys += 1;
        } else {
            remaining = segments[n..]
                .iter()
                .filter(|s| !is_index(s))
                .map(String::as_str)
                .collect();
            break;
        }
    }
    let Some((line, column)) = best else {
        return TemplateSpot {
            line: u32::try_from(start + 1).unwrap_or(1),
            column: 1,
            values: block_values(&lines, start, None, &remaining),
            exact: false,
        };
    };
    let mut values = values_in(lines[line]);
    if values.is_empty() {
        values = block_values(&lines, line + 1, Some(column), &remaining);
    }
    TemplateSpot {
        line: u32::try_from(line + 1).unwrap_or(u32::MAX),
        column: u32::try_from(column + 1).unwrap_or(1),
        values,
        exact: matched_keys == keys,
    }
}

fn is_index(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
}

/// The line of `kind: <kind>`, moved back to its document's first line.
fn document_start(lines: &[&str], kind: &str) -> Option<usize> {
    let kind_line = lines.iter().position(|l| {
        let t = l.trim();
        t.strip_prefix("kind:")
            .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\''))
            == Some(kind)
    })?;
    Some(
        lines[..kind_line]
            .iter()
            .rposition(|l| l.trim_end() == "---")
            .map_or(0, |i| i + 1),
    )
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Lines that say nothing about structure: blank, comments, template actions alone.
fn is_structural(line: &str) -> bool {
    let t = line.trim_start();
    !(t.is_empty() || t.starts_with('#') || t.starts_with("{{"))
}

/// The key a line writes and the column it starts at (`- name: x` → `name` at dash + 2).
fn key_of(line: &str) -> Option<(&str, usize)> {
    let mut column = indent(line);
    let mut rest = &line[column..];
    while let Some(after) = rest.strip_prefix("- ") {
        let trimmed = after.trim_start();
        column += rest.len() - trimmed.len();
        rest = trimmed;
    }
    let colon = rest.find(':')?;
    let after = &rest[colon + 1..];
    if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t')) {
        return None;
    }
    let key = rest[..colon].trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && !key.contains("{{")).then_some((key, column))
}

/// Whether a structural line at this indentation closes the block of a key at `parent`.
fn leaves_block(line: &str, parent: Option<usize>) -> bool {
    let Some(parent) = parent else {
        return false;
    };
    let ind = indent(line);
    // A list may sit at its key's own indentation (`containers:\n- name: a`).
    ind < parent || (ind == parent && !line.trim_start().starts_with('-'))
}

fn find_key(
    lines: &[&str],
    from: usize,
    parent: Option<usize>,
    key: &str,
) -> Option<(usize, usize)> {
    for (i, line) in lines.iter().enumerate().skip(from) {
        if !is_structural(line) {
            continue;
        }
        if line.trim_end() == "---" || leaves_block(line, parent) {
            return None;
        }
        if let Some((found, column)) = key_of(line)
            && found == key
            && parent.is_none_or(|p| column > p)
        {
            return Some((i, column));
        }
    }
    None
}

/// The line of the `index`-th list item below a key at `parent`.
fn nth_item(lines: &[&str], from: usize, parent: Option<usize>, index: usize) -> Option<usize> {
    let mut item_indent: Option<usize> = None;
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate().skip(from) {
        if !is_structural(line) {
            continue;
        }
        if line.trim_end() == "---" || leaves_block(line, parent) {
            return None;
        }
        if line.trim_start().starts_with("- ") || line.trim() == "-" {
            let ind = indent(line);
            if *item_indent.get_or_insert(ind) == ind {
                if seen == index {
                    return Some(i);
                }
                seen += 1;
            }
        }
    }
    None
}

/// `.Values.a.b` references in a line, as `a.b`.
fn values_in(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find(".Values.") {
        let tail = &rest[at + ".Values.".len()..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
            .unwrap_or(tail.len());
        let key = tail[..end].trim_end_matches('.');
        if !key.is_empty() && !found.iter().any(|f| f == key) {
            found.push(key.to_string());
        }
        rest = &tail[end..];
    }
    found
}

/// Values read in the block under a key (or from `from` when there is none), with the keys the
/// walk did not find appended to whole-object reads (`toYaml .Values.securityContext` for
/// `…/securityContext/privileged` → `securityContext.privileged`).
fn block_values(
    lines: &[&str],
    from: usize,
    parent: Option<usize>,
    remaining: &[&str],
) -> Vec<String> {
    let mut found = Vec::new();
    for line in lines.iter().skip(from).take(BLOCK_LOOKAHEAD) {
        if is_structural(line) && (line.trim_end() == "---" || leaves_block(line, parent)) {
            break;
        }
        let whole_object = line.contains("toYaml") || line.contains("include");
        for key in values_in(line) {
            let key = if whole_object && !remaining.is_empty() {
                format!("{key}.{}", remaining.join("."))
            } else {
                key
            };
            if !found.contains(&key) {
                found.push(key);
            }
        }
        if parent.is_none() && !found.is_empty() {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      {{- if .Values.hostNetwork }}
      hostNetwork: {{ .Values.hostNetwork }}
      {{- end }}
      containers:
        - name: sidecar
          image: busybox
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          ports:
            - containerPort: 8080
"#;

    #[test]
    fn literal_keys_are_found_exactly() {
        let spot = locate(
            DEPLOYMENT,
            "/spec/template/spec/hostNetwork",
            Some("Deployment"),
        );
        assert_eq!((spot.line, spot.column), (12, 7));
        assert_eq!(spot.values, ["hostNetwork"]);
        assert!(spot.exact);
    }

    #[test]
    fn list_items_are_counted() {
        let spot = locate(DEPLOYMENT, "/spec/template/spec/containers/1/image", None);
        assert_eq!(spot.line, 18);
        assert_eq!(spot.values, ["image.repository", "image.tag"]);
        let first = locate(DEPLOYMENT, "/spec/template/spec/containers/0/image", None);
        assert_eq!(first.line, 16);
        assert!(first.values.is_empty());
    }

    #[test]
    fn fields_from_to_yaml_point_at_the_enclosing_key_and_name_the_values_path() {
        let spot = locate(
            DEPLOYMENT,
            "/spec/template/spec/containers/1/securityContext/privileged",
            None,
        );
        assert_eq!(spot.line, 19);
        assert_eq!(spot.values, ["securityContext.privileged"]);
        assert!(!spot.exact);
    }

    #[test]
    fn a_missing_key_stops_at_its_nearest_written_ancestor() {
        let spot = locate(
            DEPLOYMENT,
            "/spec/template/spec/containers/0/resources/limits",
            None,
        );
        // `resources` is not written for the sidecar: its item's `- name:` line is the ancestor.
        assert_eq!(spot.line, 14);
        assert!(!spot.exact);
    }

    #[test]
    fn keys_outside_the_parent_block_are_not_taken() {
        let text = "spec:\n  a: 1\nother:\n  b: 2\n";
        assert_eq!(locate(text, "/spec/b", None).line, 1);
    }

    #[test]
    fn the_document_of_the_kind_is_searched() {
        let text =
            "kind: Service\nspec:\n  type: NodePort\n---\nkind: Deployment\nspec:\n  type: x\n";
        assert_eq!(locate(text, "/spec/type", Some("Deployment")).line, 7);
        assert_eq!(locate(text, "/spec/type", Some("Service")).line, 3);
    }

    #[test]
    fn no_match_is_the_first_line() {
        assert_eq!(locate("{{ include \"x\" . }}\n", "/spec/x", None).line, 1);
        assert_eq!(locate("", "", None).line, 1);
    }
}
