//! Attacks of issue 13 on what whatscope reads and writes (docs/reliability.md, section A):
//! CSV on a terminal and in a spreadsheet (A1), a data dir that is not an archive (A2), a
//! lost secret (A3), folders with FIFOs, unreadable folders or no export (A6), invisible
//! leftovers and endless inputs (A10); and issue 12's chats that must never merge.

use crate::support::bin::*;
use crate::support::files::*;
use crate::support::fixtures::*;
use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// An export whose texts, sender and chat name hold what a terminal would obey: OSC 52
/// (writes the clipboard), OSC 0 (window title), a screen clear, C1 controls, BS, a bare CR,
/// and cells a spreadsheet would run as formulas.
const HOSTILE_TEXT: &str = "clip \u{1b}]52;c;ZXZpbA==\u{7} title \u{1b}]0;pwned\u{7} clear \u{1b}[2J c1 \u{9b}31m \u{9d}0;x\u{9c} bs ab\u{8}\u{8}XY";
const FORMULA_TEXT: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

fn hostile_export() -> String {
    format!(
        "05/01/2024, 10:00 - Mal\u{9d}lory: {HOSTILE_TEXT}\n\
         05/01/2024, 10:01 - Mal\u{9d}lory: {FORMULA_TEXT}\n\
         05/01/2024, 10:02 - Trent: @SUM(1+1)\n\
         05/01/2024, 10:03 - Trent: -1 and +1\n"
    )
}

const HOSTILE_CHAT: &str = "Evil\u{1b}]0;owned\u{7}Chat";

fn hostile_archive() -> Env {
    let env = Env::new();
    let path = env.write("hostile.txt", hostile_export().as_bytes());
    env.ok(&["import", s(&path), "--chat", HOSTILE_CHAT]);
    env
}

/// `sh -c` quoting of one argument.
fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', "'\\''"))
}

/// Runs whatscope on a pseudo-terminal (util-linux `script`) and returns what reached it;
/// `None` when `script` is missing.
fn on_a_terminal(env: &Env, args: &[&str]) -> Option<Vec<u8>> {
    let mut line = format!("{} --data-dir {}", quote(BIN), quote(s(&env.data())));
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    let out = match Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_remove("WHATSCOPE_DATA_DIR")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            eprintln!("skipped: needs util-linux `script` for a pseudo-terminal: {e}");
            return None;
        }
    };
    assert!(out.status.success(), "{}", describe(&out));
    Some(out.stdout)
}

/// What a terminal would obey in `bytes`: C0 controls but LF, TAB and the CR of a line end,
/// DEL, and C1 controls (UTF-8 `C2 80`–`C2 9F`).
fn interpreted_by_a_terminal(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        let bad = match b {
            // The pty turns LF into CR LF, so a record's CR LF arrives as CR CR LF.
            b'\r' => !matches!(next, Some(b'\r' | b'\n')),
            b'\n' | b'\t' => false,
            0..=0x1F | 0x7F => true,
            0xC2 => next.is_some_and(|n| (0x80..=0x9F).contains(&n)),
            _ => false,
        };
        if bad {
            let from = i.saturating_sub(12);
            found.push(String::from_utf8_lossy(&bytes[from..(i + 12).min(bytes.len())]).into());
        }
    }
    found
}

#[test]
fn a1_csv_export_on_a_terminal_shows_controls_as_the_other_commands_do() {
    let env = hostile_archive();
    let Some(shown) = on_a_terminal(&env, &["export", "--format", "csv"]) else {
        return;
    };
    let text = String::from_utf8_lossy(&shown);
    assert_eq!(
        interpreted_by_a_terminal(&shown),
        Vec::<String>::new(),
        "{text}"
    );
    // Shown, not swallowed: the stand-ins `log` uses for ESC, BEL, BS and C1.
    for visible in [
        "\u{241B}]52;c;ZXZpbA==\u{2407}",
        "\u{241B}]0;pwned\u{2407}",
        "\u{241B}[2J",
        "\u{FFFD}31m",
        "ab\u{2408}\u{2408}XY",
        "Evil\u{241B}]0;owned\u{2407}Chat",
        "Mal\u{FFFD}lory",
    ] {
        assert!(text.contains(visible), "{visible:?} not in {text}");
    }
    // The same text as `log` shows it on a terminal.
    let Some(log) = on_a_terminal(&env, &["log", "--chat", "Evil"]) else {
        return;
    };
    assert!(String::from_utf8_lossy(&log).contains("\u{241B}]52;c;ZXZpbA==\u{2407}"));
    // Spreadsheet formulas are neutralised on the terminal too.
    assert!(text.contains("'=HYPERLINK("), "{text}");
}

