use std::collections::BTreeMap;
use std::io::Write;

use super::*;

/// Keeps files whose name ends in `.db`, treats `*.bin` as binaries, records everything.
#[derive(Default)]
struct Recorder {
    files: BTreeMap<String, (usize, Vec<u8>)>,
    binaries: Vec<(String, usize, usize)>,
}

impl FileSink for Recorder {
    fn interest(&self, path: &str, _executable: bool, _size: u64) -> Want {
        if path.to_ascii_lowercase().ends_with(".db") || path == "etc/os-release" {
            Want::Keep
        } else if path.to_ascii_lowercase().ends_with(".bin") {
            Want::Binary
        } else {
            Want::Skip
        }
    }
    fn keep(&mut self, path: &str, layer: usize, contents: Vec<u8>) {
        self.files.insert(path.to_string(), (layer, contents));
    }
    fn binary(&mut self, path: &str, layer: usize, contents: &[u8]) {
        self.binaries
            .push((path.to_string(), layer, contents.len()));
    }
    fn remove(&mut self, path: &str, _layer: usize) {
        self.files
            .retain(|p, _| p != path && !(p.starts_with(path) && p[path.len()..].starts_with('/')));
    }
    fn remove_dir_contents(&mut self, dir: &str, _layer: usize) {
        self.files.retain(|p, _| !is_below(p, dir));
    }
    fn lookup(&self, path: &str) -> Option<(usize, Vec<u8>)> {
        self.files.get(path).cloned()
    }
}

enum E<'a> {
    File(&'a str, &'a [u8]),
    Link(&'a str, &'a str),
    Hard(&'a str, &'a str),
}

