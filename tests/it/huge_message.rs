//! Issue 13 point 4: one huge message (200 lines of 1 MB, within the line and text limits)
//! costs bounded memory in `import`, `search`, `log` and the TUI. Each run's peak resident set
//! is measured on the real binary (`wait4` for the CLI, `VmHWM` for the TUI under tmux) and
//! printed, so `cargo test --release --test it huge_message -- --nocapture` reproduces the
//! figures of docs/reliability.md (A4).

use crate::support::alone;
use crate::support::bin::BIN;
use crate::support::rss::{peak_kib, run_measured};
use crate::support::tmux::{have_tmux, Tmux};
use std::ffi::OsStr;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The bounds of the issue, in KiB (as `ru_maxrss` and `VmHWM` count): 1 GB for `import`,
/// 300 MB for everything that reads the archive.
const IMPORT_MAX_KIB: u64 = 1_000_000_000 / 1024;
const READ_MAX_KIB: u64 = 300_000_000 / 1024;

/// A word only the huge message's first line holds, and one only its last line holds.
const HEAD_WORD: &str = "zebracorn";
const TAIL_WORD: &str = "lastwordofall";

/// Writes an export whose second message is `lines` lines of about `line_bytes` each, a few
/// KiB at a time (the test process stays small: on Linux a child's peak counts the parent's
/// memory at spawn time).
fn write_export(path: &Path, lines: usize, line_bytes: usize) {
    let file = std::fs::File::create(path).expect("create export");
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let filler = "lorem ipsum dolor sit amet consectetur adipiscing elit ".repeat(64);
    let mut w = |s: &str| out.write_all(s.as_bytes()).expect("write export");
    w("01/02/2024, 10:00 - Alice: before the flood\n");
    w(&format!("01/02/2024, 10:01 - Bob: {HEAD_WORD} "));
    for n in 0..lines {
        let mut written = 0;
        while written + filler.len() < line_bytes {
            w(&filler);
            written += filler.len();
        }
        if n + 1 == lines {
            w(TAIL_WORD);
        }
        w("\n");
    }
    w("01/02/2024, 10:02 - Alice: after the flood\n");
    out.flush().expect("flush export");
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    max_rss_kib: u64,
}

/// Runs `whatscope ARGS…` on the data dir `data`, with its peak resident set from `wait4`.
fn whatscope<S: AsRef<OsStr>>(data: &Path, args: &[S]) -> Run {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env("WHATSCOPE_DATA_DIR", data)
        .env("NO_COLOR", "1");
    let run = run_measured(command);
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Run {
        code: run.code,
        stdout,
        stderr,
        max_rss_kib: run.max_rss_kib.unwrap_or(u64::MAX),
    }
}

fn report(what: &str, kib: u64) {
    eprintln!(
        "A4 peak resident set of {what}: {} MB",
        kib * 1024 / 1_000_000
    );
}

