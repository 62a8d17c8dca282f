//! Catalog D (index durability, docs/reliability.md) through the real binary: crashes at
//! labelled points and at random times, a full disk, leftover locks and files, damaged,
//! foreign and unwritable archives, and erasures interrupted at every stage.
//!
//! Crashes use the hidden test hook `WHATSCOPE_CRASH_AT=<label>` (`src/faults.rs`: the
//! process SIGKILLs itself there) or a real SIGKILL from here. After each, the archive is
//! reopened through the binary and compared with a clean run's: `chats --json`,
//! `stats --json`, every message (`export`), and a search. D1 is checked twice: a few kills at
//! fixed times and seeded rounds of random ones. D4: two imports at once never corrupt the
//! archive; the second waits or fails with a clear "busy" error.

#![cfg(unix)]

use crate::support::bin::{describe, s, BIN};
use crate::support::files::copy_dir;
use crate::support::fixtures::fixture_path;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};
use whatscope_synth::{android_en_gb, generate_export, LineEnding};

// ---------------------------------------------------------------------------------------------
// Running the binary

fn cmd(data: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("WHATSCOPE_DATA_DIR")
        .env_remove("WHATSCOPE_CRASH_AT")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .arg("--data-dir")
        .arg(data);
    c
}

fn run(data: &Path, args: &[&str]) -> Output {
    cmd(data).args(args).output().expect("whatscope runs")
}

fn run_ok(data: &Path, args: &[&str]) -> Output {
    let out = run(data, args);
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

/// Runs `args` with the crash hook set to `label`, and checks the hook fired: the process
/// died of SIGKILL right after saying where.
fn crash(data: &Path, label: &str, args: &[&str]) -> Output {
    let out = cmd(data)
        .env("WHATSCOPE_CRASH_AT", label)
        .args(args)
        .output()
        .expect("whatscope runs");
    assert_eq!(
        out.status.signal(),
        Some(libc::SIGKILL),
        "{args:?} did not crash at {label}: {}",
        describe(&out)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("test crash at {label}")),
        "{args:?}: killed, but not by the hook at {label}: {}",
        describe(&out)
    );
    out
}

/// A user-facing failure: exit 1, exactly one `error: ...` line that says `needle`, a
/// `hint:` line, and no panic or backtrace.
fn assert_one_error(out: &Output, needle: &str, ctx: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{ctx}: {}", describe(out));
    assert!(
        !err.contains("panicked") && !err.contains("stack backtrace"),
        "{ctx}: panicked: {}",
        describe(out)
    );
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{ctx}: one error line: {}", describe(out));
    assert!(
        errors[0].contains(needle),
        "{ctx}: the error should say {needle:?}: {}",
        describe(out)
    );
    assert!(
        err.lines().any(|l| l.starts_with("hint: ")),
        "{ctx}: a hint: {}",
        describe(out)
    );
}

// ---------------------------------------------------------------------------------------------
// Inputs and what the archive holds

/// A synthetic Android export of `n` messages named `WhatsApp Chat with {chat}.txt`; with
/// `canary`, a participant (`CANARY_PERSON`) who alone writes `CANARY_WORD` is added.
fn write_export(dir: &Path, chat: &str, seed: u64, n: usize, canary: bool) -> PathBuf {
    let path = dir.join(format!("WhatsApp Chat with {chat}.txt"));
    let mut text = generate_export(seed, n, &android_en_gb(), LineEnding::Lf);
    if canary {
        for day in 1..=9 {
            text.push_str(&format!(
                "0{day}/01/2031, 10:0{day} - {CANARY_PERSON}: my {CANARY_WORD} secret number {day}\n"
            ));
        }
    }
    fs::write(&path, text).expect("write export");
    path
}

const CANARY_PERSON: &str = "Zelda Quistorp";
const CANARY_WORD: &str = "zqxvelociraptorcanary";

fn write_small(dir: &Path) -> PathBuf {
    let path = dir.join("WhatsApp Chat with Hiking Crew.txt");
    fs::copy(fixture_path("01_android_en_gb_24h_group.txt"), &path).expect("copy fixture");
    path
}

/// Everything a user can see of the archive, in a form that does not depend on how the
/// index happens to be split into segments.
#[derive(Debug, PartialEq)]
struct State {
    chats: Value,
    stats: Value,
    /// Every message, as `export` writes it, sorted.
    messages: BTreeSet<String>,
    /// Hits of a word search, sorted.
    trip: BTreeSet<String>,
}

impl State {
    fn read(data: &Path) -> State {
        let export = run_ok(data, &["export"]);
        let hits = json(data, &["search", "trip", "--json", "--limit", "100000"]);
        State {
            chats: json(data, &["chats", "--json"]),
            stats: json(data, &["stats", "--json"]),
            messages: String::from_utf8_lossy(&export.stdout)
                .lines()
                .map(str::to_string)
                .collect(),
            trip: hits["hits"]
                .as_array()
                .expect("hits")
                .iter()
                .map(|h| h["id"].to_string())
                .collect(),
        }
    }

    fn count(&self) -> usize {
        self.messages.len()
    }
}

