//! `gradle.lockfile`: one `group:artifact:version=configuration,…` line per dependency.
//!
//! A dependency locked only in test configurations (`testCompileClasspath`,
//! `androidTestRuntimeClasspath`, …) has scope test; one in any other compile or runtime
//! classpath is runtime; others (annotation processors, tooling) are unknown.

use crate::collect::{Collector, Entry};
use crate::model::{LockFile, LockFileKind, Scope};
use crate::text::to_u32;

/// Parsing never fails: lines that are not understood become warnings.
pub(crate) fn parse(path: &str, text: &str) -> LockFile {
    let mut out = Collector::new(path, LockFileKind::GradleLockfile);
    for (index, raw) in text.lines().enumerate() {
        let line_no = to_u32(index + 1);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
            continue;
        }
        let (coordinates, configurations) = line.split_once('=').unwrap_or((line, ""));
        let parts: Vec<&str> = coordinates.split(':').collect();
        let [group, artifact, version] = parts[..] else {
            out.warn(
                line_no,
                format!("expected group:artifact:version, found {coordinates:?}; skipped"),
            );
            continue;
        };
        if [group, artifact, version].iter().any(|p| p.is_empty()) {
            out.warn(
                line_no,
                format!("incomplete coordinates {coordinates:?}; skipped"),
            );
            continue;
        }
        let column = to_u32(raw.len() - raw.trim_start().len() + 1);
        out.add(
            Entry::new(format!("{group}:{artifact}"), version, line_no, column)
                .scope(scope_of(configurations)),
        );
    }
    out.finish()
}

fn scope_of(configurations: &str) -> Scope {
    let configs: Vec<&str> = configurations
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let is_test = |c: &&str| c.starts_with("test") || c.contains("Test");
    if configs.is_empty() {
        Scope::Unknown
    } else if configs.iter().all(is_test) {
        Scope::Test
    } else if configs.iter().any(|c| !is_test(c) && is_classpath(c)) {
        Scope::Runtime
    } else {
        Scope::Unknown
    }
}

/// `compileClasspath`, `runtimeClasspath` and their per-variant forms (`releaseRuntimeClasspath`).
fn is_classpath(configuration: &str) -> bool {
    let lower = configuration.to_ascii_lowercase();
    lower.ends_with("compileclasspath") || lower.ends_with("runtimeclasspath")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_from_configurations() {
        assert_eq!(
            scope_of("testCompileClasspath,testRuntimeClasspath"),
            Scope::Test
        );
        assert_eq!(scope_of("androidTestRuntimeClasspath"), Scope::Test);
        assert_eq!(
            scope_of("compileClasspath,testCompileClasspath"),
            Scope::Runtime
        );
        assert_eq!(scope_of("releaseRuntimeClasspath"), Scope::Runtime);
        assert_eq!(scope_of("annotationProcessor"), Scope::Unknown);
        assert_eq!(scope_of(""), Scope::Unknown);
    }
}