/// The CSV of `export --format csv` (plus `extra`) through a pipe, parsed.
fn csv_through_a_pipe(env: &Env, extra: &[&str]) -> Vec<Vec<String>> {
    let mut args = vec!["export", "--format", "csv"];
    args.extend_from_slice(extra);
    let out = env.ok(&args);
    parse_csv(std::str::from_utf8(&out.stdout).expect("UTF-8"))
}

fn cell<'a>(rows: &'a [Vec<String>], column: &str, starts: &str) -> &'a str {
    let at = rows[0].iter().position(|c| c == column).expect("a column");
    rows.iter()
        .skip(1)
        .map(|r| r[at].as_str())
        .find(|c| c.trim_start_matches('\'').starts_with(starts))
        .unwrap_or_else(|| panic!("no {column} cell starting {starts:?} in {rows:?}"))
}

#[test]
fn a1_csv_export_to_a_pipe_keeps_bytes_and_guards_formulas_unless_asked() {
    let env = hostile_archive();
    let rows = csv_through_a_pipe(&env, &[]);
    assert_eq!(rows.len(), 5, "{rows:?}");
    // Exact bytes: controls are data for a program.
    assert_eq!(cell(&rows, "text", "clip"), HOSTILE_TEXT);
    assert_eq!(cell(&rows, "chat", "Evil"), HOSTILE_CHAT);
    assert_eq!(cell(&rows, "sender", "Mal"), "Mal\u{9d}lory");
    // OWASP: a cell starting with =, +, -, @ gets a leading ' by default.
    assert_eq!(cell(&rows, "text", "=HYPER"), format!("'{FORMULA_TEXT}"));
    assert_eq!(cell(&rows, "text", "@SUM"), "'@SUM(1+1)");
    assert_eq!(cell(&rows, "text", "-1"), "'-1 and +1");

    let raw = csv_through_a_pipe(&env, &["--no-formula-guard"]);
    assert_eq!(cell(&raw, "text", "=HYPER"), FORMULA_TEXT);
    assert_eq!(cell(&raw, "text", "@SUM"), "@SUM(1+1)");
    assert_eq!(cell(&raw, "text", "clip"), HOSTILE_TEXT);

    // A file holds the same exact bytes as the pipe.
    let file = env.path("out.csv");
    env.ok(&["export", "--format", "csv", "--output", s(&file)]);
    let from_file = parse_csv(&fs::read_to_string(&file).expect("read"));
    assert_eq!(from_file, rows);

    // NDJSON has no formulas to guard: the flag is refused there, not ignored.
    let out = env.run(&["export", "--no-formula-guard"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--format csv only") && err.contains("hint:"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// A2: a data dir that is not an archive

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(unix)]
#[test]
fn a2_foreign_folder_is_refused_and_no_foreign_mode_ever_changes() {
    let env = Env::new();
    let input = env.write(ZELDA_TXT, ZELDA.as_bytes());
    // A folder that holds someone's things (`--data-dir ~` by mistake).
    let home = env.path("home");
    fs::create_dir_all(home.join("bin")).expect("mkdir");
    let tool = home.join("bin/tool.sh");
    fs::write(&tool, "#!/bin/sh\necho hi\n").expect("write");
    set_mode(&tool, 0o755);
    set_mode(&home.join("bin"), 0o755);
    let notes = home.join("notes.txt");
    fs::write(&notes, "mine").expect("write");
    set_mode(&notes, 0o644);
    set_mode(&home, 0o755);

    let out = Command::new(BIN)
        .env_remove("WHATSCOPE_DATA_DIR")
        .arg("--data-dir")
        .arg(&home)
        .args(["import", s(&input)])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not empty and holds no whatscope archive") && err.contains("hint:"),
        "{err}"
    );
    assert_eq!(
        (
            mode(&tool),
            mode(&home.join("bin")),
            mode(&notes),
            mode(&home)
        ),
        (0o755, 0o755, 0o644, 0o755)
    );
    assert!(!home.join("index").exists() && !home.join("secret.key").exists());

    // A file the user keeps in a real archive's folder keeps its mode through every commit;
    // whatscope's own files are private.
    env.ok(&["import", s(&input)]);
    let kept = env.data().join("run-backup.sh");
    fs::write(&kept, "#!/bin/sh\n").expect("write");
    set_mode(&kept, 0o755);
    env.ok(&[
        "import",
        s(&env.write(HIKING_TXT, &fixture("01_android_en_gb_24h_group.txt"))),
    ]);
    env.ok(&["forget", "--participant", "Maya Lopez", "--yes"]);
    assert_eq!(mode(&kept), 0o755);
    assert_eq!(mode(&env.data().join("secret.key")), 0o600);
    assert_eq!(mode(&env.data().join("index")), 0o700);
}

// ---------------------------------------------------------------------------------------------
// A3: a lost secret

/// Pseudonyms as `chats --anonymize --json` lists participants.
fn anonymized_chats(env: &Env) -> String {
    String::from_utf8_lossy(&env.ok(&["chats", "--json", "--anonymize"]).stdout).into_owned()
}

#[test]
fn a3_lost_secret_is_never_silently_replaced() {
    let env = Env::archive();
    let reunion = env.write(REUNION_TXT, &fixture("15_ios_legacy_2016_colon.txt"));
    env.ok(&["forget", "--participant", "Jonas Becker", "--yes"]);
    let before = anonymized_chats(&env);
    let secret = env.data().join("secret.key");
    fs::remove_file(&secret).expect("rm secret");

    // Every command that needs the secret refuses, and none makes a new one.
    for args in [
        &["search", "hello", "--anonymize"][..],
        &["chats", "--anonymize"],
        &["stats", "--anonymize"],
        &["log", "--chat", "Hiking", "--anonymize"],
        &["export", "--anonymize"],
        &["export", "--participant", "Maya Lopez"],
        &["forget", "--participant", "Rita Alves", "--yes"],
        &["forget", "--undo", "Jonas Becker", "--yes"],
        &["import", s(&reunion)],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", describe(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("lost its secret (secret.key)")
                && err.contains("hint:")
                && err.contains("whatscope secret reset --yes"),
            "{args:?}: {err}"
        );
        assert!(!secret.exists(), "{args:?} made a new secret");
    }
    // What needs no secret still works.
    env.ok(&["search", "hello"]);

    // The explicit way on: asks, says what it costs.
    let asked = env.run(&["secret", "reset"]);
    assert_eq!(asked.status.code(), Some(1), "{}", describe(&asked));
    assert!(!secret.exists());
    let done = env.ok(&["secret", "reset", "--yes"]);
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(
        said.contains("every pseudonym has changed") && said.contains("forget those people again"),
        "{said}"
    );
    assert!(secret.exists());
    assert_ne!(anonymized_chats(&env), before, "new secret, new pseudonyms");
}