/// Files in the index folder that no commit refers to (segment files of no live segment)
/// and tantivy's `.tmp*` leftovers.
fn orphans(data: &Path) -> Vec<String> {
    let index = data.join("index");
    let meta: Value = serde_json::from_slice(&fs::read(index.join("meta.json")).expect("meta"))
        .expect("tantivy meta.json is JSON");
    let live: BTreeSet<String> = meta["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .map(|seg| {
            seg["segment_id"]
                .as_str()
                .expect("segment id")
                .replace('-', "")
        })
        .collect();
    let mut out = Vec::new();
    for entry in fs::read_dir(&index).expect("index dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let stem = name.split('.').next().unwrap_or("");
        let segment_file = stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit());
        if (segment_file && !live.contains(stem)) || name.starts_with(".tmp") {
            out.push(name);
        }
    }
    out.sort();
    out
}

/// Files under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_containing(&path, needle));
        } else if fs::read(&path)
            .expect("read")
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
        {
            out.push(path);
        }
    }
    out
}

/// A tiny seeded generator (splitmix64): the rounds print their seed, and a seed replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// `WHATSCOPE_CRASH_SEED` replays a run; otherwise a new seed each run.
fn seed() -> u64 {
    std::env::var("WHATSCOPE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        })
}

/// `WHATSCOPE_CRASH_ROUNDS` (the catalog asks for 30 in a dedicated run); 3 by default so
/// the suite stays quick.
fn rounds() -> usize {
    std::env::var("WHATSCOPE_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
}

/// Runs `round` with the seed in the panic message of any failure in it.
fn with_seed(seed: u64, round: usize, f: impl FnOnce()) {
    if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        eprintln!("FAILED in round {round}; replay with WHATSCOPE_CRASH_SEED={seed}");
        std::panic::resume_unwind(panic);
    }
}

// ---------------------------------------------------------------------------------------------
// D1: seeded rounds of SIGKILL during an import

const ROUND_EXPORT: usize = 60_000;

#[test]
fn d1_seeded_sigkill_rounds_leave_archive_as_committed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).expect("mkdir");
    let small = write_small(&inputs);
    let big = write_export(&inputs, "Round Group", 77, ROUND_EXPORT, false);

    // The committed state every round starts from, and the clean result to converge to.
    let base = tmp.path().join("base");
    run_ok(&base, &["import", s(&small)]);
    let committed = State::read(&base);
    let clean = tmp.path().join("clean");
    copy_dir(&base, &clean);
    let started = Instant::now();
    run_ok(&clean, &["import", s(&big)]);
    let import_ms = started.elapsed().as_millis() as u64;
    let full = State::read(&clean);
    assert_eq!(full.count(), committed.count() + ROUND_EXPORT);

    let seed = seed();
    let rounds = rounds();
    eprintln!("d1: {rounds} rounds, seed {seed}, a clean import takes {import_ms} ms");
    let mut rng = Rng(seed);
    let (mut before, mut after) = (0, 0);
    for round in 0..rounds {
        // Kill anywhere from start-up to a little past the end of a clean import.
        let delay = rng.below(import_ms + import_ms / 4);
        with_seed(seed, round, || {
            let data = tmp.path().join(format!("round{round}"));
            copy_dir(&base, &data);
            let mut child = cmd(&data)
                .args(["import", s(&big)])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn");
            thread::sleep(Duration::from_millis(delay));
            let _ = child.kill();
            let status = child.wait().expect("wait");
            let ctx = format!("round {round} (seed {seed}): killed after {delay} ms, {status:?}");

            // Exactly the last commit, or the next one whole: never a part of it.
            let now = State::read(&data);
            if now == committed {
                before += 1;
            } else {
                assert_eq!(now, full, "{ctx}: neither the old commit nor the new one");
                after += 1;
            }
            // The writer is free at once, and re-importing adds exactly what is missing.
            let r = json(&data, &["import", s(&big), "--json"]);
            let missing = full.count() - now.count();
            assert_eq!(r["added"].as_u64(), Some(missing as u64), "{ctx}: {r}");
            assert_eq!(
                State::read(&data),
                full,
                "{ctx}: converges to a clean import"
            );
            let again = json(&data, &["import", s(&big), "--json"]);
            assert_eq!(again["added"], 0, "{ctx}: no duplicates: {again}");
            assert_eq!(orphans(&data), Vec::<String>::new(), "{ctx}: leftovers");
            let _ = fs::remove_dir_all(&data);
        });
    }
    eprintln!("d1: {before} kills before the commit landed, {after} after");
}

// ---------------------------------------------------------------------------------------------
// D2: crash at each labelled point of an import, then run it again

const MEDIUM: usize = 20_000;

#[test]
fn d2_crash_at_each_import_point_then_reimport_converges() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).expect("mkdir");
    let small = write_small(&inputs);
    let medium = write_export(&inputs, "Big Group", 42, MEDIUM, false);

    let base = tmp.path().join("base");
    run_ok(&base, &["import", s(&small)]);
    let committed = State::read(&base);
    let clean = tmp.path().join("clean");
    copy_dir(&base, &clean);
    run_ok(&clean, &["import", s(&medium)]);
    let full = State::read(&clean);
    assert_eq!(full.count(), committed.count() + MEDIUM);

    // (label, whether the import is committed when the process dies there)
    let points = [
        ("after-parse", false),
        ("before-commit", false),
        ("during-commit", false),
        ("after-commit", true),
    ];
    for (label, landed) in points {
        let data = tmp.path().join(label);
        copy_dir(&base, &data);
        crash(&data, label, &["import", s(&medium)]);
        let now = State::read(&data);
        let expected = if landed { &full } else { &committed };
        assert_eq!(&now, expected, "{label}: right after the crash");

        let r = json(&data, &["import", s(&medium), "--json"]);
        let want = if landed { 0 } else { MEDIUM as u64 };
        assert_eq!(r["added"].as_u64(), Some(want), "{label}: {r}");
        assert_eq!(State::read(&data), full, "{label}: same as a clean import");
        assert_eq!(orphans(&data), Vec::<String>::new(), "{label}: leftovers");
    }

    // A first import killed before its commit: the data dir holds an empty archive, and
    // the next import fills it.
    let fresh = tmp.path().join("fresh");
    crash(&fresh, "before-commit", &["import", s(&small)]);
    assert_eq!(
        State::read(&fresh).count(),
        0,
        "nothing of the killed first import"
    );
    run_ok(&fresh, &["import", s(&small)]);
    assert_eq!(State::read(&fresh), committed);
}

