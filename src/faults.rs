//! Test hook for the durability tests (docs/reliability.md, catalog D2 and D11): crash the
//! process at a labelled point of an import or an erasure.
//!
//! Only the environment variable `WHATSCOPE_CRASH_AT=<label>` triggers it; without it every
//! call is a no-op (one `var_os` look-up at a handful of points per command). It is not a
//! user feature and is not documented in `--help`. Labels, in the order they are reached:
//!
//! * import: `after-parse` (every file read and handed to the indexer), `before-commit`,
//!   `during-commit` (segment files written, `meta.json` not yet switched), `after-commit`
//!   (committed, before merges finish and before anything is reported);
//! * forget: `after-erase-marker`, `after-optout` (the opt-out is recorded, nothing deleted),
//!   `after-delete-commit` (deletions committed, the old segments still hold the bytes),
//!   `before-merge`, `before-gc` (merged and committed, old segment files still on disk),
//!   `after-gc` (files collected, the erasure not yet verified nor its marker removed).
//!
//! The hook exists only with the cargo feature `fault-injection`, which the test suite turns on
//! and a shipped build leaves off (docs/design.md): there `crash_point` is an empty inline
//! function, so neither the variable nor the labels are in the binary.

/// The variable that names the point to crash at.
#[cfg(feature = "fault-injection")]
pub const CRASH_AT: &str = "WHATSCOPE_CRASH_AT";

/// Dies at once, the hard way, when `WHATSCOPE_CRASH_AT` is `label`.
///
/// On Unix the process sends itself SIGKILL: like a kill -9 or an OOM kill, no destructor,
/// no buffered write, no lock release other than the kernel's, and no core dump (which
/// `abort()` may write). Elsewhere it aborts.
#[cfg(feature = "fault-injection")]
pub fn crash_point(label: &str) {
    let Some(want) = std::env::var_os(CRASH_AT) else {
        return;
    };
    if want != label {
        return;
    }
    // Says where it died, so a test can tell the hook fired and not some other crash.
    eprintln!("whatscope: test crash at {label}");
    #[cfg(unix)]
    // SAFETY: kill(2) on our own pid with a signal number; no memory is involved.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    std::process::abort();
}

/// Without `fault-injection`: nothing, compiled away at every call site.
#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn crash_point(_label: &str) {}
