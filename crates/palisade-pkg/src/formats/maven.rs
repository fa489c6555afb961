//! Maven `pom.xml`: the dependencies the project declares.
//!
//! Reads `/project/dependencies/dependency`. `${name}` references are resolved from
//! `<properties>` and the project's own coordinates (`project.version`, `project.groupId`,
//! `project.parent.version`, falling back to `<parent>`). A dependency without a version takes
//! it from a matching `<dependencyManagement>` entry; managed entries are not reported on their
//! own. Versions that stay unresolved or are ranges are reported unpinned. Scope: `test` →
//! test, `<optional>true</optional>` → optional, `provided`/`system` → unknown, otherwise
//! runtime. Dependencies in profiles and plugins are not read. Transitive dependencies need a
//! resolver and are not reported.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::collect::{Collector, Entry};
use crate::model::{LockFile, LockFileKind, ParseError, Scope};
use crate::text::LineIndex;

const MAX_EXPANSIONS: usize = 16;
/// Expansion stops (leaving the value unresolved) once a value would grow past this.
const MAX_VALUE_LEN: usize = 4096;
const MAX_DEPTH: usize = 64;

#[derive(Default)]
struct Dependency {
    /// Line of `<dependency>`, for warnings.
    line: u32,
    /// Line and column of `<artifactId>`.
    name_at: Option<(u32, u32)>,
    group: String,
    artifact: String,
    version: Option<String>,
    scope: String,
    optional: bool,
}

#[derive(Default)]
struct Pom {
    properties: HashMap<String, String>,
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    parent_group: Option<String>,
    parent_version: Option<String>,
    declared: Vec<Dependency>,
    managed: Vec<Dependency>,
}

/// Where in the document an element sits, as far as this reader cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Declared,
    Managed,
}

pub(crate) fn parse(path: &str, text: &str) -> Result<LockFile, ParseError> {
    let lines = LineIndex::new(text);
    let pom = read(text, &lines)?;
    let mut out = Collector::new(path, LockFileKind::MavenPom);
    for dep in &pom.declared {
        let group = pom.resolve(&dep.group);
        let artifact = pom.resolve(&dep.artifact);
        let Some((line, column)) = dep
            .name_at
            .filter(|_| !group.is_empty() && !artifact.is_empty())
        else {
            out.warn(
                dep.line,
                "dependency without groupId or artifactId; skipped",
            );
            continue;
        };
        let managed = pom
            .managed
            .iter()
            .find(|m| pom.resolve(&m.group) == group && pom.resolve(&m.artifact) == artifact);
        let raw_version = dep
            .version
            .as_deref()
            .or_else(|| managed.and_then(|m| m.version.as_deref()))
            .unwrap_or("");
        let version = pom.resolve(raw_version);
        let pinned = !version.is_empty()
            && !version.contains("${")
            && !version.starts_with(['[', '('])
            && !version.contains(',');
        let declared_scope = if dep.scope.is_empty() {
            managed.map_or("", |m| m.scope.as_str())
        } else {
            dep.scope.as_str()
        };
        let scope = match declared_scope {
            "test" => Scope::Test,
            "provided" | "system" => Scope::Unknown,
            _ if dep.optional => Scope::Optional,
            _ => Scope::Runtime,
        };
        out.add(
            Entry::new(format!("{group}:{artifact}"), version, line, column)
                .scope(scope)
                .direct(Some(true))
                .pinned(pinned),
        );
    }
    Ok(out.finish())
}

fn read(text: &str, lines: &LineIndex<'_>) -> Result<Pom, ParseError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut pom = Pom::default();
    let mut stack: Vec<String> = Vec::new();
    let mut current: Option<(List, Dependency)> = None;
    let mut buf = String::new();
    let mut element_at = 0usize;

    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|err| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            lines.error(at, format!("invalid XML: {err}"))
        })?;
        match event {
            Event::Eof => break,
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                element_at = tag_start(text, before);
                let name = String::from_utf8_lossy(tag.local_name().as_ref()).into_owned();
                if stack.is_empty() && name != "project" {
                    return Err(lines.error(
                        element_at,
                        format!("not a Maven POM: root element is <{name}>, not <project>"),
                    ));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(lines.error(element_at, "XML nested too deeply"));
                }
                stack.push(name);
                buf.clear();
                on_start(&stack, lines.line(element_at), &mut current);
                if matches!(event, Event::Empty(_)) {
                    on_end(
                        &stack,
                        "",
                        lines.line_col(element_at),
                        &mut current,
                        &mut pom,
                    );
                    stack.pop();
                }
            }
            Event::End(_) => {
                let value = buf.trim().to_string();
                on_end(
                    &stack,
                    &value,
                    lines.line_col(element_at),
                    &mut current,
                    &mut pom,
                );
                stack.pop();
                buf.clear();
            }
            Event::Text(t) => match t.unescape() {
                Ok(s) => buf.push_str(&s),
                Err(_) => buf.push_str(&String::from_utf8_lossy(&t)),
            },
            Event::CData(c) => buf.push_str(&String::from_utf8_lossy(&c)),
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(lines.error(text.len(), format!("element <{open}> is not closed")));
    }
    Ok(pom)
}