// ---------------------------------------------------------------------------------------------
// D3: the disk fills up during an import

const D3_INNER: &str = "WHATSCOPE_D3_INNER";
const D3_TEST: &str =
    "reliability::durability::d3_disk_full_during_import_saves_nothing_and_frees_the_space";

/// Runs in a private mount namespace (`unshare -rm`: a user namespace makes it work without
/// root) where a 1 MiB tmpfs is mounted over the data dir; the test binary runs itself there.
#[test]
fn d3_disk_full_during_import_saves_nothing_and_frees_the_space() {
    if std::env::var_os(D3_INNER).is_some() {
        return d3_inside_namespace();
    }
    let exe = std::env::current_exe().expect("test binary");
    let out = match Command::new("unshare")
        .args(["-rm", "--"])
        .arg(&exe)
        .args(["--exact", D3_TEST, "--nocapture", "--test-threads", "1"])
        .env(D3_INNER, "1")
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            eprintln!("skipped: d3 needs `unshare` (util-linux) to mount a small tmpfs: {e}");
            return;
        }
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !text.contains("running 1 test") {
        // unshare itself failed: user namespaces are off here (or seccomp forbids them).
        eprintln!(
            "skipped: d3 cannot make a private mount namespace here: {}",
            text.trim()
        );
        return;
    }
    if let Some(line) = text.lines().find(|l| l.starts_with("skipped:")) {
        eprintln!("{line}");
        assert!(out.status.success(), "{text}");
        return;
    }
    assert!(
        out.status.success() && text.contains("D3 DONE"),
        "the disk-full run failed:\n{text}"
    );
    for line in text.lines().filter(|l| l.starts_with("d3:")) {
        eprintln!("{line}");
    }
}

fn d3_inside_namespace() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).expect("mkdir");
    let small = write_small(&inputs);
    // About 2 MiB of index: does not fit in 1 MiB, the first small import does.
    let medium = write_export(&inputs, "Big Group", 42, MEDIUM, false);
    let mnt = tmp.path().join("mnt");
    fs::create_dir_all(&mnt).expect("mkdir");
    let mount = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&mnt)
        .output();
    match mount {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            println!(
                "skipped: d3 cannot mount a tmpfs: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            return;
        }
        Err(e) => {
            println!("skipped: d3 cannot run mount: {e}");
            return;
        }
    }
    let data = mnt.join("data");
    run_ok(&data, &["import", s(&small)]);
    let before = State::read(&data);
    let used_before = used_bytes(&mnt);

    let out = run(&data, &["import", s(&medium)]);
    assert_one_error(&out, "the disk is full", "import on a full disk");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nothing from this import was saved"),
        "{}",
        describe(&out)
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("hint:") && l.contains("free")),
        "{}",
        describe(&out)
    );
    // Still the previous commit; the partial segment files are gone again.
    assert_eq!(State::read(&data), before, "the archive as last committed");
    assert_eq!(
        orphans(&data),
        Vec::<String>::new(),
        "partial segments left"
    );
    let used_after = used_bytes(&mnt);
    println!("\nd3: {used_before} bytes used before the import, {used_after} after it failed");
    assert!(
        used_after <= used_before + 64 * 1024,
        "the failed import keeps {} bytes",
        used_after - used_before
    );

    // Room again: the same import goes through completely.
    let grow = Command::new("mount")
        .args(["-o", "remount,size=64m"])
        .arg(&mnt)
        .status()
        .expect("remount");
    assert!(grow.success());
    let r = json(&data, &["import", s(&medium), "--json"]);
    assert_eq!(r["added"].as_u64(), Some(MEDIUM as u64), "{r}");
    assert_eq!(State::read(&data).count(), before.count() + MEDIUM);
    // The namespace unmounts it anyway when this process ends.
    let _ = Command::new("umount").arg(&mnt).status();
    println!("D3 DONE");
}

/// Bytes used on the filesystem holding `dir`.
fn used_bytes(dir: &Path) -> u64 {
    let c = std::ffi::CString::new(s(dir)).expect("path");
    // SAFETY: statvfs fills the zeroed struct we own; the path is a valid C string.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: as above: `c` is a valid C string and `st` a struct we own.
    let r = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
    assert_eq!(r, 0, "statvfs {}", dir.display());
    (st.f_blocks - st.f_bfree) as u64 * st.f_frsize as u64
}

