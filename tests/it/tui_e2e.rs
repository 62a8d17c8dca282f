//! End-to-end runs of the real binary in a real terminal emulator (tmux), as a user would:
//! keys go in with `send-keys`, the screen comes back with `capture-pane`, and tmux's own
//! view of the terminal (alternate screen, cursor, mouse modes) tells whether it was restored.
//!
//! Each test runs its own tmux server (`-L`, no config file) in a temp dir that is also the
//! binary's HOME, config dir and TMPDIR, waits by polling (never fixed sleeps), and kills its
//! server when done, even on failure. Without tmux the tests say so and pass (`.ci/run`
//! installs it).

use crate::support::bin::BIN;
use crate::support::tmux::{have_tmux, Tmux};
use std::process::Command;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);
const CHATS: [&str; 5] = [
    "Family Rivera",
    "Lukas",
    "Lisbon Cycling Club",
    "Coro Voces del Sur",
    "Media Demo",
];

/// The demo is up: the chat list is drawn.
fn wait_for_demo(t: &Tmux) -> String {
    t.wait("the demo's chat list", |s| {
        s.contains("Chats 5") && CHATS.iter().all(|c| s.contains(c))
    })
}

/// Whether a process is still running (not gone, not a zombie).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .unwrap_or("?");
            state != "Z" && state != "X"
        }
        Err(_) => false,
    }
}

/// The `whatscope` processes whose parent is `parent`.
fn children(parent: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            ppid == Some(parent) && stat.contains("(whatscope)")
        })
        .collect()
}

