//! The `whatscope` binary: everything lives in the library; this only runs the CLI.

/// mimalloc instead of the system allocator. An import builds and frees millions of small
/// strings and vectors on four threads at once; with glibc's allocator a 1 M-message import
/// took about a sixth more CPU and twelve times the page faults (docs/performance.md, "The
/// allocator", which also says what it costs in memory). Built without its request for
/// transparent huge pages (Cargo.toml), which made the import slower and less steady
/// (docs/performance.md, "Huge pages").
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
