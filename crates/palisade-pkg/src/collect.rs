//! Accumulates packages and warnings while a format module walks its file.

use std::collections::HashMap;

use palisade_core::{Ecosystem, Location};

use crate::model::{Diagnostic, LockFile, LockFileKind, Package, Scope};
use crate::purl;

/// One package as a format module found it; purl and location are added by [`Collector`].
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub name: String,
    pub version: String,
    pub line: u32,
    pub column: u32,
    pub scope: Scope,
    pub direct: Option<bool>,
    pub pinned: bool,
    /// Extra purl qualifiers, sorted by key.
    pub qualifiers: Vec<(&'static str, String)>,
}

impl Entry {
    pub(crate) fn new(
        name: impl Into<String>,
        version: impl Into<String>,
        line: u32,
        column: u32,
    ) -> Self {
        Entry {
            name: name.into(),
            version: version.into(),
            line,
            column,
            scope: Scope::Unknown,
            direct: None,
            pinned: true,
            qualifiers: Vec::new(),
        }
    }

    pub(crate) fn scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }

    pub(crate) fn direct(mut self, direct: Option<bool>) -> Self {
        self.direct = direct;
        self
    }

    pub(crate) fn pinned(mut self, pinned: bool) -> Self {
        self.pinned = pinned;
        self
    }

    pub(crate) fn qualifier(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.qualifiers.push((key, value.into()));
        self
    }
}

/// The scope of a package installed for two reasons.
fn merge_scope(a: Scope, b: Scope) -> Scope {
    use Scope::{Dev, Optional, Runtime, Test, Unknown};
    match (a, b) {
        _ if a == b => a,
        (Runtime, _) | (_, Runtime) => Runtime,
        (Unknown, _) | (_, Unknown) => Unknown,
        (Optional, _) | (_, Optional) => Optional,
        (Dev | Test, Dev | Test) => Dev,
    }
}

pub(crate) struct Collector<'p> {
    path: &'p str,
    kind: LockFileKind,
    ecosystem: Ecosystem,
    packages: Vec<Package>,
    warnings: Vec<Diagnostic>,
    /// Index of each `(name, version)` already added, when duplicates are merged.
    seen: Option<HashMap<(String, String), usize>>,
}

impl<'p> Collector<'p> {
    pub(crate) fn new(path: &'p str, kind: LockFileKind) -> Self {
        Collector {
            path,
            kind,
            ecosystem: kind.ecosystem(),
            packages: Vec::new(),
            warnings: Vec::new(),
            seen: None,
        }
    }

    /// Merge later entries with a name and version already seen into the first one: its line
    /// stays, `direct` is true if any copy is direct, and the scope is the widest of them.
    pub(crate) fn deduplicating(mut self) -> Self {
        self.seen = Some(HashMap::new());
        self
    }

    /// Adds a package; returns false when it was a duplicate and merged into an earlier one.
    pub(crate) fn add(&mut self, entry: Entry) -> bool {
        if let Some(seen) = &mut self.seen {
            let key = (entry.name.clone(), entry.version.clone());
            if let Some(&index) = seen.get(&key) {
                let kept = &mut self.packages[index];
                kept.scope = merge_scope(kept.scope, entry.scope);
                kept.direct = match (kept.direct, entry.direct) {
                    (Some(a), Some(b)) => Some(a || b),
                    (a, b) => a.or(b),
                };
                return false;
            }
            seen.insert(key, self.packages.len());
        }
        let purl = self.purl_of(&entry);
        self.packages.push(Package {
            ecosystem: self.ecosystem.clone(),
            name: entry.name,
            version: entry.version,
            purl,
            location: Location::at(self.path, entry.line, entry.column.max(1)),
            scope: entry.scope,
            direct: entry.direct,
            pinned: entry.pinned,
            layer: None,
            source_name: None,
            source_version: None,
        });
        true
    }

    fn purl_of(&self, entry: &Entry) -> String {
        let version = entry.pinned.then_some(entry.version.as_str());
        let mut purl = purl::for_package(&self.ecosystem, &entry.name, version);
        let mut first = true;
        for (key, value) in entry.qualifiers.iter().filter(|(_, v)| !v.is_empty()) {
            purl.push(if first { '?' } else { '&' });
            first = false;
            purl.push_str(key);
            purl.push('=');
            purl.push_str(&purl::encode(value));
        }
        purl
    }

    pub(crate) fn warn(&mut self, line: u32, message: impl Into<String>) {
        self.warnings.push(Diagnostic::new(line, message));
    }

    pub(crate) fn finish(self) -> LockFile {
        LockFile {
            path: self.path.to_string(),
            kind: self.kind,
            packages: self.packages,
            warnings: self.warnings,
        }
    }
}
