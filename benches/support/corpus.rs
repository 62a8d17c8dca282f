//! The generated archive of the scale benchmark (issue 17), built once and cached under
//! `target/bench-10m/` (or `target/bench-1m/`): exports of 40 000 messages each (WhatsApp's
//! cap per export) in every header style, 300 people spread over group and 1:1 chats, 20
//! years of dates, imported with the real `whatscope import` binary so that its wall time and
//! peak resident memory are a user's.
//!
//! The cache is reused while its stamp names this generator's [`VERSION`] and the size; a
//! change to either rebuilds it. Delete the directory to rebuild by hand.

use chrono::{NaiveDate, TimeDelta};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use whatscope_synth::{self as synth, LineEnding, SynthMessage};

/// Bumped whenever what is generated changes, so that an old cache is rebuilt.
pub const VERSION: &str = "scale-corpus 1";
/// Messages per export: WhatsApp cuts each export there.
pub const PER_CHAT: usize = 40_000;
/// Distinct people over all chats; person 0 is the phone's owner, who exported every chat.
pub const PEOPLE: usize = 300;
/// Of every five chats, this many are 1:1 chats (the owner and one person), the rest groups.
const ONE_TO_ONE_OF_FIVE: usize = 2;
/// A group's senders stand for other people every this many messages: people come and go,
/// so each group sees dozens of the 300 and each person writes in many chats.
const TURNOVER: usize = 4_000;
/// The first chat starts here; the last one starts [`SPREAD_DAYS`] later and, at the
/// generator's pace (~2.4 years per 40 000 messages), ends about twenty years after this.
const FIRST_START: (i32, u32, u32) = (2005, 7, 1);
const SPREAD_DAYS: i64 = 6_450;
/// The synthetic generator starts every chat on this day.
const SYNTH_START: (i32, u32, u32) = (2019, 1, 1);

/// A benchmark size: how many exports.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub name: &'static str,
    pub chats: usize,
}

impl Scale {
    /// `WHATSCOPE_BENCH_SCALE`: `10m` (the default: 250 exports) or `1m` (25 exports).
    pub fn from_env() -> Result<Scale, String> {
        let given = std::env::var("WHATSCOPE_BENCH_SCALE").unwrap_or_else(|_| "10m".into());
        match given.to_ascii_lowercase().as_str() {
            "10m" => Ok(Scale {
                name: "10m",
                chats: 250,
            }),
            "1m" => Ok(Scale {
                name: "1m",
                chats: 25,
            }),
            other => Err(format!(
                "WHATSCOPE_BENCH_SCALE={other:?}: expected 10m or 1m"
            )),
        }
    }

    pub fn messages(&self) -> usize {
        self.chats * PER_CHAT
    }
}

/// The cached corpus: the exports, the archive's data dir and what its import measured.
pub struct Corpus {
    pub exports: PathBuf,
    pub data_dir: PathBuf,
    pub import: ImportRun,
    /// Whether `import` ran in this run (else it is the figure of the cache's build).
    pub imported_now: bool,
}

/// One run of `whatscope import` on the exports folder, as `wait4` saw it.
#[derive(Clone, Debug)]
pub struct ImportRun {
    pub wall_secs: f64,
    pub cpu_secs: f64,
    pub peak_rss_kib: u64,
    /// When it ran (seconds since the epoch): a cached figure says how old it is.
    pub at: u64,
}

/// The cache for `scale` under the build's target dir, built first when missing or stale.
/// `reimport` imports the cached exports again into a fresh data dir and measures that run
/// (for comparing import builds without regenerating).
pub fn ensure(scale: Scale, reimport: bool) -> Result<Corpus, String> {
    let dir = target_dir().join(format!("bench-{}", scale.name));
    let stamp = format!("{VERSION}\nchats {}\nper-chat {PER_CHAT}\n", scale.chats);
    let exports = dir.join("exports");
    let data_dir = dir.join("archive");
    let fresh = std::fs::read_to_string(dir.join("stamp")).ok().as_deref() == Some(&stamp);
    if !fresh {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&exports).map_err(|e| format!("{}: {e}", exports.display()))?;
        let t = Instant::now();
        generate(scale, &exports)?;
        eprintln!(
            "generated {} exports in {:.1} s",
            scale.chats,
            t.elapsed().as_secs_f64()
        );
    }
    let import_file = dir.join("import.txt");
    let cached = (fresh && !reimport)
        .then(|| ImportRun::read(&import_file))
        .flatten();
    let imported_now = cached.is_none();
    let import = match cached {
        Some(run) => run,
        None => {
            let _ = std::fs::remove_dir_all(&data_dir);
            eprintln!("importing {} with the whatscope binary…", exports.display());
            let run = import_folder(&exports, &data_dir, &dir.join("import.log"))?;
            run.write(&import_file)?;
            run
        }
    };
    // Written last: a build cut short is never taken for a finished one.
    std::fs::write(dir.join("stamp"), stamp).map_err(|e| e.to_string())?;
    Ok(Corpus {
        exports,
        data_dir,
        import,
        imported_now,
    })
}

