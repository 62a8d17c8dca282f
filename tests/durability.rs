//! Index durability through the real binary (docs/reliability.md, D1 and D4): an import
//! killed with SIGKILL leaves the archive exactly as last committed, and two imports at once
//! never corrupt it: the second waits or fails with a clear "busy" error.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};
use whatscope_synth::{android_en_gb, generate_export, LineEnding};

const BIN: &str = env!("CARGO_BIN_EXE_whatscope");

/// The tests here time their kills against import durations: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn s(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

fn cmd(data: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("WHATSCOPE_DATA_DIR")
        .env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(data);
    c
}

fn describe(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn run_ok(data: &Path, args: &[&str]) -> Output {
    let out = cmd(data).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "whatscope {args:?} failed: {}",
        describe(&out)
    );
    out
}

fn json(data: &Path, args: &[&str]) -> Value {
    let out = run_ok(data, args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("whatscope {args:?}: not JSON ({e}): {}", describe(&out)))
}

/// `chats --json`: the archive reopens and lists its chats.
fn chats(data: &Path) -> Vec<Value> {
    json(data, &["chats", "--json"])
        .as_array()
        .expect("chats --json is an array")
        .clone()
}

/// `chats` with the entry of `chat` removed.
fn without(chats: &[Value], chat: &str) -> Vec<Value> {
    chats
        .iter()
        .filter(|c| c["chat"] != chat)
        .cloned()
        .collect()
}

fn entry<'a>(chats: &'a [Value], chat: &str) -> Option<&'a Value> {
    chats.iter().find(|c| c["chat"] == chat)
}

/// messages + system of a chat summary.
fn size(c: &Value) -> u64 {
    c["messages"].as_u64().unwrap() + c["system"].as_u64().unwrap()
}

/// A synthetic Android export of `n` messages named `WhatsApp Chat with {chat}.txt`.
fn write_export(dir: &Path, chat: &str, seed: u64, n: usize) -> PathBuf {
    let path = dir.join(format!("WhatsApp Chat with {chat}.txt"));
    let text = generate_export(seed, n, &android_en_gb(), LineEnding::Lf);
    fs::write(&path, text).unwrap();
    path
}

fn write_small(dir: &Path) -> PathBuf {
    let path = dir.join("WhatsApp Chat with Hiking Crew.txt");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/01_android_en_gb_24h_group.txt"),
        &path,
    )
    .unwrap();
    path
}

fn import_json(data: &Path, path: &Path) -> Value {
    json(data, &["import", s(path), "--json"])
}