#[test]
fn a3_a_new_archive_gets_its_secret_when_it_is_made() {
    let env = Env::new();
    env.ok(&["import", s(&env.write(ZELDA_TXT, ZELDA.as_bytes()))]);
    assert!(env.data().join("secret.key").exists());
    let out = Env::new().run(&["secret", "reset", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no archive"));
}

// ---------------------------------------------------------------------------------------------
// A6: folders never hang and never skip silently

/// Waits for a whatscope that must not hang; kills it and fails after a minute (a hang, not
/// a slow run: these commands take milliseconds).
fn wait_or_fail(mut child: std::process::Child, what: &str) -> std::process::Output {
    for _ in 0..600 {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("{what}: whatscope hangs");
}

fn spawn(env: &Env, args: &[&str]) -> std::process::Child {
    env.cmd()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

#[cfg(unix)]
#[test]
fn a6_fifo_is_skipped_in_a_folder_and_refused_as_a_path_never_opened() {
    let env = Env::new();
    let export = env.write(ZELDA_TXT, ZELDA.as_bytes());
    let fifo = env.path("in/x.txt");
    mkfifo(&fifo);
    let folder = env.path("in");

    let out = wait_or_fail(spawn(&env, &["import", s(&folder), "--json"]), "folder");
    assert!(out.status.success(), "{}", describe(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["added"], 8, "{report}");
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains("x.txt: skipped: not a file but a FIFO"),
        "{report}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning: "),
        "{}",
        describe(&out)
    );
    let _ = export;

    let out = wait_or_fail(spawn(&env, &["import", s(&fifo)]), "path");
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("x.txt: not a file but a FIFO") && err.contains("hint:"),
        "{err}"
    );
}

/// Whether `uid` exists in this process's user namespace (`/proc/self/uid_map`).
#[cfg(unix)]
fn uid_is_mapped(uid: u32) -> bool {
    let Ok(map) = fs::read_to_string("/proc/self/uid_map") else {
        return true;
    };
    map.lines().any(|line| {
        let f: Vec<u64> = line
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        f.len() == 3 && (f[0]..f[0] + f[2]).contains(&u64::from(uid))
    })
}

#[cfg(unix)]
#[test]
fn a6_unreadable_subfolder_is_skipped_with_a_warning() {
    use std::os::unix::process::CommandExt;
    const NOBODY: u32 = 65534;
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root && !uid_is_mapped(NOBODY) {
        // Inside `unshare -r` only root exists, and root reads every folder.
        eprintln!("skipped: a6 needs uid {NOBODY}, which this user namespace does not map");
        return;
    }
    let env = Env::new();
    env.write(ZELDA_TXT, ZELDA.as_bytes());
    let locked = env.path("in/locked");
    fs::create_dir_all(&locked).expect("mkdir");
    fs::write(locked.join("secret chat.txt"), ZELDA).expect("write");
    if root {
        // `nobody` may walk and write the temp folder, but not read `locked`.
        for p in [env.tmp.path(), &env.path("in")] {
            set_mode(p, 0o777);
        }
        set_mode(&env.path(&format!("in/{ZELDA_TXT}")), 0o644);
        set_mode(&locked, 0o700);
    } else {
        set_mode(&locked, 0o000);
    }
    let mut cmd = env.cmd();
    if root {
        cmd.uid(NOBODY).gid(NOBODY);
    }
    let out = cmd
        .args(["import", s(&env.path("in")), "--json"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    set_mode(&locked, 0o700);
    assert!(out.status.success(), "{}", describe(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains("locked: skipped: cannot read the folder"),
        "{report}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("locked: skipped"),
        "{}",
        describe(&out)
    );
    assert_eq!(report["added"], 8, "{report}");
}

#[test]
fn a6_folder_without_exports_fails_and_leaves_no_archive() {
    let env = Env::new();
    let empty = env.path("in/nothing here");
    fs::create_dir_all(&empty).expect("mkdir");
    fs::write(empty.join("notes.md"), "not an export").expect("write");
    let out = env.run(&["import", s(&empty)]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("no chat exports found in {}", s(&empty))) && err.contains("hint:"),
        "{err}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("imported 0"));
    assert!(!env.data().exists(), "a failed import made a data dir");

    // Beside a folder that has one, the empty folder is a warning.
    let export = env.write(ZELDA_TXT, ZELDA.as_bytes());
    let out = env.ok(&["import", s(&empty), s(&export)]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: no chat exports found in"));
}

#[test]
fn a6_missing_path_is_named_in_the_error_and_the_json_and_leaves_no_archive() {
    let env = Env::new();
    let missing = env.path("no/such/file.txt");
    let out = env.run(&["import", s(&missing), "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["files"][0]["path"], s(&missing), "{report}");
    assert!(report["files"][0]["error"]
        .as_str()
        .is_some_and(|e| e.contains(s(&missing))));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("error: {}", s(&missing))));
    assert!(!env.data().exists(), "a failed import made a data dir");
    // Nor does a data dir whose parents did not exist stay behind.
    let deep = env.path("a/b/data");
    let out = Command::new(BIN)
        .env_remove("WHATSCOPE_DATA_DIR")
        .arg("--data-dir")
        .arg(&deep)
        .args(["import", s(&missing)])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(!env.path("a").exists());
}

// ---------------------------------------------------------------------------------------------
// A10: invisible leftovers

/// ZWJs in `text` that join nothing: not between two non-ASCII, non-space chars.
fn lone_zwjs(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let joins = |c: Option<&char>| c.is_some_and(|c| !c.is_ascii() && !c.is_whitespace());
    (0..chars.len())
        .filter(|&i| chars[i] == '\u{200D}')
        .filter(|&i| !(i > 0 && joins(chars.get(i - 1)) && joins(chars.get(i + 1))))
        .count()
}

#[test]
fn a10_lone_zwj_never_reaches_plain_cli_output() {
    let env = Env::new();
    let export = "05/01/2024, 10:00 - Ann\u{200D}: pass\u{200D}word and \u{200D}lead trail\u{200D} \u{1F469}\u{200D}\u{1F52C} lab\n\
                  05/01/2024, 10:01 - Bob: \u{200D}\u{200D} ok \u{1F469}\u{200D}\u{1F52C}\n";
    let path = env.write("WhatsApp Chat with Ann.txt", export.as_bytes());
    env.ok(&["import", s(&path)]);
    let mut shown = String::new();
    for args in [
        &["log", "--chat", "Ann"][..],
        &["stats"],
        &["stats", "--chat", "Ann"],
        &["search", "lab"],
        &["chats"],
    ] {
        let out = String::from_utf8_lossy(&env.ok(args).stdout).into_owned();
        assert_eq!(lone_zwjs(&out), 0, "{args:?}: {out:?}");
        shown.push_str(&out);
    }
    // The ZWJ of an emoji sequence stays: the emoji is shown whole.
    assert!(shown.contains("\u{1F469}\u{200D}\u{1F52C}"), "{shown}");
    assert!(shown.contains("password"), "{shown}");
    // JSON keeps the stored text exactly.
    let json = env.ndjson(&["log", "--chat", "Ann", "--json"]);
    assert!(json[0]["text"]
        .as_str()
        .is_some_and(|t| t.contains("pass\u{200D}word")));
}

/// A source of random bytes that never ends (a xorshift generator).
fn noise_chunk(state: &mut u64, buf: &mut [u8]) {
    for b in buf.iter_mut() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *b = (*state >> 24) as u8;
    }
}

#[test]
fn a10_endless_random_stdin_is_refused_after_a_bounded_read() {
    let env = Env::new();
    let mut child = env
        .cmd()
        .args(["import", "-", "--chat", "Noise"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    // Writes until whatscope stops reading (the pipe breaks); at most 64 MiB.
    let writer = std::thread::spawn(move || {
        let mut written = 0u64;
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut buf = vec![0u8; 16 << 10];
        while written < 64 << 20 {
            noise_chunk(&mut state, &mut buf);
            if stdin.write_all(&buf).is_err() {
                break;
            }
            written += buf.len() as u64;
        }
        written
    });
    let out = wait_or_fail(child, "random stdin");
    let written = writer.join().expect("writer");
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("stdin: this is binary data"), "{err}");
    // The 64 KiB sample plus what the pipe holds: nowhere near the 256 MiB text limit.
    assert!(written < 1 << 20, "{written} bytes were taken from stdin");
}

#[test]
fn a10_dev_urandom_as_a_path_is_refused_as_binary_not_read_to_the_limit() {
    if !Path::new("/dev/urandom").exists() {
        eprintln!("skipped: no /dev/urandom here");
        return;
    }
    let env = Env::new();
    for args in [
        &["import", "/dev/urandom", "--chat", "Noise"][..],
        &["parse", "/dev/urandom"],
    ] {
        let out = wait_or_fail(spawn(&env, args), "/dev/urandom");
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("/dev/urandom: this is binary data") && !err.contains("--max-text-mib"),
            "{err}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 12, point 6: two different chats are never merged under one made-up name

const CHAT_A: &str = "05/01/2024, 10:00 - Ann: first chat\n05/01/2024, 10:01 - Bob: yes\n";
const CHAT_B: &str = "06/01/2024, 11:00 - Cy: second chat\n06/01/2024, 11:01 - Di: right\n";

fn chats_by_name(env: &Env) -> Vec<(String, u64)> {
    env.json(&["chats", "--json"])
        .as_array()
        .expect("chats")
        .iter()
        .map(|c| {
            (
                c["chat"].as_str().expect("chat").to_string(),
                c["messages"].as_u64().expect("messages"),
            )
        })
        .collect()
}

#[test]
fn bare_chat_txt_files_in_two_folders_stay_two_chats_named_after_their_folders() {
    let env = Env::new();
    let family = env.path("in/Family");
    let work = env.path("in/WhatsApp Chat - Work");
    for (dir, text) in [(&family, CHAT_A), (&work, CHAT_B)] {
        fs::create_dir_all(dir).expect("mkdir");
        fs::write(dir.join("_chat.txt"), text).expect("write");
    }
    let report = env.json(&["import", s(&env.path("in")), "--json"]);
    let from: Vec<(&str, &str)> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["chat"].as_str().expect("chat"),
                f["chat_name_from"].as_str().expect("from"),
            )
        })
        .collect();
    assert_eq!(from, [("Family", "folder"), ("Work", "folder")], "{report}");
    assert_eq!(
        chats_by_name(&env),
        [("Family".to_string(), 2), ("Work".to_string(), 2)]
    );
    // The text report says it too.
    let again = env.ok(&["import", s(&family.join("_chat.txt"))]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("chat: Family (from the folder name)"));
}

#[test]
fn stdin_without_a_chat_name_is_refused_rather_than_merged() {
    let env = Env::new();
    let first = env.write("WhatsApp Chat with Ann.txt", CHAT_A.as_bytes());
    let r = env.json(&["import", s(&first), "--json"]);
    assert_eq!(r["files"][0]["chat_name_from"], "file name", "{r}");
    let feed = |args: &[&str]| {
        let mut child = env
            .cmd()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(CHAT_B.as_bytes())
            .expect("write");
        child.wait_with_output().expect("output")
    };
    let out = feed(&["import", "-"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("stdin: no chat name") && err.contains("--chat NAME"),
        "{err}"
    );
    assert_eq!(chats_by_name(&env), [("Ann".to_string(), 2)]);

    let out = feed(&["import", "-", "--chat", "Cy and Di", "--json"]);
    assert!(out.status.success(), "{}", describe(&out));
    let r: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(r["files"][0]["chat_name_from"], "--chat", "{r}");

    // A zip is named after itself; an iOS `_chat.txt` in a folder named for nothing
    // (`Downloads`) after the chat the export attributes its notice to.
    let zip = env.path("in/19_ios_zip_with_media.zip");
    fs::write(&zip, fixture("19_ios_zip_with_media.zip")).expect("write");
    let r = env.json(&["import", s(&zip), "--json"]);
    assert_eq!(r["files"][0]["chat_name_from"], "zip", "{r}");
    let downloads = env.path("in/Downloads");
    fs::create_dir_all(&downloads).expect("mkdir");
    fs::write(
        downloads.join("_chat.txt"),
        fixture("04_ios_en_us_12h_nnbsp_2024.txt"),
    )
    .expect("write");
    let r = env.json(&["import", s(&downloads.join("_chat.txt")), "--json"]);
    assert_eq!(
        (&r["files"][0]["chat"], &r["files"][0]["chat_name_from"]),
        (&Value::from("Book Club 📚"), &Value::from("attributed")),
        "{r}"
    );
}
