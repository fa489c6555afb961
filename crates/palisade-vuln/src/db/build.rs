//! Turns validated records into the database's contents: duplicates resolved, aliases merged into
//! vulnerabilities, severities resolved, affected entries filed under their package keys.

use std::collections::{BTreeMap, HashMap};

use super::DbHeader;
use super::aliases::AliasSets;
use super::import::{ImportReport, Loaded};
use super::stored::{Posting, StoredGroup, StoredRecord};
use crate::names::package_key;
use crate::osv::{AffectedSpec, OsvRecord};
use crate::severity::{parse_database_severity, resolve, severity_from_summary};

/// Longest `details` text kept per record.
const MAX_DETAILS: usize = 4000;
/// Longest summary derived from `details` when a record has none.
const MAX_SUMMARY: usize = 200;

pub(crate) struct Contents {
    pub header: DbHeader,
    pub records: Vec<StoredRecord>,
    pub groups: Vec<StoredGroup>,
    pub packages: BTreeMap<String, Vec<Posting>>,
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// The record's summary, or the first line of its details.
fn summary_of(record: &OsvRecord) -> String {
    if let Some(s) = record
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        return truncate(s, MAX_SUMMARY * 2);
    }
    let details = record.details.as_deref().unwrap_or_default().trim();
    let first = details.lines().next().unwrap_or_default().trim();
    truncate(first, MAX_SUMMARY)
}

fn store_record(record: &OsvRecord, group: u32) -> StoredRecord {
    let summary = summary_of(record);
    let database = record
        .database_severity()
        .and_then(parse_database_severity)
        .or_else(|| record.summary.as_deref().and_then(severity_from_summary));
    let scores: Vec<_> = record
        .severity
        .iter()
        .chain(record.affected.iter().flat_map(|a| a.severity.iter()))
        .cloned()
        .collect();
    StoredRecord {
        id: record.id.clone(),
        group,
        modified: record.modified.clone(),
        published: record.published.clone(),
        summary,
        details: truncate(
            record.details.as_deref().unwrap_or_default().trim(),
            MAX_DETAILS,
        ),
        severity: resolve(&scores, database),
        references: record.references.clone(),
    }
}

fn placeholder() -> OsvRecord {
    OsvRecord {
        schema_version: None,
        id: String::new(),
        modified: String::new(),
        published: None,
        withdrawn: None,
        aliases: Vec::new(),
        related: Vec::new(),
        upstream: Vec::new(),
        summary: None,
        details: None,
        severity: Vec::new(),
        affected: Vec::new(),
        references: Vec::new(),
        credits: Vec::new(),
        database_specific: None,
    }
}

/// Builds the contents from loaded records (already validated, withdrawn ones removed).
pub(crate) fn build(loaded: Vec<Loaded>, report: &mut ImportReport, header: DbHeader) -> Contents {
    // The same ID twice (two sources, or one record per distribution release as the derived
    // Debian data has it): one record, the newest one's text, every distinct affected entry.
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut records: Vec<OsvRecord> = Vec::with_capacity(loaded.len());
    for Loaded { record } in loaded {
        if let Some(&i) = by_id.get(&record.id) {
            report.duplicates += 1;
            let (mut keep, other) = if record.modified > records[i].modified {
                (record, std::mem::replace(&mut records[i], placeholder()))
            } else {
                (std::mem::replace(&mut records[i], placeholder()), record)
            };
            for affected in other.affected {
                if !keep.affected.contains(&affected) {
                    keep.affected.push(affected);
                }
            }
            for alias in other.aliases {
                if !keep.aliases.contains(&alias) {
                    keep.aliases.push(alias);
                }
            }
            records[i] = keep;
        } else {
            by_id.insert(record.id.clone(), records.len());
            records.push(record);
        }
    }
    records.sort_by(|a, b| a.id.cmp(&b.id));

    let mut sets = AliasSets::default();
    for r in &records {
        sets.node(&r.id);
        for alias in &r.aliases {
            sets.union(&r.id, alias);
        }
    }
    // Groups are numbered by their first record (records are sorted by ID).
    let mut group_of_root: HashMap<usize, u32> = HashMap::new();
    let mut groups: Vec<StoredGroup> = Vec::new();
    let mut record_groups = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let node = sets.node(&r.id);
        let root = sets.find(node);
        let g = *group_of_root.entry(root).or_insert_with(|| {
            groups.push(StoredGroup {
                ids: Vec::new(),
                records: Vec::new(),
            });
            u32::try_from(groups.len() - 1).unwrap_or(u32::MAX)
        });
        groups[g as usize]
            .records
            .push(u32::try_from(i).unwrap_or(u32::MAX));
        record_groups.push(g);
    }
    for (root, name) in sets.members() {
        if let Some(&g) = group_of_root.get(&root) {
            groups[g as usize].ids.push(name);
        }
    }
    for g in &mut groups {
        g.ids.sort();
        g.ids.dedup();
    }

    let mut packages: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
    let mut ecosystems: BTreeMap<String, usize> = BTreeMap::new();
    let mut stored = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        let mut seen: Vec<&str> = Vec::new();
        for affected in &r.affected {
            let Some(spec) = AffectedSpec::from_affected(affected) else {
                continue;
            };
            if let Some(p) = &affected.package {
                if !seen.contains(&p.ecosystem.as_str()) {
                    seen.push(&p.ecosystem);
                }
            }
            let key = package_key(&spec.ecosystem, &spec.name);
            packages.entry(key).or_default().push(Posting {
                record: index,
                group: record_groups[i],
                spec,
            });
        }
        for eco in seen {
            *ecosystems.entry(eco.to_string()).or_default() += 1;
        }
        stored.push(store_record(r, record_groups[i]));
    }

    let header = DbHeader {
        records: stored.len(),
        vulnerabilities: groups.len(),
        packages: packages.len(),
        ecosystems,
        ..header
    };
    Contents {
        header,
        records: stored,
        groups,
        packages,
    }
}
