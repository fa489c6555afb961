//! Every lock-file parser on arbitrary bytes: the first byte picks the format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_pkg::{LockFileKind, parse};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, content)) = data.split_first() else {
        return;
    };
    let kind = LockFileKind::ALL[usize::from(selector) % LockFileKind::ALL.len()];
    let lines = content.split(|&b| b == b'\n').count();
    match parse(kind, "fuzz", content) {
        Ok(lock) => {
            for pkg in &lock.packages {
                assert!(pkg.location.line >= 1 && pkg.location.line as usize <= lines);
            }
        }
        Err(err) => assert!(err.line >= 1 && err.line as usize <= lines),
    }
});