/// The whitespace-collapsed screen, for text the layout may wrap.
fn flat(screen: &str) -> String {
    screen
        .split(|c: char| c.is_whitespace() || c == '│')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The main pane's part of a screen row (right of the chat list).
fn main_part(row: &str) -> &str {
    row.split_once("││").map_or(row, |(_, r)| r)
}

/// The demo, run so that the shell reports how it ended and whether the tty came back as it
/// was (`stty -g` before and after).
const DEMO_SCRIPT: &str = r#"B=$(stty -g); "$WS" demo; C=$?; if [ "$(stty -g)" = "$B" ]; then R=TTY-RESTORED; else R=TTY-CHANGED; fi; echo "EXITED $C $R"; sleep 60"#;

#[test]
fn search_enter_enter_shows_the_hit_in_its_conversation() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    t.keys(&["/"]);
    t.text("pizza");
    let screen = t.wait_for("73 hits");
    assert!(screen.contains("73 matches for pizza"), "{screen}");
    t.keys(&["Enter"]);
    let results = t.wait("the results focused", |s| s.contains("jump to message"));
    // The first hit: `Chat YYYY-MM-DD HH:MM Sender: text`.
    let rows: Vec<&str> = results.lines().collect();
    let head = rows
        .iter()
        .position(|r| r.contains("73 matches for pizza"))
        .expect("results header");
    let hit = main_part(rows[head + 1]).trim_end_matches([' ', '│']);
    // Chat names are cut to 18 columns in the results.
    let (chat, rest) = CHATS
        .iter()
        .find_map(|c| {
            let shown = if c.chars().count() > 18 {
                format!("{}…", c.chars().take(17).collect::<String>())
            } else {
                c.to_string()
            };
            hit.strip_prefix(shown.as_str())
                .map(|rest| (*c, rest.trim_start()))
        })
        .unwrap_or_else(|| panic!("first hit in no known chat: {hit:?}"));
    let time = &rest[11..16];
    let sender = rest[17..].split(": ").next().expect("sender");
    t.keys(&["Enter"]);
    let conv = t.wait("the conversation of the hit", |s| {
        let title = s.lines().next().unwrap_or("");
        main_part(title).contains(chat) && s.contains(&format!("{time} {sender}: "))
    });
    let body: String = conv
        .lines()
        .skip(1)
        .map(main_part)
        .collect::<Vec<_>>()
        .join("\n");
    let line = body
        .lines()
        .find(|l| l.contains(&format!("{time} {sender}: ")) && l.to_lowercase().contains("pizza"))
        .unwrap_or_else(|| panic!("no line of {sender} at {time} with pizza:\n{conv}"));
    assert!(line.to_lowercase().contains("pizza"));
    // The conversation shows where it is: `n/total` of that chat.
    assert!(conv.contains('/'), "{conv}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}

#[test]
fn stats_pane_lists_the_participants() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    // Enter opens the busiest chat (Family Rivera), `s` its statistics.
    t.keys(&["Enter"]);
    t.wait("Family Rivera open", |s| {
        main_part(s.lines().next().unwrap_or("")).contains("Family Rivera")
    });
    t.keys(&["s"]);
    let names = [
        "Elena Rivera",
        "Leo Rivera",
        "Marco Rivera",
        "Abuela Carmen",
        "Lucía Rivera",
        "Tía Rosa",
    ];
    // A capture can land while the frame is still being written: wait for the whole list.
    let stats = t.wait("the statistics with every participant", |s| {
        s.contains("Messages per participant") && names.iter().all(|n| s.contains(n))
    });
    for name in names {
        assert!(stats.contains(name), "{name} missing:\n{stats}");
    }
    assert!(stats.contains("chat: Family Rivera"), "{stats}");
    // `]` then Enter searches the second participant's messages.
    t.keys(&["]", "Enter"]);
    t.wait_for("from:\"Leo Rivera\"");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}

#[test]
fn t14_resize_to_tiny_and_back_without_a_crash() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    // With a chat open, too: the conversation is paged in for the new size.
    t.keys(&["Enter"]);
    t.wait_for("/1,396");
    t.resize(20, 8);
    let small = t.wait("the too-small notice", |s| flat(s).contains("too small"));
    assert!(!small.contains("EXITED"), "{small}");
    t.resize(100, 30);
    let back = t.wait("the TUI at 100×30", |s| {
        s.contains("Chats 5")
            && s.contains("/1,396")
            && s.lines()
                .next()
                .is_some_and(|l| l.contains("Family Rivera"))
    });
    assert!(!back.contains("too small"), "{back}");
    // Many sizes in a row, then a keystroke still works.
    for (w, h) in [
        (39, 11),
        (40, 12),
        (200, 60),
        (1, 1),
        (80, 24),
        (30, 10),
        (120, 40),
    ] {
        t.resize(w, h);
    }
    t.wait("the TUI at 120×40", |s| {
        s.contains("Chats 5") && s.contains("/1,396")
    });
    t.keys(&["g"]);
    t.wait_for(" 1/1,396 ");
    assert!(alive(t.pane_pid()), "the shell is gone");
    t.keys(&["q"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}

#[test]
fn q_exits_and_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    // While the TUI runs: alternate screen, hidden cursor, mouse reporting on.
    assert_eq!(t.pane("#{alternate_on}"), "1");
    assert_eq!(t.pane("#{cursor_flag}"), "0");
    assert_eq!(t.pane("#{mouse_any_flag}"), "1");
    t.keys(&["q"]);
    let after = t.wait_for("EXITED 0");
    assert!(after.contains("EXITED 0 TTY-RESTORED"), "{after}");
    // The frame is gone: the shell's screen is back.
    assert!(!after.contains("Chats 5"), "{after}");
    assert!(!after.contains("┌"), "{after}");
    assert_eq!(
        t.pane("#{alternate_on}"),
        "0",
        "still on the alternate screen"
    );
    assert_eq!(t.pane("#{cursor_flag}"), "1", "cursor still hidden");
    assert_eq!(t.pane("#{mouse_any_flag}"), "0", "mouse reporting left on");
    assert!(children(t.pane_pid()).is_empty(), "whatscope still running");
    // The demo cleaned up its temporary archive.
    let left: Vec<_> = std::fs::read_dir(t.dir())
        .expect("temp dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("whatscope-demo"))
        .collect();
    assert!(left.is_empty(), "demo archive left behind: {left:?}");
}

#[test]
fn sigterm_exits_and_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    let kids = children(t.pane_pid());
    assert_eq!(kids.len(), 1, "one whatscope under the shell: {kids:?}");
    let pid = kids[0];
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let after = t.wait_for("EXITED");
    assert!(after.contains("TTY-RESTORED"), "{after}");
    assert_eq!(t.pane("#{alternate_on}"), "0");
    assert_eq!(t.pane("#{cursor_flag}"), "1");
    assert!(!alive(pid));
}

/// Closing the terminal (the emulator goes away: SIGHUP, then EOF on stdin) must end the
/// program. Today it keeps running, reading EOF from stdin in a tight loop (100% CPU) and
/// ignoring SIGHUP and SIGTERM, until killed with SIGKILL.
#[test]
fn closing_the_terminal_ends_the_program() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(r#"exec "$WS" demo"#);
    wait_for_demo(&t);
    let pid = t.pane_pid();
    assert!(alive(pid));
    t.kill_server();
    let start = Instant::now();
    while alive(pid) && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let survived = alive(pid);
    if survived {
        // Clean up the orphan we started before failing.
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    }
    assert!(
        !survived,
        "whatscope (pid {pid}) still running 5 s after its terminal closed"
    );
}

/// The TUI refuses to start without a terminal, with a hint, instead of drawing into a pipe.
#[test]
fn without_a_terminal_it_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(BIN)
        .args(["--data-dir"])
        .arg(dir.path().join("archive"))
        .arg("tui")
        .env("HOME", dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run whatscope");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        !out.stdout.contains(&0x1b),
        "escape sequences written to a pipe"
    );
}

