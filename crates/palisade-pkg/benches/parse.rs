//! Parse throughput on generated 5,000-entry lock files (`cargo bench -p palisade-pkg`).
//! Criterion reports elements/s, which here is packages/s.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use palisade_pkg::{LockFileKind, parse};

const ENTRIES: usize = 5_000;

/// A package-lock.json v3 with `ENTRIES` packages, a tenth of them nested and a third dev.
fn package_lock() -> String {
    let mut out = String::from(
        "{\n  \"name\": \"bench\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"\": {\n      \"name\": \"bench\",\n      \"dependencies\": {\n        \"pkg-0\": \"^1.0.0\"\n      }\n    }",
    );
    for i in 0..ENTRIES {
        let key = if i % 10 == 9 {
            format!("node_modules/pkg-{}/node_modules/@scope/pkg-{i}", i - 1)
        } else {
            format!("node_modules/pkg-{i}")
        };
        let dev = if i % 3 == 0 {
            ",\n      \"dev\": true"
        } else {
            ""
        };
        let _ = write!(
            out,
            ",\n    \"{key}\": {{\n      \"version\": \"{}.{}.{}\",\n      \"resolved\": \"https://registry.npmjs.org/pkg-{i}/-/pkg-{i}-1.0.0.tgz\",\n      \"integrity\": \"sha512-{}==\"{dev},\n      \"dependencies\": {{\n        \"pkg-{}\": \"^1.0.0\"\n      }}\n    }}",
            i % 7,
            i % 13,
            i % 101,
            "A".repeat(86),
            (i + 1) % ENTRIES,
        );
    }
    out.push_str("\n  }\n}\n");
    out
}

/// A Cargo.lock v3 with a local crate and `ENTRIES` registry packages.
fn cargo_lock() -> String {
    let mut out = String::from(
        "version = 3\n\n[[package]]\nname = \"bench\"\nversion = \"0.1.0\"\ndependencies = [\n \"crate-0\",\n]\n",
    );
    for i in 0..ENTRIES {
        let _ = write!(
            out,
            "\n[[package]]\nname = \"crate-{i}\"\nversion = \"{}.{}.{}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{}\"\ndependencies = [\n \"crate-{}\",\n \"serde\",\n]\n",
            i % 5,
            i % 17,
            i % 89,
            "0f".repeat(32),
            (i + 1) % ENTRIES,
        );
    }
    out
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(ENTRIES as u64));
    let npm = package_lock();
    assert_eq!(
        parse(
            LockFileKind::NpmPackageLock,
            "package-lock.json",
            npm.as_bytes()
        )
        .unwrap()
        .packages
        .len(),
        ENTRIES
    );
    group.bench_function("package-lock.json", |b| {
        b.iter(|| {
            parse(
                LockFileKind::NpmPackageLock,
                "package-lock.json",
                black_box(npm.as_bytes()),
            )
            .unwrap()
        });
    });
    let cargo = cargo_lock();
    assert_eq!(
        parse(LockFileKind::CargoLock, "Cargo.lock", cargo.as_bytes())
            .unwrap()
            .packages
            .len(),
        ENTRIES
    );
    group.bench_function("Cargo.lock", |b| {
        b.iter(|| {
            parse(
                LockFileKind::CargoLock,
                "Cargo.lock",
                black_box(cargo.as_bytes()),
            )
            .unwrap()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
