//! Asks Linux to back a large, freshly allocated buffer with 2 MiB pages. Parsing a big
//! export fills a few hundred MB of new vectors, and with 4 KiB pages the first touch of
//! each page (a page fault) costs as much as the parsing itself; transparent huge pages in
//! `madvise` mode (the common default) are used only where asked for.
//!
//! It pays (issue 16, docs/performance.md): `whatscope parse` of the 1 M-message export takes
//! 0.46 s of CPU time with it and 0.55 s without (best of 7, `/usr/bin/time`; 6 900 page faults
//! against 46 700). Reproduce: `cargo run --release --example gen_export -- 1000000 > big.txt`,
//! then `/usr/bin/time whatscope parse big.txt > /dev/null` with and without the call to
//! `madvise`. Exports under WhatsApp's 40 000-message cap stay under the 8 MiB floor below.

/// Huge-page size on x86-64 and AArch64 Linux.
#[cfg(target_os = "linux")]
const HUGE: usize = 2 << 20;

/// Advises huge pages for the spare and used capacity of `v`, when it spans at least a few
/// of them. A hint only: nothing changes if the kernel declines.
pub fn advise<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        let bytes = v.capacity().saturating_mul(std::mem::size_of::<T>());
        if bytes < 4 * HUGE {
            return;
        }
        let start = v.as_ptr() as usize;
        let first = start.div_ceil(HUGE) * HUGE;
        let end = (start + bytes) / HUGE * HUGE;
        if end > first {
            // SAFETY: the range lies inside `v`'s own allocation; MADV_HUGEPAGE changes how
            // the kernel backs it, never its contents, and failure is harmless.
            unsafe {
                libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}