/// The disk-full mapping, without a disk: an `ENOSPC` or `StorageFull` anywhere in an error's
/// chain (tantivy's own error types included) gives the "disk is full" message.
#[test]
fn d3_disk_full_is_recognised_anywhere_in_the_error_chain() {
    use std::io::{Error, ErrorKind};
    use std::sync::Arc;
    use tantivy::directory::error::OpenWriteError;
    use tantivy::TantivyError;
    use whatscope::index::archive::{is_disk_full, is_permission_denied};

    let enospc = || Error::from_raw_os_error(libc::ENOSPC);
    let full: Vec<Box<dyn std::error::Error + Send + Sync>> = vec![
        Box::new(enospc()),
        Box::new(Error::new(ErrorKind::StorageFull, "full")),
        Box::new(Error::other(enospc())),
        Box::new(TantivyError::IoError(Arc::new(enospc()))),
        Box::new(TantivyError::OpenWriteError(OpenWriteError::wrap_io_error(
            enospc(),
            PathBuf::from("x.store"),
        ))),
        // An indexing thread's error reaches the commit as text only.
        Box::new(TantivyError::ErrorInThread(format!("{:?}", enospc()))),
        Box::new(TantivyError::ErrorInThread(enospc().to_string())),
    ];
    for e in &full {
        assert!(is_disk_full(e.as_ref()), "not seen as full: {e:?}");
    }
    let wrapped = anyhow::Error::new(TantivyError::IoError(Arc::new(enospc())))
        .context("while saving")
        .context("import");
    assert!(wrapped.chain().any(is_disk_full), "{wrapped:#}");

    let not_full: Vec<Box<dyn std::error::Error + Send + Sync>> = vec![
        Box::new(Error::from(ErrorKind::PermissionDenied)),
        Box::new(TantivyError::InvalidArgument("28".into())),
        Box::new(Error::other("quota of 28 messages")),
    ];
    for e in &not_full {
        assert!(!is_disk_full(e.as_ref()), "seen as full: {e:?}");
    }
    assert!(is_permission_denied(&Error::from(
        ErrorKind::PermissionDenied
    )));
    assert!(is_permission_denied(&Error::from(
        ErrorKind::ReadOnlyFilesystem
    )));
    assert!(!is_permission_denied(&enospc()));

    let err = whatscope::index::writer::write_error(
        Path::new("/data"),
        "save the import",
        "nothing from this import was saved",
        TantivyError::IoError(Arc::new(enospc())),
    );
    let message = err.to_string();
    assert!(
        message.contains("the disk is full")
            && message.contains("nothing from this import was saved")
            && !message.contains('\n'),
        "{message}"
    );
    assert!(
        err.hint().as_deref().is_some_and(|h| h.contains("free")),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// D5: lock files left behind

#[test]
fn d5_leftover_lock_files_do_not_block_import_or_forget() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).expect("mkdir");
    let small = write_small(&inputs);
    let other = write_export(&inputs, "Other", 3, 2_000, true);

    // Lock files as a killed run leaves them (with some junk in them, as an old version or
    // another tool might), including a first import killed while creating the archive.
    let data = tmp.path().join("data");
    fs::create_dir_all(data.join("index")).expect("mkdir");
    fs::write(data.join(".create.lock"), "pid 999999\n").expect("write");
    run_ok(&data, &["import", s(&small)]);
    for lock in [".tantivy-writer.lock", ".tantivy-meta.lock"] {
        fs::write(data.join("index").join(lock), "pid 999999\n").expect("write");
    }
    fs::write(data.join(".create.lock"), "pid 999999\n").expect("write");
    let r = json(&data, &["import", s(&other), "--json"]);
    assert_eq!(r["added"].as_u64(), Some(2_009), "{r}");

    // The lock files are really consulted: a live holder does block (else this test proves
    // nothing), and letting go unblocks at once. The holder is another process: a lock taken
    // here would also be held, for a moment after this test lets go, by any process another
    // test thread is just starting (a child holds its parent's descriptors until it execs).
    let mut holder = Command::new("flock")
        .args(["--exclusive", "--close"])
        .arg(data.join("index/.tantivy-writer.lock"))
        .args(["-c", "echo locked; read _ || true"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("flock (util-linux) runs");
    let mut said = String::new();
    let out = holder.stdout.as_mut().expect("flock's stdout");
    std::io::BufRead::read_line(&mut std::io::BufReader::new(out), &mut said).expect("read");
    assert_eq!(said.trim(), "locked", "flock did not take the writer lock");
    let blocked = run(&data, &["forget", "--participant", CANARY_PERSON, "--yes"]);
    assert_one_error(&blocked, "busy", "forget while the lock is held");
    // Its shell ends at the end of its input, and flock lets go as it exits.
    drop(holder.stdin.take());
    assert!(holder.wait().expect("flock ends").success());

    // A process killed while holding the writer lock: the next ones are not held up.
    crash(&data, "before-commit", &["import", s(&small)]);
    let started = Instant::now();
    run_ok(&data, &["forget", "--participant", CANARY_PERSON, "--yes"]);
    crash(
        &data,
        "before-merge",
        &["forget", "--participant", "Maya Lopez", "--yes"],
    );
    run_ok(&data, &["import", s(&small)]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "waited on a dead process's lock: {:?}",
        started.elapsed()
    );
    let hits = json(&data, &["search", CANARY_WORD, "--json"]);
    assert_eq!(hits["total"], 0, "{hits}");
}

// ---------------------------------------------------------------------------------------------
// D6: leftovers of crashes are removed when the writer is next taken

#[test]
fn d6_leftover_temp_and_orphan_files_are_removed_under_the_lock() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).expect("mkdir");
    let small = write_small(&inputs);
    let medium = write_export(&inputs, "Big Group", 42, 5_000, false);
    let data = tmp.path().join("data");
    run_ok(&data, &["import", s(&small)]);
    let committed = State::read(&data);

    // Segment files written, `meta.json` not switched: orphans, as tantivy #3079 describes.
    crash(&data, "during-commit", &["import", s(&medium)]);
    let left = orphans(&data);
    assert!(
        !left.is_empty(),
        "the crash left no orphan segment: nothing tested"
    );
    // An interrupted atomic write of tantivy's, and of ours by a process that is gone.
    fs::write(data.join("index/.tmpAbC123"), "{\"segments\":[]}").expect("write");
    let dead = {
        let mut child = Command::new("true").spawn().expect("spawn true");
        let pid = child.id();
        child.wait().expect("wait");
        pid
    };
    fs::write(data.join(format!("opted-out.tmp{dead}")), "# list\n").expect("write");
    // Ours too, but of a process alive (this one): it may be writing it, so it stays.
    let alive = data.join(format!("meta.tmp{}", std::process::id()));
    fs::write(&alive, "{}").expect("write");
    // Files that are not whatscope's: never touched.
    fs::write(data.join("index/notes.txt"), "mine").expect("write");
    fs::write(data.join("notes.txt"), "mine").expect("write");

    // Reading does not take the writer, so it cleans nothing; it still sees the commit.
    assert_eq!(State::read(&data), committed);
    assert!(!orphans(&data).is_empty());

    run_ok(&data, &["import", s(&small)]);
    assert_eq!(orphans(&data), Vec::<String>::new(), "was: {left:?}");
    assert!(!data.join(format!("opted-out.tmp{dead}")).exists());
    assert!(alive.exists(), "a live process's temp file was removed");
    assert_eq!(
        fs::read_to_string(data.join("index/notes.txt"))
            .ok()
            .as_deref(),
        Some("mine")
    );
    assert_eq!(
        fs::read_to_string(data.join("notes.txt")).ok().as_deref(),
        Some("mine")
    );
    assert_eq!(State::read(&data), committed);
}

