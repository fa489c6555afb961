//! Layer streaming throughput (`cargo bench -p palisade-image`): a generated gzip layer of
//! 20,000 files (~40 MB uncompressed: text files, a few package databases, binaries) walked
//! with and without the secret scan. Criterion reports bytes/s of uncompressed layer.

use std::hint::black_box;
use std::io::Write as _;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use palisade_image::{FileSink, LayerWalker, Limits, Want};

/// Keeps what a cataloger would: package databases and metadata; binaries are looked at.
#[derive(Default)]
struct Catalog {
    kept: usize,
    binaries: usize,
}

impl FileSink for Catalog {
    fn interest(&self, path: &str, executable: bool, _size: u64) -> Want {
        if path.ends_with("/METADATA") || path == "var/lib/dpkg/status" {
            Want::Keep
        } else if executable {
            Want::Binary
        } else {
            Want::Skip
        }
    }
    fn keep(&mut self, _path: &str, _layer: usize, contents: Vec<u8>) {
        self.kept += contents.len();
    }
    fn binary(&mut self, _path: &str, _layer: usize, contents: &[u8]) {
        self.binaries += contents.len();
    }
    fn remove(&mut self, _path: &str, _layer: usize) {}
    fn remove_dir_contents(&mut self, _dir: &str, _layer: usize) {}
    fn lookup(&self, _path: &str) -> Option<(usize, Vec<u8>)> {
        None
    }
}

fn layer() -> (Vec<u8>, u64) {
    let mut builder = tar::Builder::new(Vec::new());
    let mut add = |path: String, data: &[u8], mode: u32| {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(mode);
        header.set_cksum();
        builder.append_data(&mut header, path, data).unwrap();
    };
    let text: Vec<u8> = b"# configuration line with key = value and a comment\n".repeat(30);
    for i in 0..20_000 {
        match i % 100 {
            0 => add(
                format!("usr/lib/python3/dist-packages/pkg{i}-1.0.dist-info/METADATA"),
                b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n",
                0o644,
            ),
            1 => add(format!("usr/bin/tool{i}"), &vec![0x7f; 200_000], 0o755),
            _ => add(format!("usr/share/doc/pkg{i}/README"), &text, 0o644),
        }
    }
    let tar = builder.into_inner().unwrap();
    let size = tar.len() as u64;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    (gz.finish().unwrap(), size)
}

fn bench(c: &mut Criterion) {
    let (gz, uncompressed) = layer();
    let mut group = c.benchmark_group("layer");
    group.throughput(Throughput::Bytes(uncompressed));
    group.sample_size(10);
    for secrets in [false, true] {
        let name = if secrets { "walk+secrets" } else { "walk" };
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sink = Catalog::default();
                let mut walker = LayerWalker::new(&mut sink, Limits::default(), secrets);
                walker.walk(black_box(&gz[..]), 0, "bench", None).unwrap();
                black_box(walker.finish());
                black_box((sink.kept, sink.binaries))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
