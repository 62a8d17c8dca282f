//! The `whatscope` binary: everything lives in the library; this only runs the CLI.

/// mimalloc rather than the system allocator: an import allocates and frees millions of small
/// documents across threads, and with it a 10 M-message import takes 7 % less CPU and 10 %
/// less time (docs/performance.md, "10 M messages").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Everything the archive writes is private to the user, from the first byte (docs/privacy.md).
    #[cfg(unix)]
    // SAFETY: umask only changes this process's file-creation mask; no memory is involved.
    unsafe {
        libc::umask(0o077);
    }
    std::process::exit(whatscope::run());
}