fn spawn_import(data: &Path, path: &Path) -> Child {
    cmd(data)
        .args(["import", s(path), "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// D1

/// Big enough that an import runs well past the last kill (about 3 s here in release, on
/// 2 cores); the commit comes at its very end.
const BIG: usize = 200_000;
const KILL_AFTER_MS: [u64; 3] = [50, 300, 800];

#[test]
fn d1_sigkill_during_import_leaves_archive_as_committed() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).unwrap();
    let small = write_small(&inputs);
    let big = write_export(&inputs, "Big Group", 42, BIG);

    let mut reference: Option<Value> = None;
    let mut killed_before_commit = 0;
    for (round, delay) in KILL_AFTER_MS.into_iter().enumerate() {
        let data = tmp.path().join(format!("data{round}"));
        let r = import_json(&data, &small);
        assert_eq!(r["added"], 24, "{r}");
        let committed = chats(&data);
        assert_eq!(committed.len(), 1);

        let started = Instant::now();
        let mut child = cmd(&data)
            .args(["import", s(&big)])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        thread::sleep(Duration::from_millis(delay));
        let exited_first = child.try_wait().unwrap();
        child.kill().unwrap_or_else(|e| {
            assert!(exited_first.is_some(), "kill failed: {e}");
        });
        let status = child.wait().unwrap();
        let elapsed = started.elapsed();
        let ctx = format!(
            "round {round}: killed after {delay} ms ({elapsed:?}, exited by itself: {exited_first:?}, status {status:?})"
        );

        // The archive reopens; nothing of the killed import is visible, unless the import
        // had already committed (then all of it is): never a part.
        let after = chats(&data);
        let big_now = entry(&after, "Big Group");
        eprintln!("{ctx}: big chat visible: {}", big_now.is_some());
        match big_now {
            None => {
                assert_eq!(after, committed, "{ctx}");
                killed_before_commit += 1;
            }
            Some(b) => {
                assert_eq!(
                    size(b),
                    BIG as u64,
                    "{ctx}: a partial import is visible: {b}"
                );
                assert_eq!(without(&after, "Big Group"), committed, "{ctx}");
            }
        }
        let hits = json(
            &data,
            &["search", "chat:\"Big Group\"", "--json", "--limit", "1"],
        );
        let visible = big_now.map_or(0, size);
        assert_eq!(hits["total"].as_u64(), Some(visible), "{ctx}: {hits}");
        let hits = json(&data, &["search", "trip", "--json"]);
        assert_eq!(
            hits["total"], 1,
            "{ctx}: the committed state still searches"
        );

        // A new writer can be had at once (the dead process's lock is gone), and the import
        // completes, adding exactly what was not committed.
        let r = import_json(&data, &big);
        let expect_added = if big_now.is_some() { 0 } else { BIG };
        assert_eq!(r["added"].as_u64(), Some(expect_added as u64), "{ctx}: {r}");
        assert_eq!(
            r["duplicates"].as_u64(),
            Some((BIG - expect_added) as u64),
            "{ctx}: {r}"
        );
        let done = chats(&data);
        assert_eq!(without(&done, "Big Group"), committed, "{ctx}");
        let big_summary = entry(&done, "Big Group")
            .unwrap_or_else(|| panic!("{ctx}: no Big Group after re-import: {done:?}"))
            .clone();
        assert_eq!(size(&big_summary), BIG as u64, "{ctx}");
        match &reference {
            None => reference = Some(big_summary),
            Some(r) => assert_eq!(&big_summary, r, "{ctx}: same archive every round"),
        }
        // Idempotent after the crash too.
        let r = import_json(&data, &big);
        assert_eq!(r["added"], 0, "{ctx}: {r}");
        assert_eq!(chats(&data), done, "{ctx}");
    }
    assert!(
        killed_before_commit >= 1,
        "no kill landed before the commit: the export is too small for this machine"
    );
}

// ---------------------------------------------------------------------------------------------
// D4

#[derive(Debug, PartialEq)]
enum Outcome {
    Imported,
    Busy,
}

/// Succeeded, or failed with exit 1 and a one-line "busy" error; anything else fails the test.
fn outcome(out: &Output, what: &str) -> Outcome {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{what} panicked: {}",
        describe(out)
    );
    match out.status.code() {
        Some(0) => Outcome::Imported,
        Some(1)
            if err
                .lines()
                .any(|l| l.starts_with("error:") && l.contains("busy")) =>
        {
            Outcome::Busy
        }
        _ => panic!(
            "{what}: expected success or exit 1 with a \"busy\" error, got {}",
            describe(out)
        ),
    }
}

/// Starts imports of `paths` into `data` together and returns how each ended; with
/// `read_during`, the archive (which must exist) is also read while they run.
fn race(data: &Path, paths: &[&Path], read_during: bool) -> Vec<Outcome> {
    let children: Vec<Child> = paths.iter().map(|p| spawn_import(data, p)).collect();
    if read_during {
        // Readers never take the writer lock.
        let during = cmd(data).args(["chats", "--json"]).output().unwrap();
        assert!(
            during.status.success(),
            "chats during imports: {}",
            describe(&during)
        );
    }
    children
        .into_iter()
        .zip(paths)
        .map(|(c, p)| {
            let out = c.wait_with_output().unwrap();
            outcome(&out, &format!("import {}", p.display()))
        })
        .collect()
}