/// The offset of the `<` of the tag whose event started at `offset`.
fn tag_start(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|rest| rest.find('<'))
        .map_or(offset, |i| offset + i)
}

fn path_is(stack: &[String], want: &[&str]) -> bool {
    stack.len() == want.len() && stack.iter().zip(want).all(|(a, b)| a == b)
}

fn list_of(stack: &[String]) -> Option<List> {
    if path_is(stack, &["project", "dependencies", "dependency"]) {
        Some(List::Declared)
    } else if path_is(
        stack,
        &[
            "project",
            "dependencyManagement",
            "dependencies",
            "dependency",
        ],
    ) {
        Some(List::Managed)
    } else {
        None
    }
}

fn on_start(stack: &[String], line: u32, current: &mut Option<(List, Dependency)>) {
    if let Some(list) = list_of(stack) {
        *current = Some((
            list,
            Dependency {
                line,
                ..Dependency::default()
            },
        ));
    }
}

fn on_end(
    stack: &[String],
    value: &str,
    (line, column): (u32, u32),
    current: &mut Option<(List, Dependency)>,
    pom: &mut Pom,
) {
    if let Some(list) = list_of(stack) {
        if let Some((_, dep)) = current.take() {
            match list {
                List::Declared => pom.declared.push(dep),
                List::Managed => pom.managed.push(dep),
            }
        }
        return;
    }
    let Some((name, parents)) = stack.split_last() else {
        return;
    };
    if list_of(parents).is_some() {
        if let Some((_, dep)) = current.as_mut() {
            match name.as_str() {
                "groupId" => dep.group = value.to_string(),
                "artifactId" => {
                    dep.artifact = value.to_string();
                    dep.name_at = Some((line, column));
                }
                "version" => dep.version = Some(value.to_string()),
                "scope" => dep.scope = value.to_string(),
                "optional" => dep.optional = value == "true",
                _ => {}
            }
        }
        return;
    }
    let text = value.to_string();
    let value = Some(value.to_string());
    match parents {
        [p] if p == "project" => match name.as_str() {
            "groupId" => pom.group = value,
            "artifactId" => pom.artifact = value,
            "version" => pom.version = value,
            _ => {}
        },
        [p, q] if p == "project" && q == "parent" => match name.as_str() {
            "groupId" => pom.parent_group = value,
            "version" => pom.parent_version = value,
            _ => {}
        },
        [p, q] if p == "project" && q == "properties" => {
            pom.properties.insert(name.clone(), text);
        }
        _ => {}
    }
}

impl Pom {
    fn lookup(&self, key: &str) -> Option<&str> {
        let version = || self.version.as_deref().or(self.parent_version.as_deref());
        match key {
            "project.version" | "pom.version" | "version" => version(),
            "project.groupId" | "pom.groupId" | "groupId" => {
                self.group.as_deref().or(self.parent_group.as_deref())
            }
            "project.artifactId" | "pom.artifactId" | "artifactId" => self.artifact.as_deref(),
            "project.parent.version" | "parent.version" => self.parent_version.as_deref(),
            "project.parent.groupId" | "parent.groupId" => self.parent_group.as_deref(),
            _ => self.properties.get(key).map(String::as_str),
        }
    }

    /// Expands `${…}` references; unknown ones stay as written. Bounded, so cycles end.
    fn resolve(&self, raw: &str) -> String {
        let mut value = raw.trim().to_string();
        for _ in 0..MAX_EXPANSIONS {
            let mut changed = false;
            let mut out = String::with_capacity(value.len());
            let mut rest = value.as_str();
            while let Some(start) = rest.find("${") {
                let Some(len) = rest[start + 2..].find('}') else {
                    break;
                };
                let key = &rest[start + 2..start + 2 + len];
                out.push_str(&rest[..start]);
                match self.lookup(key) {
                    Some(replacement) if out.len() + replacement.len() > MAX_VALUE_LEN => {
                        return raw.trim().to_string();
                    }
                    Some(replacement) => {
                        out.push_str(replacement.trim());
                        changed = true;
                    }
                    None => out.push_str(&rest[start..start + 3 + len]),
                }
                rest = &rest[start + 3 + len..];
            }
            out.push_str(rest);
            value = out;
            if !changed {
                break;
            }
        }
        value
    }
}
