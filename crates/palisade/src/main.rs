//! The `palisade` binary: everything happens in `palisade-cli`.

use std::process::ExitCode;

// Scans allocate millions of small nodes from two or more threads at once; mimalloc's
// per-thread heaps make that markedly cheaper than glibc's arenas (see docs/performance.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    palisade_cli::run(std::env::args_os()).into()
}
