//! Whether another process is still running, for the files a whatscope leaves behind when it
//! dies (temporary copies named after their writer's process id).

/// Whether the process `pid` may still be running. Answers `false` only when the system says
/// no such process exists; a file named after a live process must never be removed under it.
///
/// On Unix, `kill(pid, 0)` probes without sending anything:
/// * success: the process exists;
/// * `EPERM`: it exists but belongs to another user (we may not signal it);
/// * `ESRCH`: no such process, so it is gone;
/// * any other error (none is documented for signal 0, but a sandbox may refuse the call):
///   alive, conservatively, since wrongly keeping a stale temporary file costs a few bytes
///   while wrongly removing a live one breaks the process writing it.
///
/// A `pid` beyond the system's process-id range cannot be a process: `false`. Elsewhere there
/// is no cheap probe: `true`, keeping files rather than removing one in use.
#[cfg(unix)]
pub fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks whether the process exists; nothing is sent, and `kill`
    // reads no memory of ours.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// See the Unix version: without a cheap probe every process counts as alive.
#[cfg(not(unix))]
pub fn alive(_pid: u32) -> bool {
    true
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive() {
        assert!(alive(std::process::id()));
    }

    #[test]
    fn a_finished_child_is_gone() {
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("spawn true");
        let pid = child.id();
        child.wait().expect("wait for true");
        // Reaped, so its id names no process (until the system reuses it, which takes a
        // whole cycle of process ids).
        assert!(!alive(pid));
    }

    #[test]
    fn another_users_process_is_alive() {
        // Process 1 (init) belongs to root: a probe by anyone else gets EPERM, which must
        // still mean alive; a probe by root succeeds.
        assert!(alive(1));
    }

    #[test]
    fn ids_beyond_the_pid_range_are_no_process() {
        assert!(!alive(u32::MAX));
    }
}
