//! A run of the real binary with its peak resident set: `wait4` reports the child's
//! `ru_maxrss`, and `/proc/PID/status` the `VmHWM` of a process still running (the TUI).

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What a finished child left: exit code (minus the signal number when killed), output,
/// wall time and peak resident set.
pub struct Measured {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub elapsed: Duration,
    /// Peak resident set of the child in KiB, where the platform reports it. On Linux this is
    /// at least this test process's own peak at spawn time (vfork shares its memory until the
    /// exec), so tests that measure it never hold large buffers themselves.
    pub max_rss_kib: Option<u64>,
}

/// Runs `command` with stdin closed, reading both pipes on threads (so a child filling one
/// never blocks), and reaps it with its peak resident set.
pub fn run_measured(mut command: Command) -> Measured {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn whatscope");
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out_pipe.read_to_end(&mut b);
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err_pipe.read_to_end(&mut b);
        b
    });
    let (code, max_rss_kib) = wait(child);
    let elapsed = started.elapsed();
    Measured {
        code,
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
        elapsed,
        max_rss_kib,
    }
}

#[cfg(target_os = "linux")]
fn wait(child: Child) -> (i32, Option<u64>) {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 writes only into the two locals passed; `pid` is our own unreaped child.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    (code, u64::try_from(usage.ru_maxrss).ok())
}

#[cfg(not(target_os = "linux"))]
fn wait(mut child: Child) -> (i32, Option<u64>) {
    let status = child.wait().expect("wait for whatscope");
    (status.code().unwrap_or(-1), None)
}

/// `VmHWM` (peak resident set) of a running process, in KiB.
pub fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}