fn tar_of(entries: &[E<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        match e {
            E::File(p, data) => {
                h.set_size(data.len() as u64);
                h.set_entry_type(tar::EntryType::Regular);
                // Raw names (`..`, absolute) are written as-is, as a hostile layer would.
                h.as_old_mut().name[..p.len()].copy_from_slice(p.as_bytes());
                h.set_cksum();
                b.append(&h, *data).unwrap();
            }
            E::Link(p, t) | E::Hard(p, t) => {
                h.set_size(0);
                h.set_entry_type(if matches!(e, E::Link(..)) {
                    tar::EntryType::Symlink
                } else {
                    tar::EntryType::Link
                });
                b.append_link(&mut h, p, t).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn paths_are_normalised_and_links_stay_inside() {
    assert_eq!(
        normalise_path("./etc//passwd").as_deref(),
        Some("etc/passwd")
    );
    assert_eq!(normalise_path("/usr/bin/").as_deref(), Some("usr/bin"));
    assert_eq!(normalise_path("a/../../etc"), None);
    assert_eq!(normalise_path("./"), None);
    assert_eq!(
        resolve_link("etc/os-release", "../usr/lib/os-release").as_deref(),
        Some("usr/lib/os-release")
    );
    assert_eq!(
        resolve_link("a/b", "../../../../etc/shadow").as_deref(),
        Some("etc/shadow")
    );
    assert_eq!(resolve_link("a/b", "/etc/x").as_deref(), Some("etc/x"));
}

#[test]
fn whiteouts_opaque_dirs_and_compressions() {
    let l0 = tar_of(&[
        E::File("var/a.db", b"zero"),
        E::File("var/sub/b.db", b"b"),
        E::File("opt/c.db", b"c"),
        E::File("opt/keep.db", b"k"),
    ]);
    let l1 = tar_of(&[
        E::File("var/.wh.a.db", b""),
        E::File("opt/.wh..wh..opq", b""),
        E::File("opt/new.db", b"new"),
    ]);
    let l2 = tar_of(&[E::File("var/sub/b.db", b"b2")]);
    let mut sink = Recorder::default();
    let mut walker = LayerWalker::new(&mut sink, Limits::default(), false);
    let s0 = walker.walk(&gzip(&l0)[..], 0, "l0", None).unwrap();
    let zst = zstd::stream::encode_all(&l1[..], 1).unwrap();
    let s1 = walker.walk(&zst[..], 1, "l1", None).unwrap();
    let s2 = walker.walk(&l2[..], 2, "l2", None).unwrap();
    walker.finish();
    assert_eq!(
        (s0.compression, s1.compression, s2.compression),
        (Compression::Gzip, Compression::Zstd, Compression::None)
    );
    assert_eq!(s0.files, 4);
    let kept: Vec<(&str, usize)> = sink
        .files
        .iter()
        .map(|(p, (l, _))| (p.as_str(), *l))
        .collect();
    assert_eq!(kept, [("opt/new.db", 1), ("var/sub/b.db", 2)]);
}

#[test]
fn traversal_is_ignored_with_a_warning() {
    let l0 = tar_of(&[E::File("../../evil.db", b"x"), E::File("ok.db", b"y")]);
    let mut sink = Recorder::default();
    let mut walker = LayerWalker::new(&mut sink, Limits::default(), false);
    walker.walk(&l0[..], 0, "l0", None).unwrap();
    let out = walker.finish();
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(out.warnings[0].contains("climbs out"), "{:?}", out.warnings);
    assert_eq!(sink.files.keys().collect::<Vec<_>>(), ["ok.db"]);
}

#[test]
fn symlinks_resolve_inside_the_root_and_hard_links_copy() {
    let l0 = tar_of(&[
        E::Link("etc/os-release", "../usr/lib/os-release"),
        E::File("usr/lib/os-release", b"ID=debian\n"),
        E::File("data/x.bin", b"\x7fELF...."),
        E::Hard("data/y.bin", "data/x.bin"),
        E::Link("data/escape.db", "../../../../etc/shadow.db"),
    ]);
    let mut sink = Recorder::default();
    let mut walker = LayerWalker::new(&mut sink, Limits::default(), false);
    walker.walk(&l0[..], 0, "l0", None).unwrap();
    walker.finish();
    assert_eq!(
        sink.files.get("etc/os-release").map(|f| f.1.as_slice()),
        Some(&b"ID=debian\n"[..])
    );
    assert_eq!(sink.binaries.len(), 2);
    // The escaping link resolves to etc/shadow.db inside the image, which does not exist.
    assert!(!sink.files.contains_key("data/escape.db"));
}

#[test]
fn decompression_bomb_stops_with_a_clear_error() {
    let big = vec![0u8; 4 * 1024 * 1024];
    let layer = gzip(&tar_of(&[E::File("zeros", &big)]));
    assert!(layer.len() < 64 * 1024);
    let mut sink = Recorder::default();
    let limits = Limits {
        max_uncompressed_total: 1024 * 1024,
        ..Limits::default()
    };
    let mut walker = LayerWalker::new(&mut sink, limits, false);
    let err = walker.walk(&layer[..], 0, "l0", None).unwrap_err();
    assert!(matches!(err, ImageError::Budget { layer: 0, .. }), "{err}");
    assert!(err.to_string().contains("decompression bomb"), "{err}");
}

#[test]
fn oversized_kept_files_are_skipped_with_a_warning() {
    let layer = tar_of(&[E::File("big.db", &[b'a'; 100])]);
    let mut sink = Recorder::default();
    let limits = Limits {
        max_kept_file: 10,
        ..Limits::default()
    };
    let mut walker = LayerWalker::new(&mut sink, limits, false);
    walker.walk(&layer[..], 0, "l0", None).unwrap();
    let out = walker.finish();
    assert!(sink.files.is_empty());
    assert!(out.warnings[0].contains("big.db"), "{:?}", out.warnings);
}

#[test]
fn diff_id_is_verified_and_garbage_is_refused() {
    let layer = tar_of(&[E::File("a.db", b"a")]);
    let good = Digest::of(&layer);
    let mut sink = Recorder::default();
    let mut walker = LayerWalker::new(&mut sink, Limits::default(), false);
    walker.walk(&layer[..], 0, "l0", Some(&good)).unwrap();
    let err = walker
        .walk(&layer[..], 1, "l1", Some(&Digest::of(b"x")))
        .unwrap_err();
    assert!(err.to_string().contains("digest mismatch"), "{err}");
    let err = walker
        .walk(
            &gzip(b"not a tar at all, definitely not")[..],
            2,
            "l2",
            None,
        )
        .unwrap_err();
    assert!(err.to_string().starts_with("layer 2 (l2):"), "{err}");
    let err = walker
        .walk(&[0xfd, b'7', b'z', b'X', b'Z', 0, 1][..], 3, "l3", None)
        .unwrap_err();
    assert!(err.to_string().contains("xz"), "{err}");
}

#[test]
fn secrets_in_deleted_files_are_reported_with_both_layers() {
    let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
    let l0 = tar_of(&[
        E::File("root/id", key.as_bytes()),
        E::File("bin/tool", b"\0\0AKIAIOSFODNN7EXAMPLE"),
    ]);
    let l1 = tar_of(&[E::File("root/.wh.id", b"")]);
    let mut sink = Recorder::default();
    let mut walker = LayerWalker::new(&mut sink, Limits::default(), true);
    walker.walk(&l0[..], 0, "l0", None).unwrap();
    walker.walk(&l1[..], 1, "l1", None).unwrap();
    let out = walker.finish();
    assert_eq!(
        out.secrets.len(),
        1,
        "binary files are not searched: {:?}",
        out.secrets
    );
    let hit = &out.secrets[0];
    assert_eq!(
        (hit.path.as_str(), hit.layer, hit.removed_in_layer),
        ("root/id", 0, Some(1))
    );
}

#[test]
fn a_layer_cut_after_its_last_file_is_read_with_a_warning() {
    let whole = tar_of(&[E::File("a.db", b"first"), E::File("b.db", b"second")]);
    // 512-byte header + 5 bytes + padding, then the second header and its 6 bytes, no more.
    let cut = &whole[..512 + 512 + 512 + 6];
    let mut sink = Recorder::default();
    let mut walker = LayerWalker::new(&mut sink, Limits::default(), false);
    walker.walk(cut, 0, "l0", Some(&Digest::of(cut))).unwrap();
    let outcome = walker.finish();
    assert!(
        outcome
            .warnings
            .iter()
            .any(|w| w.contains("end-of-archive")),
        "{:?}",
        outcome.warnings
    );
    assert_eq!(sink.files["b.db"].1, b"second");
    // A cut inside a file's data is still an error.
    let mut sink = Recorder::default();
    let mut walker = LayerWalker::new(&mut sink, Limits::default(), false);
    assert!(walker.walk(&whole[..512 + 3], 0, "l0", None).is_err());
}