/// One export of `messages` messages (a long-lived group kept since the phone's first day,
/// or several exports joined): the "1 M-message export", generated once under
/// `target/bench-one-export/` in the first header style. Returns the folder holding it.
pub fn one_export(messages: usize) -> Result<PathBuf, String> {
    let dir = target_dir().join("bench-one-export");
    let stamp = format!(
        "{VERSION}
messages {messages}
"
    );
    let folder = dir.join("export");
    if std::fs::read_to_string(dir.join("stamp")).ok().as_deref() != Some(&stamp) {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let styles = synth::all_styles();
        let mut all = synth::generate_messages(16_999, messages, &styles[0]);
        let mut originals: Vec<String> = Vec::new();
        for (i, m) in all.iter_mut().enumerate() {
            let Some(sender) = &m.sender else { continue };
            let slot = slot_of(&mut originals, sender);
            let person = if slot == 0 {
                0
            } else {
                1 + (slot * 53 + (i / TURNOVER) * 11) % (PEOPLE - 1)
            };
            m.sender = Some(person_name(person));
        }
        let path = folder.join("WhatsApp Chat with Everyone Since 2019.txt");
        std::fs::write(&path, render(&styles[0], &all))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::write(dir.join("stamp"), stamp).map_err(|e| e.to_string())?;
    }
    Ok(folder)
}

/// Imports `exports` (a folder or a file) into a new archive under `data_dir` with the
/// whatscope binary, as a user would.
pub fn import_fresh(exports: &Path, data_dir: &Path) -> Result<ImportRun, String> {
    let _ = std::fs::remove_dir_all(data_dir);
    let log = data_dir.with_extension("log");
    let run = import_folder(exports, data_dir, &log);
    let _ = std::fs::remove_dir_all(data_dir);
    run
}

/// `CARGO_TARGET_DIR`, else the package's `target/` (so `cargo clean` removes the cache).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

// ---------------------------------------------------------------------------------------------
// Generation

/// Writes every export, on as many threads as there are cores (each export is independent
/// and seeded by its number, so the files do not depend on the thread count).
fn generate(scale: Scale, exports: &Path) -> Result<(), String> {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> Result<(), String> {
                    loop {
                        let chat = next.fetch_add(1, Ordering::Relaxed);
                        if chat >= scale.chats {
                            return Ok(());
                        }
                        let (name, text) = export(scale, chat);
                        let path = exports.join(format!("WhatsApp Chat with {name}.txt"));
                        std::fs::write(&path, text)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                    }
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join()
                .map_err(|_| "a generator thread panicked".to_string())?
        })
    })
}

/// Export number `chat`: its chat name and its text.
fn export(scale: Scale, chat: usize) -> (String, String) {
    let styles = synth::all_styles();
    let style = &styles[chat % styles.len()];
    let mut messages = synth::generate_messages(17_000 + chat as u64, PER_CHAT, style);
    let shift = start_of(scale, chat) - day(SYNTH_START);
    let one_to_one = chat % 5 < ONE_TO_ONE_OF_FIVE;
    let partner = 1 + (chat * 7) % (PEOPLE - 1);
    let mut originals: Vec<String> = Vec::new();
    for (i, m) in messages.iter_mut().enumerate() {
        m.ts += shift;
        let Some(sender) = &m.sender else { continue };
        let slot = slot_of(&mut originals, sender);
        let person = match (slot, one_to_one) {
            (0, _) => 0,
            (_, true) => partner,
            (_, false) => 1 + (chat * 37 + slot * 53 + (i / TURNOVER) * 11) % (PEOPLE - 1),
        };
        m.sender = Some(person_name(person));
    }
    let name = if one_to_one {
        person_name(partner)
    } else {
        group_name(chat)
    };
    (name, render(style, &messages))
}

fn render(style: &synth::HeaderStyle, messages: &[SynthMessage]) -> String {
    synth::render_export(style, messages, LineEnding::Lf)
}

