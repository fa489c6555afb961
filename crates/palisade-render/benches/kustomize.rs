//! Native Kustomize over the differential-test corpus: one iteration builds every directory.

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use palisade_render::kustomize::{KustomizeOptions, build, is_kustomization_dir};

fn corpus() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| is_kustomization_dir(p))
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn bench(c: &mut Criterion) {
    let dirs = corpus();
    let options = KustomizeOptions::default();
    let mut group = c.benchmark_group("kustomize");
    group.throughput(Throughput::Elements(dirs.len() as u64));
    group.bench_function("corpus", |b| {
        b.iter(|| {
            for dir in &dirs {
                let built = build(dir, &options).expect("corpus directory builds");
                std::hint::black_box(built.objects.len());
            }
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