/// A 200 MB message: imported cut to the default limit, with a warning naming its line and
/// the flag, and a marker in the text; then `import`, `search`, `log` and the TUI stay within
/// the memory bounds.
#[test]
fn a4_huge_message_memory_is_bounded_in_import_search_log_and_tui() {
    if !alone::this_process(
        module_path!(),
        "a4_huge_message_memory_is_bounded_in_import_search_log_and_tui",
    ) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("WhatsApp Chat with Flood.txt");
    write_export(&export, 200, 1_000_000);
    let data = dir.path().join("data");

    let import = whatscope(&data, &[OsStr::new("import"), export.as_os_str()]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    report("import", import.max_rss_kib);
    let warning = import
        .stderr
        .lines()
        .find(|l| l.starts_with("warning:") && l.contains("--max-message-kib"))
        .unwrap_or_else(|| panic!("no warning about the cut message:\n{}", import.stderr));
    assert!(
        warning.contains("line 2") && warning.contains("256 KiB"),
        "{warning}"
    );
    assert!(
        import.max_rss_kib < IMPORT_MAX_KIB,
        "import peaked at {} KiB",
        import.max_rss_kib
    );
    std::fs::remove_file(&export).expect("remove export");

    let search = whatscope(&data, &["search", HEAD_WORD]);
    assert_eq!(search.code, 0, "{}", search.stderr);
    report("search", search.max_rss_kib);
    assert!(
        search.stdout.contains(&format!("«{HEAD_WORD}»")),
        "{}",
        search.stdout
    );
    assert!(
        search.max_rss_kib < READ_MAX_KIB,
        "search peaked at {} KiB",
        search.max_rss_kib
    );
    // What was cut is not in the archive, and says so.
    let tail = whatscope(&data, &["search", TAIL_WORD]);
    assert!(tail.stdout.contains("0 matches"), "{}", tail.stdout);

    let log = whatscope(&data, &["log", "--chat", "Flood"]);
    assert_eq!(log.code, 0, "{}", log.stderr);
    report("log", log.max_rss_kib);
    assert!(
        log.stdout.contains("whatscope cut this message here")
            && log.stdout.contains("--max-message-kib")
            && log.stdout.contains("after the flood"),
        "{}",
        log.stdout.chars().rev().take(600).collect::<String>()
    );
    assert!(
        log.max_rss_kib < READ_MAX_KIB,
        "log peaked at {} KiB",
        log.max_rss_kib
    );

    if let Some(tui) = tui_peak_kib(&data) {
        report("the TUI", tui);
        assert!(tui < READ_MAX_KIB, "the TUI peaked at {tui} KiB");
    }
}

/// `--max-message-kib` raises the limit: the same message is then imported whole, without a
/// warning; below it, the default cuts it. The limit must be at least 1 KiB.
#[test]
fn a4_max_message_kib_raises_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("WhatsApp Chat with Long.txt");
    write_export(&export, 3, 100_000);

    let cut = dir.path().join("cut");
    let run = whatscope(&cut, &[OsStr::new("import"), export.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("--max-message-kib"), "{}", run.stderr);
    let log = whatscope(&cut, &["log", "--chat", "Long", "--json"]);
    let texts: Vec<serde_json::Value> = log
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let text = texts[1]["text"].as_str().expect("text");
    assert!(
        text.starts_with(&format!("{HEAD_WORD} ")),
        "{}",
        &text[..40]
    );
    assert!(!text.contains(TAIL_WORD));
    assert!(text.ends_with("KiB more were not imported (--max-message-kib)]"));
    assert!(text.len() < (256 << 10) + 200, "{} bytes kept", text.len());

    let whole = dir.path().join("whole");
    let run = whatscope(
        &whole,
        &[
            OsStr::new("import"),
            OsStr::new("--json"),
            OsStr::new("--max-message-kib"),
            OsStr::new("512"),
            export.as_os_str(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("--max-message-kib"), "{}", run.stdout);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let found = whatscope(&whole, &["search", TAIL_WORD]);
    assert!(found.stdout.contains("1 match"), "{}", found.stdout);

    let zero = whatscope(
        &dir.path().join("zero"),
        &[
            OsStr::new("import"),
            OsStr::new("--max-message-kib"),
            OsStr::new("0"),
            export.as_os_str(),
        ],
    );
    assert_eq!(zero.code, 2, "{}", zero.stderr);
}

// ---------------------------------------------------------------------------------------------
// The TUI under tmux

/// Opens the chat, goes to its top (the huge message), searches as you type and jumps to the
/// hit, then reads the TUI's peak resident set. `None` without tmux.
fn tui_peak_kib(data: &Path) -> Option<u64> {
    if !have_tmux() {
        return None;
    }
    let t = Tmux::start(&format!(
        "exec env WHATSCOPE_DATA_DIR='{}' \"$WS\"",
        data.display()
    ))
    .with_patience(Duration::from_secs(30));
    t.wait_for("Chats 1");
    t.keys(&["Enter"]);
    t.wait_for("after the flood");
    // Select the huge message (the second): it is laid out as far as the pane shows it, and
    // says it goes on. (With only the first selected, its last row is below the pane.)
    t.keys(&["g"]);
    t.wait_for(" 1/3 ");
    t.keys(&["j"]);
    t.wait_for("the message goes on");
    t.keys(&["G"]);
    t.keys(&["/"]);
    t.keys(&["-l", HEAD_WORD]);
    t.wait_for(&format!("1 match for {HEAD_WORD}"));
    t.keys(&["Enter"]);
    t.wait_for("jump to message");
    t.keys(&["Enter"]);
    let screen = t.wait_for("the message goes on");
    assert!(screen.contains(HEAD_WORD), "{screen}");
    Some(peak_kib(t.pane_pid()))
}
