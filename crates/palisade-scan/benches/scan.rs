//! Manifest scan throughput on a generated corpus (in memory, so disk speed is out of it).

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use palisade_rules::{FRAMEWORKS, Selection};
use palisade_scan::{FileContent, ScanOptions, SourceFile, scan_files};

fn bench_scan(c: &mut Criterion) {
    let corpus = palisade_test::corpus::generate(4_000_000, 500);
    let bytes: usize = corpus.iter().map(|f| f.content.len()).sum();
    let files: Vec<SourceFile> = corpus
        .iter()
        .map(|f| SourceFile {
            display_path: Arc::from(f.name.as_str()),
            content: FileContent::InMemory(Arc::from(f.content.as_bytes())),
        })
        .collect();
    let mut options = ScanOptions::new(Selection::all());
    options.score_frameworks = FRAMEWORKS.iter().filter(|f| !f.is_everything()).collect();
    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("corpus-4mb", |b| {
        b.iter(|| scan_files(files.clone(), &options));
    });
    group.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);