// ---------------------------------------------------------------------------------------------
// D7: damaged archives

#[test]
fn d7_damaged_archive_gives_an_error_and_a_hint_never_a_panic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).expect("mkdir");
    let small = write_small(&inputs);
    let medium = write_export(&inputs, "Big Group", 42, 5_000, false);
    let base = tmp.path().join("base");
    run_ok(&base, &["import", s(&medium)]);

    let segment_file = |data: &Path, ext: &str| -> PathBuf {
        fs::read_dir(data.join("index"))
            .expect("index")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == ext))
            .unwrap_or_else(|| panic!("no .{ext} file"))
    };
    type Damage = Box<dyn Fn(&Path)>;
    let cases: Vec<(&str, Damage, &str)> = vec![
        (
            "truncated index meta.json",
            Box::new(|d: &Path| {
                let p = d.join("index/meta.json");
                let b = fs::read(&p).expect("read");
                fs::write(&p, &b[..b.len() / 3]).expect("write");
            }),
            "damaged",
        ),
        (
            "deleted .term file",
            Box::new(move |d: &Path| fs::remove_file(segment_file(d, "term")).expect("rm")),
            "damaged",
        ),
        (
            "garbage over the end of a .store file (its block index)",
            Box::new(move |d: &Path| scramble_store_block_index(&segment_file(d, "store"))),
            "damaged",
        ),
        (
            "garbage over the footer of an .idx file",
            Box::new(move |d: &Path| scramble(&segment_file(d, "idx"), 0.999, 1.0)),
            "damaged",
        ),
        (
            "truncated archive metadata",
            Box::new(|d: &Path| fs::write(d.join("meta.json"), "{\"schema_ver").expect("write")),
            "unreadable",
        ),
    ];
    for (what, damage, needle) in &cases {
        let data = tmp.path().join(what.replace(' ', "_"));
        copy_dir(&base, &data);
        damage(&data);
        for args in [
            vec!["chats"],
            vec!["search", "the"],
            vec!["stats"],
            vec!["import", s(&small)],
            vec!["forget", "--participant", "Maya Lopez", "--yes"],
        ] {
            let out = run(&data, &args);
            assert_one_error(&out, needle, &format!("{what}: {args:?}"));
        }
    }

    // Garbage in the middle of a .store file: the archive opens (the block index is
    // intact), and reading a damaged block fails with an error line, not a panic.
    let data = tmp.path().join("store_middle");
    copy_dir(&base, &data);
    scramble(&segment_file(&data, "store"), 0.01, 0.3);
    let out = run(&data, &["export"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{}", describe(&out));
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(err.starts_with("error: "), "{}", describe(&out));
}

/// Overwrites the bytes of `path` from fraction `from` to `to` of its length with garbage.
fn scramble(path: &Path, from: f64, to: f64) {
    let b = fs::read(path).expect("read");
    let n = b.len() as f64;
    scramble_range(path, (n * from) as usize, (n * to) as usize);
}

/// Garbage over the second half of a `.store` file up to its footers, which stay intact so
/// that tantivy trusts them and reads the block index they point at: garbage offsets there
/// made tantivy 0.27 index out of bounds (a panic) while opening the segment.
fn scramble_store_block_index(path: &Path) {
    let b = fs::read(path).expect("read");
    let n = b.len();
    // tantivy's file footer ends with (its length: u32 LE, magic: u32); the doc store's own
    // footer (28 bytes) comes just before it.
    let footer = u32::from_le_bytes(b[n - 8..n - 4].try_into().expect("4 bytes")) as usize + 8;
    scramble_range(path, n / 2, n - footer - 28);
}

fn scramble_range(path: &Path, from: usize, to: usize) {
    let mut b = fs::read(path).expect("read");
    for x in &mut b[from..to] {
        *x = x.wrapping_mul(7).wrapping_add(13);
    }
    fs::write(path, b).expect("write");
}

// ---------------------------------------------------------------------------------------------
// D8: an archive of another version

#[test]
fn d8_archive_of_another_version_is_refused_clearly_and_left_alone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).expect("mkdir");
    let small = write_small(&inputs);
    let base = tmp.path().join("base");
    run_ok(&base, &["import", s(&small)]);

    // Our schema marker from a future (or past) whatscope.
    let data = tmp.path().join("schema");
    copy_dir(&base, &data);
    let meta_path = data.join("meta.json");
    let mut meta: Value =
        serde_json::from_slice(&fs::read(&meta_path).expect("read")).expect("json");
    meta["schema_version"] = Value::from(999);
    fs::write(&meta_path, serde_json::to_vec(&meta).expect("json")).expect("write");
    let index_before = fs::read(data.join("index/meta.json")).expect("read");
    for args in [vec!["chats"], vec!["import", s(&small)]] {
        let out = run(&data, &args);
        assert_one_error(&out, "another version of whatscope", &format!("{args:?}"));
    }
    assert_eq!(
        fs::read(data.join("index/meta.json")).expect("read"),
        index_before,
        "nothing was written into a foreign archive"
    );

    // tantivy's own format version (in every index file's footer), from a tantivy this
    // build does not read.
    let data = tmp.path().join("format");
    copy_dir(&base, &data);
    let (from, to) = (
        b"\"index_format_version\":7".as_slice(),
        b"\"index_format_version\":9".as_slice(),
    );
    let mut changed = 0;
    for entry in fs::read_dir(data.join("index")).expect("index").flatten() {
        let mut bytes = fs::read(entry.path()).expect("read");
        if let Some(at) = bytes.windows(from.len()).rposition(|w| w == from) {
            bytes[at..at + to.len()].copy_from_slice(to);
            fs::write(entry.path(), bytes).expect("write");
            changed += 1;
        }
    }
    assert!(
        changed > 0,
        "no footer names tantivy's format version 7 any more"
    );
    let out = run(&data, &["chats"]);
    assert_one_error(&out, "another version of whatscope", "index format 9");
}