/// The position of `sender` among the chat's original senders, by first appearance.
fn slot_of(originals: &mut Vec<String>, sender: &str) -> usize {
    match originals.iter().position(|o| o == sender) {
        Some(p) => p,
        None => {
            originals.push(sender.to_string());
            originals.len() - 1
        }
    }
}

/// When chat number `chat` starts: the chats' starts spread evenly over the years.
fn start_of(scale: Scale, chat: usize) -> chrono::NaiveDateTime {
    let step = SPREAD_DAYS / scale.chats.max(1) as i64;
    day(FIRST_START) + TimeDelta::days(step * chat as i64)
}

fn day((y, m, d): (i32, u32, u32)) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("a valid date")
}

/// Person `k`'s name as exports write it: first and last names in 300 combinations, every
/// tenth person a phone number (someone not in the owner's contacts).
pub fn person_name(k: usize) -> String {
    const FIRST: [&str; 20] = [
        "Maya", "Tomás", "Jonas", "Zoë", "Björn", "Chloé", "Sofía", "Jürgen", "Aisha", "Kofi",
        "Lena", "Priya", "Mateo", "Yuki", "Olga", "Nia", "Elif", "Ravi", "Ines", "Sam",
    ];
    const LAST: [&str; 15] = [
        "Lopez",
        "Rivera",
        "Becker",
        "Müller",
        "Ólafsson",
        "Gagnon",
        "Nair",
        "Okafor",
        "Sato",
        "Novak",
        "Costa",
        "Haddad",
        "Kowalski",
        "Dubois",
        "Lindqvist",
    ];
    if k % 10 == 9 {
        format!("+44 7700 9{k:05}")
    } else {
        format!(
            "{} {}",
            FIRST[k % FIRST.len()],
            LAST[k / FIRST.len() % LAST.len()]
        )
    }
}

fn group_name(chat: usize) -> String {
    const GROUPS: [&str; 10] = [
        "Weekend Crew",
        "Pizza Fridays 🍕",
        "Summer Trip",
        "Los Amigos",
        "Stammtisch",
        "Book Club 📚",
        "Climbing Wall",
        "Flat 4B",
        "Sunday League ⚽",
        "Choir Altos",
    ];
    format!(
        "{} {}",
        GROUPS[chat % GROUPS.len()],
        chat / GROUPS.len() + 1
    )
}

// ---------------------------------------------------------------------------------------------
// The import, as a user runs it

/// `whatscope --data-dir DATA import EXPORTS`, its output to `log`, measured by `wait4`.
fn import_folder(exports: &Path, data_dir: &Path, log: &Path) -> Result<ImportRun, String> {
    let out = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_whatscope"))
        .arg("--data-dir")
        .arg(data_dir)
        .arg("import")
        .arg(exports)
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("whatscope import: {e}"))?;
    let (ok, usage) = wait_with_usage(child)?;
    let wall_secs = start.elapsed().as_secs_f64();
    if !ok {
        return Err(format!("whatscope import failed, see {}", log.display()));
    }
    Ok(ImportRun {
        wall_secs,
        cpu_secs: usage.cpu_secs,
        peak_rss_kib: usage.peak_rss_kib,
        at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    })
}

/// What the kernel counted for a finished child process.
pub struct Usage {
    pub cpu_secs: f64,
    pub peak_rss_kib: u64,
}

/// Waits for `child` with `wait4`, as `/usr/bin/time` does: whether it exited with 0, its
/// CPU time and its peak resident set (`ru_maxrss`).
pub fn wait_with_usage(child: std::process::Child) -> Result<(bool, Usage), String> {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own unreaped child; status and usage are ours to write. The
    // `Child` is dropped without waiting, so it is reaped exactly once, here.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if got != pid {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok((
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        Usage {
            cpu_secs: secs(usage.ru_utime) + secs(usage.ru_stime),
            peak_rss_kib: usage.ru_maxrss as u64,
        },
    ))
}

impl ImportRun {
    fn write(&self, path: &Path) -> Result<(), String> {
        let text = format!(
            "wall_secs {}\ncpu_secs {}\npeak_rss_kib {}\nat {}\n",
            self.wall_secs, self.cpu_secs, self.peak_rss_kib, self.at
        );
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn read(path: &Path) -> Option<ImportRun> {
        let text = std::fs::read_to_string(path).ok()?;
        let value = |key: &str| -> Option<f64> {
            text.lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
                .and_then(|v| v.trim().parse().ok())
        };
        Some(ImportRun {
            wall_secs: value("wall_secs")?,
            cpu_secs: value("cpu_secs")?,
            peak_rss_kib: value("peak_rss_kib")? as u64,
            at: value("at")? as u64,
        })
    }
}
