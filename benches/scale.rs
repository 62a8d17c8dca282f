//! Issue 17's figures at 10 M messages (or 1 M), each with its target, in one run: the TUI's
//! first frame, results after the last key for a rare and a common word, opening a chat and
//! paging, statistics (whole archive, one chat, one person, one query), resident memory while
//! browsing, the import (wall time, messages/s, peak RSS) and the index size; with `rg -c`
//! and a bare Python regex parse (`benches/reference_parse.py`) measured in the same run.
//!
//! Run: `cargo bench --bench scale` (10 M: 250 exports of 40 000 messages) or
//! `WHATSCOPE_BENCH_SCALE=1m cargo bench --bench scale` (25 exports). The exports and the
//! archive are built once under `target/bench-10m/` (`target/bench-1m/`) and reused; the
//! import figures are those of that build unless `WHATSCOPE_BENCH_REIMPORT=1` imports the
//! cached exports again. Some groups of figures only: `cargo bench --bench scale -- tui stats`
//! (`tui`, `stats`, `memory`, `import`). See docs/performance.md, "10 M messages".
//!
//! The TUI figures run the code the TUI runs (`App::update`, the worker's `Backend::handle`,
//! `view::draw` on a `TestBackend` at 120×40) in this thread; the event loop's search
//! debounce is a deliberate wait, not work, and is not counted. Each figure is the median of
//! its samples, with the slowest beside it.

mod support;

use crossterm::event::KeyCode;
use std::path::Path;
use std::process::Command;
use std::time::Instant;
use support::corpus::{self, Corpus, Scale};
use support::tui::Tui;
use whatscope::index::archive::Archive;
use whatscope::stats::{compute, Scope};

/// The allocator the `whatscope` binary runs with (src/main.rs), so these figures are its.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Set in the child process that measures the TUI's memory: the data dir.
const RSS_CHILD: &str = "WHATSCOPE_SCALE_BENCH_RSS_CHILD";
/// The two search words, handed to that child.
const RSS_WORDS: &str = "WHATSCOPE_SCALE_BENCH_WORDS";

fn main() {
    if let Some(dir) = std::env::var_os(RSS_CHILD) {
        let words = std::env::var(RSS_WORDS).unwrap_or_default();
        rss_child(Path::new(&dir), &words);
        return;
    }
    if let Err(e) = run() {
        eprintln!("error: scale benchmark: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let scale = Scale::from_env()?;
    let reimport = std::env::var_os("WHATSCOPE_BENCH_REIMPORT").is_some_and(|v| v != "0");
    println!("{}", machine());
    let corpus = corpus::ensure(scale, reimport)?;
    let archive = whatscope::ops::open(&corpus.data_dir).map_err(|e| e.to_string())?;
    let docs = archive.searcher().num_docs();
    let words = Words::pick(&archive)?;
    println!(
        "archive: {docs} messages of {} generated in {} exports; rare word {:?} in {} messages, common word {:?} in {} ({:.1} %)",
        scale.messages(),
        scale.chats,
        words.rare,
        words.rare_docs,
        words.common,
        words.common_docs,
        words.common_docs as f64 * 100.0 / docs.max(1) as f64
    );
    let mut table = Table::default();
    if wanted("tui") {
        tui_figures(&mut table, &corpus.data_dir, &words);
    }
    if wanted("stats") {
        stats_figures(&mut table, &archive, &words)?;
    }
    if wanted("memory") {
        memory_figure(&mut table, &corpus.data_dir, &words)?;
    }
    if wanted("import") {
        import_figures(&mut table, &corpus, docs, &words)?;
    }
    table.print();
    Ok(())
}

/// Whether a group of figures (`tui`, `stats`, `memory`, `import`) is to be measured: all of
/// them unless some are named after `--` (`cargo bench --bench scale -- tui stats`).
fn wanted(group: &str) -> bool {
    let named: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    named.is_empty() || named.iter().any(|a| a == group)
}

// ---------------------------------------------------------------------------------------------
// Timing and the table

/// A median and the slowest of some samples, in ms of wall-clock time, and the median CPU
/// time of this process (all its threads) per sample: on a busy shared machine wall-clock
/// time also measures the other processes.
struct Timing {
    median: f64,
    max: f64,
    cpu: Option<f64>,
}

impl Timing {
    fn of(samples: &mut [f64]) -> Timing {
        samples.sort_by(f64::total_cmp);
        Timing {
            median: samples[samples.len() / 2],
            max: samples[samples.len() - 1],
            cpu: None,
        }
    }

    fn measure(runs: usize, f: impl FnMut()) -> Timing {
        Timing::measure_after(runs, || (), f)
    }

    /// [`Timing::measure`] of `f`, with `setup` run untimed before each sample.
    fn measure_after(runs: usize, mut setup: impl FnMut(), mut f: impl FnMut()) -> Timing {
        let mut cpu = Vec::with_capacity(runs);
        let mut samples: Vec<f64> = (0..runs)
            .map(|_| {
                setup();
                let c = cpu_ms();
                let wall = ms(&mut f);
                cpu.push(cpu_ms() - c);
                wall
            })
            .collect();
        cpu.sort_by(f64::total_cmp);
        Timing {
            cpu: Some(cpu[cpu.len() / 2]),
            ..Timing::of(&mut samples)
        }
    }

    fn show(&self) -> String {
        let cpu = self
            .cpu
            .map_or(String::new(), |c| format!(", CPU {}", show_ms(c)));
        format!(
            "{} (slowest {}{cpu})",
            show_ms(self.median),
            show_ms(self.max)
        )
    }
}

fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e3
}

/// CPU time of this process so far (every thread), in ms.
fn cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
}