/// Polls until `ok` holds and returns how long it took (at most 10 s).
fn time_until(t: &Tmux, ok: impl Fn(&str) -> bool) -> Duration {
    let start = Instant::now();
    while !ok(&t.capture()) {
        assert!(
            start.elapsed() < WAIT,
            "timed out; screen:\n{}",
            t.capture()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    start.elapsed()
}

/// Issue 5: results drawn ≤ 50 ms after the last keystroke; the loop's 60 ms debounce comes
/// first, so this allows 200 ms (best of three). Today the results take ~330 ms: the search
/// itself takes a few ms, but the event loop sleeps in `crossterm::event::poll` for up to
/// 250 ms and only looks at the worker's replies when that returns.
#[test]
fn results_appear_soon_after_typing_stops() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    let mut best = Duration::MAX;
    for q in ["pizza", "churro", "kaffee"] {
        t.keys(&["/", "C-u"]);
        t.wait("the query line cleared", |s| {
            s.lines().any(|l| l.trim_end() == " / ▏")
        });
        std::thread::sleep(Duration::from_millis(100));
        t.text(q);
        let took = time_until(&t, |s| s.contains(&format!("/ {q}")) && s.contains(" hits"));
        best = best.min(took);
        t.keys(&["Escape"]);
        // Out of the query line (an ESC followed at once by `/` would read as Alt-/).
        t.wait("the query line left", |s| !s.contains('▏'));
    }
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
    assert!(
        best < Duration::from_millis(200),
        "results drawn {best:?} after the last keystroke (best of 3)"
    );
}

/// Paging fast through a chat shows `…` for messages still loading; they should fill in as
/// soon as the worker has them (a few ms), not when the loop's 250 ms input poll times out.
#[test]
fn scrolled_pages_fill_in_without_waiting() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    t.keys(&["Enter"]);
    t.wait_for("/1,396");
    t.keys(&["g"]);
    t.wait_for(" 1/1,396 ");
    let placeholders = |s: &str| s.lines().any(|l| main_part(l).starts_with('…'));
    // The `n/1,396` counter at the bottom right of the conversation.
    let position = |s: &str| -> Option<usize> {
        let at = s.find("/1,396 ")?;
        s[..at]
            .rsplit(' ')
            .next()
            .and_then(|n| n.replace(',', "").parse().ok())
    };
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let before = position(&t.capture()).expect("position shown");
        t.keys(&["PageDown", "PageDown", "PageDown"]);
        let took = time_until(&t, |s| {
            position(s).is_some_and(|p| p > before) && !placeholders(s)
        });
        best = best.min(took);
        std::thread::sleep(Duration::from_millis(300));
    }
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
    assert!(
        best < Duration::from_millis(150),
        "a page of messages took {best:?} to appear after PgDn (best of 3)"
    );
}