const CONCURRENT: usize = 60_000;

#[test]
fn d4_concurrent_imports_fail_clearly() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).unwrap();
    let small = write_small(&inputs);
    let alpha = write_export(&inputs, "Alpha", 11, CONCURRENT);
    let beta = write_export(&inputs, "Beta", 12, CONCURRENT);

    // Two different exports at once into an existing archive.
    let data = tmp.path().join("data");
    import_json(&data, &small);
    let committed = chats(&data);
    let outcomes = race(&data, &[&alpha, &beta], true);
    eprintln!("two exports at once: {outcomes:?}");
    assert!(
        outcomes.contains(&Outcome::Imported),
        "one import succeeds: {outcomes:?}"
    );
    let after = chats(&data);
    assert_eq!(
        without(&without(&after, "Alpha"), "Beta"),
        committed,
        "{outcomes:?}"
    );
    for (name, o) in ["Alpha", "Beta"].iter().zip(&outcomes) {
        match o {
            Outcome::Imported => {
                let c = entry(&after, name).unwrap_or_else(|| panic!("{name} missing: {after:?}"));
                assert_eq!(size(c), CONCURRENT as u64, "{name}: {c}");
            }
            Outcome::Busy => assert!(
                entry(&after, name).is_none(),
                "{name} failed yet is visible"
            ),
        }
    }
    // The one that was turned away goes in afterwards; the archive holds the union.
    for (path, o) in [&alpha, &beta].iter().zip(&outcomes) {
        let r = import_json(&data, path);
        let want = if *o == Outcome::Busy { CONCURRENT } else { 0 };
        assert_eq!(r["added"].as_u64(), Some(want as u64), "{r}");
    }
    let union = chats(&data);
    assert_eq!(union.len(), 3, "{union:?}");
    assert_eq!(without(&without(&union, "Alpha"), "Beta"), committed);
    for name in ["Alpha", "Beta"] {
        assert_eq!(size(entry(&union, name).unwrap()), CONCURRENT as u64);
    }

    // The same export twice at once: never counted twice.
    let data2 = tmp.path().join("data2");
    import_json(&data2, &small);
    let outcomes = race(&data2, &[&alpha, &alpha], true);
    eprintln!("one export twice at once: {outcomes:?}");
    assert!(outcomes.contains(&Outcome::Imported), "{outcomes:?}");
    let after = chats(&data2);
    assert_eq!(size(entry(&after, "Alpha").unwrap()), CONCURRENT as u64);
    assert_eq!(
        entry(&after, "Alpha"),
        entry(&union, "Alpha"),
        "the same chat as imported alone"
    );
    let r = import_json(&data2, &alpha);
    assert_eq!(r["added"], 0, "{r}");
}

/// Two first imports at once into a data dir that holds no archive yet: creating the archive
/// is part of the race, and must end the same way (success, or "busy").
#[test]
fn d4_concurrent_first_imports_into_a_new_data_dir_fail_clearly() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).unwrap();
    let small = write_small(&inputs);
    let other = write_export(&inputs, "Other", 5, 500);
    for round in 0..8 {
        let data = tmp.path().join(format!("data{round}"));
        let outcomes = race(&data, &[&small, &other], false);
        assert!(
            outcomes.contains(&Outcome::Imported),
            "round {round}: {outcomes:?}"
        );
        for (path, o) in [&small, &other].iter().zip(&outcomes) {
            if *o == Outcome::Busy {
                import_json(&data, path);
            }
        }
        let all = chats(&data);
        assert_eq!(all.len(), 2, "round {round}: {all:?}");
        assert_eq!(size(entry(&all, "Hiking Crew").unwrap()), 24);
        assert_eq!(size(entry(&all, "Other").unwrap()), 500);
    }
}