// ---------------------------------------------------------------------------------------------
// D9: a data dir that cannot be written

#[test]
fn d9_read_only_data_dir_gives_a_clear_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).expect("mkdir");
    let small = write_small(&inputs);
    let other = write_export(&inputs, "Other", 3, 500, false);
    let data = tmp.path().join("data");
    run_ok(&data, &["import", s(&small)]);
    let before = State::read(&data);

    // Root writes anywhere: run as `nobody` over files owned by `nobody`, made read-only.
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    const NOBODY: u32 = 65534;
    if root && !uid_is_mapped(NOBODY) {
        // Inside `unshare -r` (as `.ci/run` runs the suite) only root exists: there is no
        // one to drop to, and root reads and writes everything.
        eprintln!("skipped: d9 needs uid {NOBODY}, which this user namespace does not map");
        return;
    }
    set_tree(&data, Some(0o500), Some(0o400), root.then_some(NOBODY));
    if root {
        for p in [tmp.path(), &inputs] {
            set_mode(p, 0o755);
        }
        set_mode(&other, 0o644);
        set_mode(&small, 0o644);
    }
    let as_user = |args: &[&str]| {
        let mut c = cmd(&data);
        if root {
            use std::os::unix::process::CommandExt;
            c.uid(NOBODY).gid(NOBODY);
        }
        c.args(args).output().expect("whatscope runs")
    };
    // tantivy's reader takes `.tantivy-meta.lock` for writing, so even reading needs a
    // writable folder: every command says so in one line.
    for args in [
        vec!["import", s(&other)],
        vec!["forget", "--participant", "Maya Lopez", "--yes"],
        vec!["chats"],
    ] {
        let out = as_user(&args);
        assert_one_error(&out, "permission denied", &format!("{args:?}"));
    }

    // Writable again: nothing was changed, and the import goes through.
    set_tree(&data, Some(0o700), Some(0o600), root.then_some(0));
    assert_eq!(State::read(&data), before);
    let r = json(&data, &["import", s(&other), "--json"]);
    assert_eq!(r["added"], 500, "{r}");
}

/// Whether `uid` exists in this process's user namespace (`/proc/self/uid_map`).
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

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

/// chmod (and chown) a tree; directories get `dir_mode` after their contents.
fn set_tree(path: &Path, dir_mode: Option<u32>, file_mode: Option<u32>, owner: Option<u32>) {
    if let Some(uid) = owner {
        std::os::unix::fs::chown(path, Some(uid), Some(uid)).expect("chown");
    }
    if path.is_dir() {
        // Readable and searchable while we walk it.
        set_mode(path, 0o700);
        for entry in fs::read_dir(path).expect("read dir").flatten() {
            set_tree(&entry.path(), dir_mode, file_mode, owner);
        }
        if let Some(m) = dir_mode {
            set_mode(path, m);
        }
    } else if let Some(m) = file_mode {
        set_mode(path, m);
    }
}

