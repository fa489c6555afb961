//! Native Kustomize build throughput over the differential-test corpus
//! (`cargo bench -p palisade-render`): criterion reports kustomizations/s.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn bench(c: &mut Criterion) {
    let dirs = corpus();
    let mut group = c.benchmark_group("kustomize");
    group.throughput(Throughput::Elements(dirs.len() as u64));
    group.bench_function("build corpus", |b| {
        b.iter(|| {
            for dir in &dirs {
                black_box(palisade_render::kustomize::build(dir).unwrap());
            }
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
