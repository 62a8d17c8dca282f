//! The real binary in a real terminal emulator: one tmux server per test (`-L`, no config
//! file) in a temp dir that is also the binary's HOME, config dir and TMPDIR. Keys go in with
//! `send-keys`, the screen comes back with `capture-pane`; waits poll, never sleep a fixed
//! time, and the server is killed when dropped, even on failure.

use super::bin::BIN;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// How long a wait polls the screen by default.
const WAIT: Duration = Duration::from_secs(10);

pub fn have_tmux() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: tmux is not installed (the end-to-end TUI tests need it; .ci/run installs it)");
    }
    ok
}

/// One tmux server with one session running a command in a 120×40 window.
pub struct Tmux {
    socket: String,
    dir: TempDir,
    /// How long [`Tmux::wait`] polls before failing.
    patience: Duration,
}

impl Tmux {
    /// Starts `script` (a `sh -c` script; `$WS` is the binary) in a fresh server.
    pub fn start(script: &str) -> Tmux {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "whatscope-e2e-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path().display().to_string();
        let command = format!(
            "env HOME='{d}' XDG_CONFIG_HOME='{d}/config' XDG_DATA_HOME='{d}/data' TMPDIR='{d}' \
             WS='{BIN}' sh -c '{}'",
            script.replace('\'', "'\\''")
        );
        let t = Tmux {
            socket,
            dir,
            patience: WAIT,
        };
        t.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            "120",
            "-y",
            "40",
            &command,
        ]);
        t
    }

    /// Waits up to `patience` instead of 10 s (for screens that take long to fill).
    pub fn with_patience(mut self, patience: Duration) -> Tmux {
        self.patience = patience;
        self
    }

    /// The temp dir that is the binary's HOME, config dir and TMPDIR.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// `tmux -L <socket>`, with the socket under the test's temp dir.
    pub fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        c.env("TMUX_TMPDIR", self.dir.path())
            .arg("-L")
            .arg(&self.socket);
        c
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        let out = self.command().args(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn capture(&self) -> String {
        let out = self
            .command()
            .args(["capture-pane", "-p", "-t", "main"])
            .output()
            .expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A tmux format of the pane, e.g. `#{alternate_on}`.
    pub fn pane(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "main", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    pub fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "main", "-l", text]);
    }

    pub fn resize(&self, w: u16, h: u16) {
        self.tmux(&[
            "resize-window",
            "-t",
            "main",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
    }

    /// Polls the screen until `ok` holds; fails with the last screen after `patience`.
    pub fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > self.patience {
                panic!("timed out waiting for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_for(&self, needle: &str) -> String {
        self.wait(&format!("{needle:?}"), |s| s.contains(needle))
    }

    /// The pid of the process running in the pane.
    pub fn pane_pid(&self) -> u32 {
        self.pane("#{pane_pid}").parse().expect("pane pid")
    }

    pub fn kill_server(&self) {
        let _ = self.command().arg("kill-server").output();
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.kill_server();
    }
}