// ---------------------------------------------------------------------------------------------
// D11: an erasure killed at every stage

/// An archive with the canary person, a clean `forget` of them as the state to reach, and
/// the raw-bytes oracle seeing the canary before.
struct EraseSetup {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    export: PathBuf,
    base: PathBuf,
    forgotten: State,
}

fn erase_setup(n: usize) -> EraseSetup {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().to_path_buf();
    let inputs = root.join("in");
    fs::create_dir_all(&inputs).expect("mkdir");
    let small = write_small(&inputs);
    let export = write_export(&inputs, "Canary Group", 9, n, true);
    let base = root.join("base");
    run_ok(&base, &["import", s(&small)]);
    run_ok(&base, &["import", s(&export)]);
    assert!(
        !files_containing(&base, CANARY_WORD).is_empty(),
        "the raw scan must see the canary before the erasure, or it proves nothing"
    );
    let hits = json(&base, &["search", CANARY_WORD, "--json"]);
    assert_eq!(hits["total"], 9, "{hits}");
    let clean = root.join("clean");
    copy_dir(&base, &clean);
    run_ok(&clean, &["forget", "--participant", CANARY_PERSON, "--yes"]);
    let forgotten = State::read(&clean);
    assert_gone(&clean, "a clean forget");
    EraseSetup {
        _tmp: tmp,
        root,
        export,
        base,
        forgotten,
    }
}

/// The canary person is nowhere: not in search, chats, statistics, exports, nor in any
/// byte of the data dir.
fn assert_gone(data: &Path, ctx: &str) {
    let hits = json(data, &["search", CANARY_WORD, "--json"]);
    assert_eq!(hits["total"], 0, "{ctx}: {hits}");
    let from = json(
        data,
        &["search", &format!("from:\"{CANARY_PERSON}\""), "--json"],
    );
    assert_eq!(from["total"], 0, "{ctx}: {from}");
    for args in [
        vec!["chats", "--json"],
        vec!["stats", "--json"],
        vec!["export"],
        vec!["export", "--format", "csv"],
    ] {
        let out = run_ok(data, &args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains(CANARY_WORD) && !text.contains(CANARY_PERSON),
            "{ctx}: {args:?} shows the erased person"
        );
    }
    let raw = files_containing(data, CANARY_WORD);
    assert!(raw.is_empty(), "{ctx}: canary bytes on disk in {raw:?}");
    let raw = files_containing(data, CANARY_PERSON);
    assert!(raw.is_empty(), "{ctx}: the name on disk in {raw:?}");
}

fn marker(data: &Path) -> PathBuf {
    data.join("erase.pending")
}

#[test]
fn d11_forget_killed_at_each_stage_resumes_and_never_shows_the_person() {
    let setup = erase_setup(5_000);
    // (label, whether the opt-out is recorded when the process dies there)
    let points = [
        ("after-erase-marker", false),
        ("after-optout", true),
        ("during-commit", true),
        ("after-delete-commit", true),
        ("before-merge", true),
        ("before-gc", true),
        ("after-gc", true),
    ];
    for (label, recorded) in points {
        let data = setup.root.join(label);
        copy_dir(&setup.base, &data);
        crash(
            &data,
            label,
            &["forget", "--participant", CANARY_PERSON, "--yes"],
        );
        assert!(
            marker(&data).exists(),
            "{label}: the erasure is marked unfinished"
        );

        // The first thing to open the archive finishes the erasure before showing anything.
        if recorded {
            assert_gone(&data, label);
            assert_eq!(
                State::read(&data),
                setup.forgotten,
                "{label}: as a clean forget"
            );
        } else {
            // Killed before anything was recorded: the forget never happened, and is run
            // again below (the user saw no "erased").
            let hits = json(&data, &["search", CANARY_WORD, "--json"]);
            assert_eq!(hits["total"], 9, "{label}: {hits}");
        }
        assert!(
            !marker(&data).exists(),
            "{label}: the marker outlived the erasure"
        );

        // Running forget again completes it (or finds nothing left to do).
        run_ok(&data, &["forget", "--participant", CANARY_PERSON, "--yes"]);
        assert_gone(&data, label);
        assert_eq!(State::read(&data), setup.forgotten, "{label}: final state");
        assert_eq!(orphans(&data), Vec::<String>::new(), "{label}: leftovers");
        // Still opted out: importing the export again keeps them out.
        let r = json(&data, &["import", s(&setup.export), "--json"]);
        assert_eq!(r["added"], 0, "{label}: {r}");
        assert_eq!(r["files"][0]["opted_out"], 9, "{label}: {r}");
        assert_gone(&data, label);
    }
}

