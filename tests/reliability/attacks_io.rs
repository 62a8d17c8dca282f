//! Attacks of issue 13 on what whatscope reads and writes (docs/reliability.md, section A):
//! CSV on a terminal and in a spreadsheet (A1), a data dir that is not an archive (A2), a
//! lost secret (A3), folders with FIFOs, unreadable folders or no export (A6), invisible
//! leftovers and endless inputs (A10); and issue 12's chats that must never merge.

use crate::privacy_common::*;
use std::fs;
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