/// Runs the binary with `--data-dir dir` and the test's HOME; fails on a non-zero exit.
fn whatscope_in(home: &std::path::Path, dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("run whatscope");
    assert!(
        out.status.success(),
        "whatscope {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An Android export (`dd/mm/yyyy, hh:mm - Name: text`) of `(minute, sender, text)` lines.
fn android_export(lines: &[(u32, &str, &str)]) -> String {
    lines
        .iter()
        .map(|(m, who, text)| format!("02/05/2024, 10:{m:02} - {who}: {text}\n"))
        .collect()
}

/// The boxes of a screen (chat list and main pane), without the query line and footer.
fn panes(screen: &str) -> String {
    screen
        .lines()
        .filter(|l| l.starts_with(['│', '┌', '└']))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file under `dir` whose bytes hold `needle`.
fn files_holding(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    found
}

#[test]
fn a5_open_tui_sees_forget_and_import_of_another_process() {
    if !have_tmux() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let home = work.path();
    let data = home.join("archive");
    let club = home.join("WhatsApp Chat with Book Club.txt");
    std::fs::write(
        &club,
        android_export(&[
            (1, "Maya Lopez", "hello everyone"),
            (2, "Zorblax Quint", "zeppelinmarmalade is my secret"),
            (3, "Jonas Becker", "the picnic is on saturday"),
            (4, "Maya Lopez", "bring lemonade please"),
            (5, "Zorblax Quint", "zeppelinmarmalade again"),
            (6, "Jonas Becker", "see you there"),
        ]),
    )
    .expect("write export");
    let chess = home.join("WhatsApp Chat with Chess Night.txt");
    std::fs::write(
        &chess,
        android_export(&[
            (7, "Maya Lopez", "knight to f3"),
            (8, "Jonas Becker", "bishop takes"),
        ]),
    )
    .expect("write export");
    whatscope_in(home, &data, &["import", &club.display().to_string()]);

    let t = Tmux::start(&format!(
        "\"$WS\" --data-dir '{}' tui; echo EXITED $?; sleep 60",
        data.display()
    ));
    t.wait_for("Book Club");
    // Open the chat (it opens at its newest message), select the fourth of six, and search.
    t.keys(&["Enter"]);
    t.wait_for(" 6/6 ");
    t.keys(&["k", "k"]);
    t.wait_for(" 4/6 ");
    t.keys(&["/"]);
    t.text("zeppelinmarmalade");
    t.wait_for("Results 2");
    t.keys(&["Escape"]);
    t.wait("the query line left", |s| !s.contains("Esc leave"));
    t.keys(&["2"]);
    t.wait("the conversation with the secret", |s| {
        s.contains("zeppelinmarmalade") && s.contains(" 4/6 ")
    });

    // Another terminal erases Zorblax: the open TUI drops their messages and its hits, and
    // stays on the selected message ("bring lemonade", now the third of four).
    let out = whatscope_in(
        home,
        &data,
        &["forget", "--participant", "Zorblax Quint", "--yes"],
    );
    assert!(out.contains("erased 2 messages"), "{out}");
    // The position comes with the new count, the page's rows when they are read (`…` until
    // then): wait for both.
    let screen = t.wait("the erased messages gone from the conversation", |s| {
        s.contains(" 3/4 ")
            && s.contains("bring lemonade")
            && !panes(s).contains("zeppelinmarmalade")
    });
    assert!(!screen.contains("Zorblax"), "{screen}");
    assert!(
        files_holding(&data, "zeppelinmarmalade").is_empty(),
        "the erased text is still in {:?}",
        files_holding(&data, "zeppelinmarmalade")
    );
    t.keys(&["3"]);
    let results = t.wait_for("Results 0");
    assert!(
        results.contains("zeppelinmarmalade"),
        "the query stays:\n{results}"
    );

    // Another terminal imports a new chat: it appears; the open chat and its place stay.
    whatscope_in(home, &data, &["import", &chess.display().to_string()]);
    t.wait_for("Chess Night");
    t.keys(&["2"]);
    let screen = t.wait("the conversation where it was", |s| s.contains(" 3/4 "));
    assert!(
        main_part(screen.lines().next().unwrap_or("")).contains("Book Club"),
        "{screen}"
    );
    // The TUI let go of the erased files: none is mapped any more.
    let pid = children(t.pane_pid())
        .into_iter()
        .next()
        .expect("the TUI's process");
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
    let index = data.join("index").display().to_string();
    let held: Vec<&str> = maps
        .lines()
        .filter(|l| l.contains(&index) && l.ends_with("(deleted)"))
        .collect();
    assert!(held.is_empty(), "the TUI still maps erased files: {held:?}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
}

/// Everybody who writes in the demo chats (and the words of their names that are names).
const DEMO_NAMES: [&str; 8] = [
    "Elena Rivera",
    "Leo Rivera",
    "Marco Rivera",
    "Abuela Carmen",
    "Lucía Rivera",
    "Tía Rosa",
    "Rivera",
    "Carmen",
];

#[test]
fn a8_anonymized_tui_searches_by_pseudonym_and_shows_no_name() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    t.keys(&["a"]);
    t.wait_for("names are pseudonyms");
    // Enter opens the busiest chat, `s` its statistics, `]` Enter searches the second person.
    t.keys(&["Enter"]);
    t.wait("a chat open", |s| {
        !main_part(s.lines().next().unwrap_or("")).contains("Conversation")
    });
    t.keys(&["s"]);
    t.wait("the statistics", |s| {
        s.contains("Messages per participant") && s.contains("searches from:")
    });
    t.keys(&["]", "Enter"]);
    let screen = t.wait("the results of the person", |s| {
        s.contains(" matches for from:\"") || s.contains(" match for from:\"")
    });
    let query = screen
        .split("from:\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a from: query on the screen");
    assert!(
        !DEMO_NAMES.iter().any(|n| query.contains(n)),
        "the query names a person: {query:?}\n{screen}"
    );
    // The pseudonym finds the person's messages.
    let head = screen
        .lines()
        .find(|l| l.contains("for from:\""))
        .expect("results header");
    let total: u64 = main_part(head)
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(total > 0, "no messages for {query:?}:\n{screen}");
    for name in DEMO_NAMES {
        assert!(!screen.contains(name), "{name} on the screen:\n{screen}");
    }
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}

#[test]
fn a7_anonymized_tui_statistics_show_no_word_or_domain_with_a_name() {
    if !have_tmux() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let home = work.path();
    let data = home.join("archive");
    let export = home.join("WhatsApp Chat with Familie.txt");
    std::fs::write(
        &export,
        android_export(&[
            (
                0,
                "Heinrich Vogelsang",
                "Fotos auf https://vogelsang-family.de/sommer",
            ),
            (1, "Margarethe Krüger", "Heinrichs Fahrrad steht noch da"),
            (
                2,
                "Paul Schmidt",
                "Margarethes Garten, schreib an heinrichvogelsang",
            ),
            (
                3,
                "Heinrich Vogelsang",
                "Heinrichs Fahrrad, https://vogelsang-family.de/rad",
            ),
        ]),
    )
    .expect("write export");
    whatscope_in(home, &data, &["import", &export.display().to_string()]);
    let t = Tmux::start(&format!(
        "\"$WS\" --data-dir '{}' --anonymize tui; echo EXITED $?; sleep 60",
        data.display()
    ));
    t.wait_for("[anonymized]");
    t.keys(&["s"]);
    let screen = t.wait("the statistics with their words", |s| {
        s.contains("Top words") && s.contains("fahrrad")
    });
    let lower = screen.to_lowercase();
    for part in ["heinrich", "vogelsang", "margarethe", "krüger", "schmidt"] {
        assert!(!lower.contains(part), "{part} on the screen:\n{screen}");
    }
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
}

/// The inside of the main pane (between its top and bottom borders), one string per row,
/// without the borders and trailing blanks.
fn main_rows(screen: &str) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let bottom = lines
        .iter()
        .rposition(|l| l.starts_with('└'))
        .unwrap_or(lines.len());
    lines[1.min(bottom)..bottom]
        .iter()
        .map(|l| main_part(l).trim_end_matches([' ', '│']).to_string())
        .collect()
}

/// Whether the main pane is filled down to its last row with `last` there.
fn filled_to_the_bottom_with(screen: &str, last: &str) -> bool {
    let rows = main_rows(screen);
    rows.last().is_some_and(|r| r == last) && rows.first().is_some_and(|r| !r.trim().is_empty())
}

#[test]
fn conversation_stays_filled_to_its_last_row_after_growing_and_jumping_past_the_end() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    t.keys(&["Enter"]);
    let at_end = |s: &str| s.replace(',', "").contains(" 1396/1396 ");
    t.wait("Family Rivera open at its newest message", at_end);
    t.keys(&["G"]);
    let screen = t.wait("the newest message", at_end);
    let last = main_rows(&screen)
        .last()
        .cloned()
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| panic!("the last row is empty:\n{screen}"));

    // A taller window: earlier messages move in above, the newest stays on the last row.
    t.resize(120, 60);
    // Waits for the redraw at the new size: until it comes, tmux shows the old frame.
    let tall = t.wait("the conversation filled at 120×60", |s| {
        s.lines().count() >= 60 && main_rows(s).len() == 56 && filled_to_the_bottom_with(s, &last)
    });
    let rows = main_rows(&tall);
    assert_eq!(rows.len(), 56, "{tall}");
    let empty = rows.iter().filter(|r| r.trim().is_empty()).count();
    assert!(empty <= 2, "{empty} empty rows:\n{tall}");

    // `t` to a date after the last message: the same picture, not one message on top.
    t.keys(&["g"]);
    t.wait("the first message", |s| {
        s.replace(',', "").contains(" 1/1396 ")
    });
    t.keys(&["t"]);
    t.text("2099-01-01");
    t.keys(&["Enter"]);
    let jumped = t.wait("the jump past the end", |s| {
        at_end(s) && filled_to_the_bottom_with(s, &last)
    });
    let empty = main_rows(&jumped)
        .iter()
        .filter(|r| r.trim().is_empty())
        .count();
    assert!(empty <= 2, "{empty} empty rows:\n{jumped}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}

#[test]
fn short_chat_sits_at_the_bottom_of_the_pane() {
    if !have_tmux() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let home = work.path();
    let data = home.join("archive");
    let chat = home.join("WhatsApp Chat with Tea Club.txt");
    std::fs::write(
        &chat,
        android_export(&[
            (1, "Maya Lopez", "first of three"),
            (2, "Jonas Becker", "second of three"),
            (3, "Maya Lopez", "third and newest"),
        ]),
    )
    .expect("write export");
    whatscope_in(home, &data, &["import", &chat.display().to_string()]);
    let t = Tmux::start(&format!(
        "\"$WS\" --data-dir '{}' tui; echo EXITED $?; sleep 60",
        data.display()
    ));
    t.wait_for("Tea Club");
    t.keys(&["Enter"]);
    // The position shows as soon as the chat opens; its messages a moment later.
    t.wait_for(" 3/3 ");
    let screen = t.wait_for("third and newest");
    let rows = main_rows(&screen);
    let filled: Vec<&String> = rows.iter().filter(|r| !r.trim().is_empty()).collect();
    // The day separator and three messages, on the pane's last four rows.
    assert_eq!(filled.len(), 4, "{screen}");
    let n = rows.len();
    assert!(rows[n - 4].contains("Thursday, 2 May 2024"), "{screen}");
    assert!(rows[n - 1].contains("third and newest"), "{screen}");
    assert!(rows[n - 2].contains("second of three"), "{screen}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
}

#[test]
fn jump_to_date_takes_a_year_or_a_month_and_names_a_typo() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    t.keys(&["Enter"]);
    t.wait("Family Rivera open", |s| {
        s.replace(',', "").contains(" 1396/1396 ")
    });
    // A year: its first message.
    t.keys(&["t"]);
    t.text("2024");
    t.keys(&["Enter"]);
    let screen = t.wait("the first message of 2024", |s| {
        s.contains("1 January 2024") && s.contains("Feliz año nuevo familia")
    });
    assert!(!screen.contains("not a date"), "{screen}");
    // A month: its first message.
    t.keys(&["t"]);
    t.text("2025-03");
    t.keys(&["Enter"]);
    t.wait("the first message of March 2025", |s| {
        s.contains("3 March 2025") && s.contains("Buenos días a todos")
    });
    // A letter is kept and named, not dropped.
    t.keys(&["t"]);
    t.text("2O24");
    t.wait_for("2O24▏");
    t.keys(&["Enter"]);
    t.wait_for("not a date: \"2O24\"");
    t.keys(&["q"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}

#[test]
fn statistics_follow_the_open_chat_and_never_show_another_chats_figures() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    t.keys(&["Enter"]);
    t.wait("Family Rivera open", |s| {
        main_part(s.lines().next().unwrap_or("")).contains("Family Rivera")
    });
    t.keys(&["s"]);
    t.wait("Family Rivera's statistics", |s| {
        s.contains("chat: Family Rivera") && s.contains("Elena Rivera")
    });
    // Open Lukas from the chat list, then look at the statistics again (no `s`).
    t.keys(&["1", "j", "Enter"]);
    t.wait("Lukas open", |s| {
        main_part(s.lines().next().unwrap_or("")).contains("Lukas")
    });
    t.keys(&["4"]);
    let stats = t.wait("Lukas's statistics", |s| {
        let rivera_figures = s.contains("Elena Rivera") || s.contains("Abuela Carmen");
        assert!(
            !rivera_figures || s.contains("chat: Family Rivera"),
            "Family Rivera's figures under another title:\n{s}"
        );
        s.contains("chat: Lukas") && s.contains("Mira Schneider")
    });
    assert!(!stats.contains("Elena Rivera"), "{stats}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}

/// A chat with a long message whose match is far right, and a photo.
fn long_and_media_chat(home: &std::path::Path) -> std::path::PathBuf {
    let data = home.join("archive");
    let chat = home.join("WhatsApp Chat with Tea Club.txt");
    let long = format!(
        "{} zanzibar {}",
        "we talked about the weather and the garden and the long walk home".repeat(2),
        "and then nothing more".repeat(3)
    );
    std::fs::write(
        &chat,
        android_export(&[
            (1, "Maya Lopez", &long),
            (2, "Jonas Becker", "IMG-20240502-WA0007.jpg (file attached)"),
            (3, "Maya Lopez", "nice photo"),
        ]),
    )
    .expect("write export");
    whatscope_in(home, &data, &["import", &chat.display().to_string()]);
    data
}

#[test]
fn result_rows_centre_on_a_match_far_right() {
    if !have_tmux() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let data = long_and_media_chat(work.path());
    let t = Tmux::start(&format!(
        "\"$WS\" --data-dir '{}' tui; echo EXITED $?; sleep 60",
        data.display()
    ));
    t.wait_for("Tea Club");
    t.keys(&["/"]);
    t.text("zanzibar");
    let screen = t.wait_for("1 match for zanzibar");
    let row = screen
        .lines()
        .map(main_part)
        .find(|l| l.contains("Maya Lopez: "))
        .unwrap_or_else(|| panic!("no hit row:\n{screen}"));
    assert!(row.contains("zanzibar"), "the match is cut off: {row:?}");
    // Cut at both ends, and the cuts say so.
    let text = row.split("Maya Lopez: ").nth(1).unwrap_or("");
    let text = text.trim_end_matches([' ', '│']);
    assert!(text.starts_with('…') && text.ends_with('…'), "{row:?}");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0");
}

#[test]
fn results_show_the_attachment_of_a_media_message() {
    if !have_tmux() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let data = long_and_media_chat(work.path());
    let t = Tmux::start(&format!(
        "\"$WS\" --data-dir '{}' tui; echo EXITED $?; sleep 60",
        data.display()
    ));
    t.wait_for("Tea Club");
    t.keys(&["/"]);
    t.text("kind:media");
    let screen = t.wait_for("1 match for kind:media");
    let row = screen
        .lines()
        .map(main_part)
        .find(|l| l.contains("Jonas Becker: "))
        .unwrap_or_else(|| panic!("no hit row:\n{screen}"));
    assert!(
        row.contains("Jonas Becker: [IMG-20240502-WA0007.jpg]"),
        "{row:?}"
    );
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0");
}

/// The numbers on a screen row, read with their thousands separators.
fn numbers(row: &str) -> Vec<u64> {
    row.split(|c: char| !(c.is_ascii_digit() || c == ','))
        .map(|n| n.trim_matches(','))
        .filter(|n| !n.is_empty())
        .filter_map(|n| n.replace(',', "").parse().ok())
        .collect()
}

#[test]
fn demo_footer_counts_messages_as_the_chat_list_does() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    let screen = t.wait("the demo with its greeting", |s| {
        s.contains("demo: ") && CHATS.iter().all(|c| s.contains(c))
    });
    let listed: u64 = CHATS
        .iter()
        .map(|chat| {
            let row = screen
                .lines()
                .find(|l| l.contains(chat))
                .unwrap_or_else(|| panic!("{chat} not listed:\n{screen}"));
            let left = row.split("││").next().unwrap_or(row);
            *numbers(left).last().expect("a count")
        })
        .sum();
    let footer = screen
        .lines()
        .find(|l| l.contains("demo: "))
        .expect("footer");
    let said = numbers(footer.split("messages").next().unwrap_or(""));
    assert_eq!(said, vec![listed], "{footer}");
    assert!(footer.contains("system lines"), "{footer}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}

#[test]
fn large_counts_have_thousands_separators() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    let list = wait_for_demo(&t);
    let rivera = list
        .lines()
        .find(|l| l.contains("Family Rivera"))
        .expect("listed");
    assert!(rivera.contains("1,382"), "{rivera}");
    t.keys(&["Enter"]);
    t.wait_for(" 1,396/1,396 ");
    t.keys(&["s"]);
    t.wait_for("1,382 messages");
    t.keys(&["q"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}

#[test]
fn anonymized_statistics_of_a_one_to_one_chat_say_why_people_are_hidden() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    // Lukas is the second chat: a 1:1 chat.
    t.keys(&["j", "Enter"]);
    t.wait("Lukas open", |s| {
        main_part(s.lines().next().unwrap_or("")).contains("Lukas")
    });
    t.keys(&["s"]);
    t.wait_for("Mira Schneider");
    t.keys(&["a"]);
    let stats = t.wait("the anonymized statistics", |s| {
        flat(s)
            .contains("per-person figures are hidden in the anonymized view: fewer than 3 people")
    });
    assert!(!stats.contains("Mira Schneider"), "{stats}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}

/// The person whose statistics the main pane shows (its first row: `person: NAME`).
fn person_title(screen: &str) -> Option<String> {
    let row = screen.lines().nth(1)?;
    let title = main_part(row).trim_start_matches('│').trim();
    let name = title.strip_prefix("person: ")?;
    Some(name.trim_end_matches('│').trim().to_string())
}

/// The partner marked `▸` in a person's statistics.
fn selected_partner(screen: &str) -> Option<String> {
    let row = screen.lines().find(|l| main_part(l).contains("▸ "))?;
    let after = main_part(row).split("▸ ").nth(1)?;
    Some(after.split(" →").next()?.trim().to_string())
}

/// Presses `]` until `name` is the selected partner (each press waits for the mark to move).
fn select_partner(t: &Tmux, name: &str) {
    for _ in 0..30 {
        let screen = t.capture();
        let current = selected_partner(&screen);
        if current.as_deref() == Some(name) {
            return;
        }
        t.keys(&["]"]);
        t.wait("the partner mark to move", |s| {
            selected_partner(s).is_some_and(|p| Some(p) != current)
        });
    }
    panic!("{name} never selected:\n{}", t.capture());
}

/// Waits until the statistics shown are `name`'s, with their partners listed.
fn wait_for_person(t: &Tmux, name: &str) -> String {
    t.wait(&format!("the statistics of {name}"), |s| {
        person_title(s).as_deref() == Some(name) && selected_partner(s).is_some()
    })
}

#[test]
fn person_to_partner_to_partner_and_back_along_the_path() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start(DEMO_SCRIPT);
    wait_for_demo(&t);
    t.keys(&["p"]);
    let list = t.wait("the people list", |s| {
        s.contains(" People ") && s.contains("Elena Rivera")
    });
    // Elena's row in the list, read off the screen: `j` that many times selects her.
    let row = list
        .lines()
        .skip(1)
        .position(|l| {
            l.split("││")
                .next()
                .is_some_and(|left| left.contains("Elena Rivera"))
        })
        .expect("Elena Rivera listed");
    for _ in 0..row {
        t.keys(&["j"]);
    }
    t.keys(&["Enter"]);
    let elena = wait_for_person(&t, "Elena Rivera");
    assert!(elena.contains("Partners"), "{elena}");
    assert!(
        elena.contains("Family Rivera"),
        "her chat is listed:\n{elena}"
    );

    select_partner(&t, "Marco Rivera");
    t.keys(&["Enter"]);
    wait_for_person(&t, "Marco Rivera");
    select_partner(&t, "Leo Rivera");
    t.keys(&["Enter"]);
    wait_for_person(&t, "Leo Rivera");

    t.keys(&["Escape"]);
    let marco = wait_for_person(&t, "Marco Rivera");
    assert_eq!(
        selected_partner(&marco).as_deref(),
        Some("Leo Rivera"),
        "{marco}"
    );
    t.keys(&["Escape"]);
    let elena = wait_for_person(&t, "Elena Rivera");
    assert_eq!(
        selected_partner(&elena).as_deref(),
        Some("Marco Rivera"),
        "{elena}"
    );
    // `f` searches her messages.
    t.keys(&["f"]);
    t.wait_for("from:\"Elena Rivera\"");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0 TTY-RESTORED");
}