/// Another whatscope holds the writer while an erasure is unfinished: opening the archive
/// waits for it rather than show the person, then finishes the erasure.
#[test]
fn d11_opening_waits_for_the_writer_to_finish_an_erasure() {
    let setup = erase_setup(2_000);
    let data = setup.root.join("held");
    copy_dir(&setup.base, &data);
    crash(
        &data,
        "after-optout",
        &["forget", "--participant", CANARY_PERSON, "--yes"],
    );
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(data.join("index/.tantivy-writer.lock"))
        .expect("open lock");
    lock.try_lock().expect("take the writer lock");
    let child = cmd(&data)
        .args(["search", CANARY_WORD, "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    thread::sleep(Duration::from_millis(700));
    drop(lock);
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", describe(&out));
    let hits: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(hits["total"], 0, "{hits}");
    assert_gone(&data, "after waiting for the writer");
}

#[test]
fn d11_sigkill_at_random_times_during_forget_never_shows_the_person() {
    let setup = erase_setup(40_000);
    let probe = setup.root.join("probe");
    copy_dir(&setup.base, &probe);
    let started = Instant::now();
    run_ok(&probe, &["forget", "--participant", CANARY_PERSON, "--yes"]);
    let forget_ms = started.elapsed().as_millis() as u64;

    let seed = seed();
    let rounds = rounds();
    eprintln!("d11: {rounds} rounds, seed {seed}, a forget takes {forget_ms} ms");
    let mut rng = Rng(seed);
    for round in 0..rounds {
        let delay = rng.below(forget_ms + forget_ms / 4);
        with_seed(seed, round, || {
            let data = setup.root.join(format!("round{round}"));
            copy_dir(&setup.base, &data);
            let mut child = cmd(&data)
                .args(["forget", "--participant", CANARY_PERSON, "--yes"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn");
            thread::sleep(Duration::from_millis(delay));
            let _ = child.kill();
            let status = child.wait().expect("wait");
            let ctx = format!("round {round} (seed {seed}): killed after {delay} ms, {status:?}");
            // Once the opt-out is on disk the person must never be seen again.
            let recorded = fs::read_to_string(data.join("opted-out.txt"))
                .is_ok_and(|t| t.lines().any(|l| !l.starts_with('#') && !l.is_empty()));
            if recorded {
                assert_gone(&data, &ctx);
            }
            run_ok(&data, &["forget", "--participant", CANARY_PERSON, "--yes"]);
            assert_gone(&data, &ctx);
            assert_eq!(State::read(&data), setup.forgotten, "{ctx}");
            let _ = fs::remove_dir_all(&data);
        });
    }
}

// ---------------------------------------------------------------------------------------------
// D1 at fixed times, and D4: an import killed after 50, 300 and 800 ms; two imports at once

/// The D1 kills at fixed times and the D4 races time themselves against import durations:
/// one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
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
    let big = write_export(&inputs, "Big Group", 42, BIG, false);

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
        // Within the chat committed before (the big one, when it got in, says "trip" too).
        let hits = json(&data, &["search", "trip chat:\"Hiking Crew\"", "--json"]);
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
    let alpha = write_export(&inputs, "Alpha", 11, CONCURRENT, false);
    let beta = write_export(&inputs, "Beta", 12, CONCURRENT, false);

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
    let other = write_export(&inputs, "Other", 5, 500, false);
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

/// Archives made before 0.2 stored each message's numbers (id, time, line, kind, edited) in
/// the store as well as in their columns; since then only the columns hold them (the index is
/// a fifth smaller). Such an archive (`tests/fixtures/archive_numbers_stored`, written by 0.1
/// from fixtures 01, 03 and 19) reads back exactly as one this version makes from the same
/// exports, with no re-index.
#[test]
fn an_archive_that_stored_its_numbers_reads_as_one_made_now() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let old = tmp.path().join("old");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive_numbers_stored"),
        &old,
    );
    let new = tmp.path().join("new");
    let inputs = [
        "03_ios_en_gb_24h_group_2023.txt",
        "19_ios_zip_with_media.zip",
        "01_android_en_gb_24h_group.txt",
    ]
    .map(fixture_path);
    let mut import = vec!["import"];
    import.extend(inputs.iter().map(|p| s(p)));
    run_ok(&new, &import);

    let exported = run_ok(&old, &["export"]);
    assert!(
        exported.stderr.is_empty(),
        "no re-index: {}",
        describe(&exported)
    );
    let messages: Vec<Value> = String::from_utf8_lossy(&exported.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("ndjson"))
        .collect();
    assert_eq!(messages.len(), 64);
    assert!(messages.iter().any(|m| m["edited"] == true));
    assert!(messages.iter().any(|m| m["kind"] == "media"));
    for args in [
        vec!["export"],
        vec!["export", "--format", "csv"],
        vec!["search", "the", "--json"],
        vec!["stats", "--json"],
    ] {
        assert_eq!(
            String::from_utf8_lossy(&run_ok(&old, &args).stdout),
            String::from_utf8_lossy(&run_ok(&new, &args).stdout),
            "{args:?}"
        );
    }
    // Added to as it is, it still gives the statistics a new archive gives.
    let more = fixture_path("02_android_en_us_12h_nnbsp.txt");
    run_ok(&old, &["import", s(&more)]);
    run_ok(&new, &["import", s(&more)]);
    let stats = |dir: &Path| {
        String::from_utf8_lossy(&run_ok(dir, &["stats", "--json"]).stdout).into_owned()
    };
    let added = stats(&old);
    assert!(added.contains("top_words"), "{added}");
    assert_eq!(added, stats(&new));
    // Read as it is: still schema 4, so the version that wrote it can open it too; one made
    // now is schema 5, which that version refuses as another version's.
    let version = |dir: &Path| -> u64 {
        let meta: Value =
            serde_json::from_slice(&std::fs::read(dir.join("meta.json")).expect("meta"))
                .expect("json");
        meta["schema_version"].as_u64().expect("schema_version")
    };
    assert_eq!(version(&old), 4);
    assert_eq!(version(&new), 5);
}
