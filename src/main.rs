//! The `whatscope` binary: everything lives in the library; this only runs the CLI.

fn main() {
    // Everything the archive writes is private to the user, from the first byte (docs/privacy.md).
    #[cfg(unix)]
    // SAFETY: umask only changes this process's file-creation mask; no memory is involved.
    unsafe {
        libc::umask(0o077);
    }
    std::process::exit(whatscope::run());
}
