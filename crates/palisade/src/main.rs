//! The `palisade` binary: everything happens in `palisade-cli`.

use std::process::ExitCode;

// Scans allocate millions of small nodes from two or more threads at once; mimalloc's
// per-thread heaps make that markedly cheaper than glibc's arenas (docs/performance.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    #[cfg(feature = "mimalloc")]
    tune_allocator();
    palisade_cli::run(std::env::args_os()).into()
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (v2 and v3).
#[cfg(feature = "mimalloc")]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc holds pages that became free for 10 ms (arenas 100 ms) before returning them to
/// the system. A scan frees each file's parse trees as it goes and the kept objects once the
/// cross-resource phase is done, on other threads than those that allocate next; returning
/// pages after 2 ms keeps the benchmark's peak RSS about a fifth lower at no measurable cost.
#[cfg(feature = "mimalloc")]
fn tune_allocator() {
    // SAFETY: `mi_option_set` stores an integer in mimalloc's option table; it runs before
    // any other thread exists and takes no pointers.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 2);
    }
}