fn show_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1e3)
    } else if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

#[derive(Default)]
struct Table {
    rows: Vec<[String; 4]>,
}

impl Table {
    fn row(&mut self, figure: &str, target: &str, measured: String, reference: &str) {
        eprintln!("{figure}: {measured}");
        self.rows.push([
            figure.to_string(),
            target.to_string(),
            measured,
            reference.to_string(),
        ]);
    }

    fn print(&self) {
        println!("\n| figure | target | measured | reference |\n|---|---|---|---|");
        for [a, b, c, d] in &self.rows {
            println!("| {a} | {b} | {c} | {d} |");
        }
    }
}

/// The machine the figures were taken on: cores, CPU model, load.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    format!(
        "machine: {cores} cores, {cpu}; load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}

// ---------------------------------------------------------------------------------------------
// The search words

/// A rare word (in about 1 message of 10 000) and a word in about 10 % of the messages, picked
/// from the index's own terms so that the figures do not depend on the generator's word list.
struct Words {
    rare: String,
    rare_docs: u64,
    common: String,
    common_docs: u64,
}

impl Words {
    fn pick(archive: &Archive) -> Result<Words, String> {
        let searcher = archive.searcher();
        let docs = searcher.num_docs() as f64;
        let mut freq: std::collections::HashMap<String, u64> = Default::default();
        for segment in searcher.segment_readers() {
            let index = segment
                .inverted_index(archive.fields.text)
                .map_err(|e| e.to_string())?;
            let mut terms = index.terms().stream().map_err(|e| e.to_string())?;
            while terms.advance() {
                let Ok(word) = std::str::from_utf8(terms.key()) else {
                    continue;
                };
                if word.len() >= 4 && word.bytes().all(|b| b.is_ascii_lowercase()) {
                    *freq.entry(word.to_string()).or_default() += u64::from(terms.value().doc_freq);
                }
            }
        }
        let nearest = |share: f64| {
            freq.iter()
                .min_by(|a, b| {
                    let d = |n: u64| (n as f64 / docs / share).ln().abs();
                    d(*a.1).total_cmp(&d(*b.1)).then(a.0.cmp(b.0))
                })
                .map(|(w, n)| (w.clone(), *n))
                .ok_or("the archive has no words")
        };
        let (rare, rare_docs) = nearest(1e-4)?;
        let (common, common_docs) = nearest(0.1)?;
        Ok(Words {
            rare,
            rare_docs,
            common,
            common_docs,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The TUI

fn tui_figures(table: &mut Table, data_dir: &Path, words: &Words) {
    let first = Timing::measure(10, || {
        let mut tui = Tui::open(data_dir);
        tui.draw();
    });
    table.row(
        "TUI first frame (open, chat list, draw)",
        "≤ 100 ms",
        first.show(),
        "",
    );

    let mut tui = Tui::open(data_dir);
    tui.key(KeyCode::Char('/'));
    // Before each sample the other word is searched (untimed): every search is a new query.
    let (mut rare_total, mut common_total) = (0, 0);
    let tui = std::cell::RefCell::new(tui);
    let rare = Timing::measure_after(
        20,
        || _ = tui.borrow_mut().search_last_key(&words.common),
        || rare_total = tui.borrow_mut().search_last_key(&words.rare),
    );
    let common = Timing::measure_after(
        20,
        || _ = tui.borrow_mut().search_last_key(&words.rare),
        || common_total = tui.borrow_mut().search_last_key(&words.common),
    );
    table.row(
        &format!(
            "results drawn after the last key, rare word `{}` ({rare_total} hits)",
            words.rare
        ),
        "≤ 50 ms",
        rare.show(),
        "",
    );
    table.row(
        &format!(
            "results drawn after the last key, common word `{}` ({common_total} hits)",
            words.common
        ),
        "≤ 100 ms",
        common.show(),
        "",
    );

    let tui = std::cell::RefCell::new(Tui::open(data_dir));
    let chats = tui.borrow().app.chats.as_ref().map_or(0, Vec::len);
    let step = (chats / 10).max(1);
    let mut next = 0;
    let sizes = std::cell::RefCell::new(Vec::new());
    let open = Timing::measure_after(
        chats.div_ceil(step),
        || {
            sizes.borrow_mut().push(tui.borrow_mut().select_chat(next));
            next += step;
        },
        || {
            let size = sizes.borrow().last().copied().unwrap_or(0);
            tui.borrow_mut().enter_chat(size);
        },
    );
    let sizes = sizes.into_inner();
    table.row(
        &format!(
            "open a chat: Enter in the chat list to its frame ({} chats of {}–{} messages)",
            sizes.len(),
            sizes.iter().min().unwrap_or(&0),
            sizes.iter().max().unwrap_or(&0)
        ),
        "≤ 16 ms",
        open.show(),
        "",
    );
    let mut tui = tui.into_inner();
    tui.open_chat(0);
    tui.key(KeyCode::Char('g'));
    tui.draw();
    let page = Timing::measure(200, || {
        tui.key(KeyCode::PageDown);
        tui.draw();
    });
    table.row(
        "a frame paging the busiest chat (PgDn)",
        "≤ 16 ms",
        page.show(),
        "",
    );
}

// ---------------------------------------------------------------------------------------------
// Statistics

fn stats_figures(table: &mut Table, archive: &Archive, words: &Words) -> Result<(), String> {
    let chat = whatscope::index::read::chats(archive)
        .map_err(|e| e.to_string())?
        .into_iter()
        .max_by_key(|c| c.messages)
        .ok_or("no chat")?;
    let owner = corpus::person_name(0);
    let person = corpus::person_name(1);
    let scopes = [
        ("stats, whole archive", "≤ 1 s", Scope::default()),
        (
            &*format!("stats, one chat ({} messages)", chat.messages),
            "≤ 300 ms",
            Scope {
                chat: Some(chat.chat.clone()),
                ..Scope::default()
            },
        ),
        (
            "stats, one person in every chat (the owner)",
            "≤ 300 ms",
            Scope {
                participant: Some(owner),
                ..Scope::default()
            },
        ),
        (
            "stats, one person in several chats",
            "≤ 300 ms",
            Scope {
                participant: Some(person),
                ..Scope::default()
            },
        ),
        (
            &*format!("stats, one query (`{}`)", words.common),
            "≤ 300 ms",
            Scope {
                query: Some(words.common.clone()),
                ..Scope::default()
            },
        ),
    ];
    for (figure, target, scope) in scopes {
        let mut messages = 0;
        let mut failed = None;
        let t = Timing::measure(5, || match compute(archive, &scope) {
            Ok(s) => messages = s.messages,
            Err(e) => failed = Some(e.to_string()),
        });
        if let Some(e) = failed {
            return Err(format!("{figure}: {e}"));
        }
        table.row(
            &format!("{figure}: {messages} picked"),
            target,
            t.show(),
            "",
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Memory while browsing, in a process of its own

fn memory_figure(table: &mut Table, data_dir: &Path, words: &Words) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .env(RSS_CHILD, data_dir)
        .env(RSS_WORDS, format!("{} {}", words.rare, words.common))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = std::io::Read::read_to_string(&mut stdout, &mut out);
    }
    let (ok, usage) = corpus::wait_with_usage(child)?;
    if !ok {
        return Err("the browsing process failed".into());
    }
    print!("{out}");
    let browsing = out
        .lines()
        .find_map(|l| l.strip_prefix("browsing peak kib "))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or("the browsing process printed no peak")?;
    table.row(
        "RSS browsing (fresh process: open, 10 chats paged, 8 searches)",
        "≤ 300 MB",
        format!(
            "peak {} (with whole-archive statistics after: {})",
            mib(browsing),
            mib(usage.peak_rss_kib)
        ),
        "",
    );
    Ok(())
}

fn mib(kib: u64) -> String {
    format!("{:.0} MB", kib as f64 / 1024.0)
}

/// The browsing process: the archive opened as the TUI does, ten chats opened and paged
/// through 30 pages each, the two words and some other queries searched, a hit opened; prints
/// its peak RSS (`VmHWM`), then adds the whole archive's statistics.
fn rss_child(data_dir: &Path, words: &str) {
    let mut tui = Tui::open(data_dir);
    tui.draw();
    let chats = tui.app.chats.as_ref().map_or(0, Vec::len);
    for i in (0..chats).step_by((chats / 10).max(1)) {
        tui.open_chat(i);
        tui.key(KeyCode::Char('g'));
        for _ in 0..30 {
            tui.key(KeyCode::PageDown);
            tui.draw();
        }
    }
    tui.key(KeyCode::Char('/'));
    let queries = words
        .split(' ')
        .chain([
            "dinner tomorrow",
            "piz*",
            "\"see you\"",
            "tomorow~",
            "birthday -cake",
        ])
        .chain(["from:\"Maya Lopez\""]);
    for q in queries.filter(|q| !q.is_empty()) {
        tui.search_last_key(q);
    }
    tui.key(KeyCode::Enter);
    tui.draw();
    println!("browsing peak kib {}", status_kib("VmHWM:"));
    println!("browsing current rss kib {}", status_kib("VmRSS:"));
    let archive = whatscope::ops::open(data_dir).expect("open archive");
    let _ = compute(&archive, &Scope::default());
}

/// A `kB` line of `/proc/self/status`.
fn status_kib(name: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Import, size and the references

fn import_figures(
    table: &mut Table,
    corpus: &Corpus,
    docs: u64,
    words: &Words,
) -> Result<(), String> {
    let run = &corpus.import;
    let age_min = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .saturating_sub(run.at)
        / 60;
    let when = if corpus.imported_now {
        "this run".to_string()
    } else {
        format!("cached: imported {age_min} min ago, `WHATSCOPE_BENCH_REIMPORT=1` to redo")
    };
    let exports = dir_bytes(&corpus.exports);
    let python = python_reference(&corpus.exports)?;
    // The 1.2× is asked of one 1 M-message export (the next figure); the folder's
    // ratio is shown beside its rate for comparison.
    table.row(
        &format!("import of the folder, end to end ({when})"),
        "≥ 200 000 messages/s",
        format!(
            "{:.1} s, {:.0} messages/s, CPU {:.1} s ({:.1}× the Python regex)",
            run.wall_secs,
            docs as f64 / run.wall_secs,
            run.cpu_secs,
            run.wall_secs / python.secs
        ),
        &format!(
            "Python regex parse: {:.1} s, {} messages, {:.1} MB/s",
            python.secs,
            python.messages,
            exports as f64 / 1e6 / python.secs
        ),
    );
    table.row("import peak RSS", "≤ 1 GB", mib(run.peak_rss_kib), "");
    one_export_figure(table)?;
    let index = dir_bytes(&corpus.data_dir);
    table.row(
        "index size / exports size",
        "≤ 1.3×",
        format!(
            "{:.0} MB / {:.0} MB = {:.2}×",
            index as f64 / 1e6,
            exports as f64 / 1e6,
            index as f64 / exports.max(1) as f64
        ),
        "",
    );
    for word in [&words.rare, &words.common] {
        table.row(
            &format!("reference: `rg -c -i {word}` over the exports"),
            "",
            rg_reference(word, &corpus.exports),
            "",
        );
    }
    Ok(())
}

/// The issue's own case: one export of 1 M messages, imported end to end into a new archive
/// (measured every run, a few seconds), beside the Python regex on the same file.
fn one_export_figure(table: &mut Table) -> Result<(), String> {
    const MESSAGES: usize = 1_000_000;
    /// Rounds of (import, Python parse), alternated: one import takes 3–4 s, and a single
    /// pair swings by a quarter with what the VM and its disk are doing at that moment.
    const ROUNDS: usize = 3;
    let folder = corpus::one_export(MESSAGES)?;
    let data_dir = folder.with_file_name("archive");
    // The figures before this one wrote an archive of up to 850 MB: let its write-back finish
    // first, so that neither side of the comparison pays for it.
    let _ = Command::new("sync").status();
    let mut runs = Vec::new();
    let mut pythons = Vec::new();
    for _ in 0..ROUNDS {
        runs.push(corpus::import_fresh(&folder, &data_dir)?);
        pythons.push(python_reference(&folder)?);
    }
    runs.sort_by(|a, b| a.wall_secs.total_cmp(&b.wall_secs));
    pythons.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let (run, python) = (&runs[ROUNDS / 2], &pythons[ROUNDS / 2]);
    table.row(
        "import of one 1 M-message export, end to end (this run; median of 3, alternated with the Python parse)",
        "≥ 200 000 messages/s, ≤ 1.2× the Python regex",
        format!(
            "{:.1} s, {:.0} messages/s, CPU {:.1} s, peak {} ({:.2}× the Python regex; runs {})",
            run.wall_secs,
            MESSAGES as f64 / run.wall_secs,
            run.cpu_secs,
            mib(run.peak_rss_kib),
            run.wall_secs / python.secs,
            runs.iter()
                .map(|r| format!("{:.2}", r.wall_secs))
                .collect::<Vec<_>>()
                .join(" / ")
        ),
        &format!(
            "Python regex parse: {:.1} s, {} messages (runs {})",
            python.secs,
            python.messages,
            pythons
                .iter()
                .map(|p| format!("{:.2}", p.secs))
                .collect::<Vec<_>>()
                .join(" / ")
        ),
    );
    Ok(())
}

/// Bytes of every file under `dir`.
fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&e.path()),
            Ok(_) => e.metadata().map_or(0, |m| m.len()),
            Err(_) => 0,
        })
        .sum()
}

struct PythonRun {
    secs: f64,
    messages: u64,
}

/// `python3 benches/reference_parse.py EXPORTS`: a bare regex parse, as the tools people use
/// do it; its wall time and the messages it found.
fn python_reference(exports: &Path) -> Result<PythonRun, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reference_parse.py");
    let t = Instant::now();
    let out = Command::new("python3")
        .arg(script)
        .arg(exports)
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    let secs = t.elapsed().as_secs_f64();
    let messages = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|_| "reference_parse.py printed no count".to_string())?;
    Ok(PythonRun { secs, messages })
}

/// `rg -c -i WORD EXPORTS` (whatscope's search ignores case too), best of 3 (a warm page cache, as whatscope's figures have).
fn rg_reference(word: &str, exports: &Path) -> String {
    let mut best = f64::INFINITY;
    let mut lines = 0u64;
    for _ in 0..3 {
        let t = Instant::now();
        let out = match Command::new("rg")
            .args(["-c", "-i"])
            .arg(word)
            .arg(exports)
            .output()
        {
            Ok(out) => out,
            Err(_) => return "not measured: rg is missing (`apt-get install ripgrep`)".into(),
        };
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
        lines = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.rsplit(':').next()?.parse::<u64>().ok())
            .sum();
    }
    format!("{} ({lines} lines)", show_ms(best))
}
