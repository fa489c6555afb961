//! Database benchmarks on the real advisories in `shared/vulndata/osv` (~14,600 records):
//! import (budget ≤ 5 s), open (≤ 50 ms), 10,000 package lookups (≤ 100 ms).

#![allow(clippy::print_stderr)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use palisade_core::Ecosystem;
use palisade_vuln::{Database, PackageQuery, compare_versions};

fn osv_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vulndata/osv");
    assert!(dir.is_dir(), "benchmark data missing: {}", dir.display());
    dir
}

/// The ecosystem of an index key, when the benchmark knows how to write a version for it.
fn ecosystem_of(base: &str, release: &str) -> Option<Ecosystem> {
    let text = match base {
        "crates.io" => "crates.io".to_string(),
        "go" => "Go".to_string(),
        "pypi" => "PyPI".to_string(),
        "almalinux" => format!("AlmaLinux:{release}"),
        "debian" => format!("Debian:{release}"),
        "kubernetes" => "kubernetes".to_string(),
        _ => return None,
    };
    text.parse().ok()
}

/// An old version that parses in the ecosystem's scheme and falls inside nearly every range.
fn old_version(base: &str) -> &'static str {
    match base {
        "go" => "v0.1.0",
        "pypi" => "1.0",
        "almalinux" => "1.0-1.el9",
        "debian" => "1.0-1",
        _ => "0.1.0",
    }
}

/// 10,000 queries, every other one a package the database knows (the rest unknown names).
/// `vulnerable`: known packages at an old version that nearly every advisory affects (worst
/// case, ~5 matches each); otherwise at the newest version an advisory names as fixed (a patched
/// system: the realistic case).
fn queries(db: &Database, vulnerable: bool) -> Vec<PackageQuery> {
    let keys = db.package_keys().unwrap();
    let known: Vec<PackageQuery> = keys
        .iter()
        .filter_map(|(base, name, release)| {
            let ecosystem = ecosystem_of(base, release)?;
            let version = if vulnerable {
                old_version(base).to_string()
            } else {
                let probe = PackageQuery::new(ecosystem.clone(), name.clone(), old_version(base));
                let mut fixes: Vec<String> = db
                    .matches(&probe)
                    .ok()?
                    .into_iter()
                    .flat_map(|m| m.fixed_versions)
                    .collect();
                fixes.sort_by(|a, b| compare_versions(&ecosystem, a, b));
                fixes.pop()?
            };
            Some(PackageQuery::new(ecosystem, name.clone(), version))
        })
        .collect();
    (0..10_000)
        .map(|i| {
            if i % 2 == 0 {
                known[(i * 7919) % known.len()].clone()
            } else {
                PackageQuery::new(Ecosystem::Npm, format!("no-such-package-{i}"), "1.0.0")
            }
        })
        .collect()
}

fn run(db: &Database, qs: &[PackageQuery]) -> usize {
    qs.iter().map(|q| db.matches(q).unwrap().len()).sum()
}

fn benches(c: &mut Criterion) {
    let dir = osv_dir();
    let started = Instant::now();
    let (mut db, report) = Database::import(&[&dir]).unwrap();
    eprintln!(
        "import: {} records, {} vulnerabilities, {} package keys, {} invalid, {} withdrawn in {:?}",
        db.header().records,
        db.header().vulnerabilities,
        db.header().packages,
        report.invalid(),
        report.withdrawn(),
        started.elapsed()
    );
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("vuln.db");
    db.write(&path).unwrap();
    eprintln!(
        "database file: {} bytes ({} KiB)",
        db.size(),
        db.size() / 1024
    );

    let mut group = c.benchmark_group("db");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("import_all_shared_osv", |b| {
        b.iter(|| black_box(Database::import(&[&dir]).unwrap()));
    });
    group.finish();

    let mut group = c.benchmark_group("db");
    group.sample_size(50);
    group.bench_function("open", |b| {
        b.iter(|| black_box(Database::open(&path).unwrap()));
    });

    let opened = Database::open(&path).unwrap();
    for (name, vulnerable) in [
        ("match_10000_queries_patched", false),
        ("match_10000_queries_vulnerable", true),
    ] {
        let qs = queries(&opened, vulnerable);
        eprintln!(
            "{name}: the 10,000 queries find {} matches",
            run(&opened, &qs)
        );
        group.bench_function(name, |b| b.iter(|| black_box(run(&opened, &qs))));
    }
    group.finish();
}

criterion_group!(db_benches, benches);
criterion_main!(db_benches);
