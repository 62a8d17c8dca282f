//! The TUI on a generated 1 M-message archive (issue 5's targets): time to first frame, a
//! frame while scrolling a 100k-message chat, search-as-you-type latency from the search to
//! the drawn results, opening and jumping into the big chat, and resident memory.
//!
//! Run: `cargo bench --bench tui`. `WHATSCOPE_BENCH_MESSAGES` sets the archive size (default
//! 1 000 000: one chat of 100 000 messages, the rest in a second chat). The setup generates and
//! imports the archive once (it prints how long that took) and removes it at the end;
//! `WHATSCOPE_BENCH_TUI_ARCHIVE=DIR` uses an archive made before instead (with a chat named
//! "Big Chat", e.g. `cargo run --release -p whatscope-synth --bin gen_export -- 100000 >
//! "WhatsApp Chat with Big Chat.txt"`, then import).
//!
//! Everything runs the code the TUI runs: `App::update`, `Backend::handle` (what the worker
//! thread does) and `view::draw` on ratatui's `TestBackend` at 120×40. The event loop's 60 ms
//! search debounce is not part of the search figure: it is a deliberate wait, not work.
//!
//! Memory: besides the RSS of this process after the setup (which includes what the import
//! left in the allocator), the benchmark re-runs itself as a fresh process that only opens the
//! archive the way the TUI does, scrolls the big chat end to end and searches, and reports its
//! peak RSS: that is the TUI's figure.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use divan::Bencher;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;
use whatscope::index::writer::{import, ImportOptions};
use whatscope::tui::app::{Effect, Event};
use whatscope_synth::{self as synth, LineEnding};

const BIG_CHAT: &str = "Big Chat";
const BIG: usize = 100_000;
/// An existing archive to use instead of generating one (it needs a chat named "Big Chat").
const EXISTING: &str = "WHATSCOPE_BENCH_TUI_ARCHIVE";
/// Set in the child process that measures the TUI's memory.
const RSS_CHILD: &str = "WHATSCOPE_TUI_BENCH_RSS_ARCHIVE";

fn main() {
    if let Some(dir) = std::env::var_os(RSS_CHILD) {
        rss_child(Path::new(&dir));
        return;
    }
    let f = fixture();
    println!(
        "setup: generated and imported {} messages ({} in {BIG_CHAT:?}) in {:.1} s",
        f.messages, f.big, f.setup_secs
    );
    println!("VmRSS of the benchmark process after the setup: {}", rss());
    match measure_tui_rss(&f.archive_dir) {
        Ok(report) => println!("{report}"),
        Err(e) => println!("TUI memory not measured: {e}"),
    }
    divan::main();
}

fn size() -> usize {
    std::env::var("WHATSCOPE_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

struct Fixture {
    _dir: Option<tempfile::TempDir>,
    archive_dir: PathBuf,
    messages: usize,
    big: usize,
    setup_secs: f64,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        if let Some(dir) = std::env::var_os(EXISTING) {
            // An archive made before (with a chat named "Big Chat"): no setup.
            let archive_dir = PathBuf::from(dir);
            let archive = whatscope::ops::open(&archive_dir).expect("open the given archive");
            let messages = archive.searcher().num_docs() as usize;
            let big = whatscope::index::read::chats(&archive)
                .expect("chats")
                .iter()
                .find(|c| c.chat == BIG_CHAT)
                .map(|c| (c.messages + c.system) as usize)
                .expect("the given archive has no chat named \"Big Chat\"");
            return Fixture {
                _dir: None,
                archive_dir,
                messages,
                big,
                setup_secs: 0.0,
            };
        }
        let start = Instant::now();
        let dir = tempfile::TempDir::new().expect("temp dir");
        let total = size().max(2);
        let big = BIG.min(total / 2).max(1);
        let exports = [
            (format!("WhatsApp Chat with {BIG_CHAT}.txt"), 11, big),
            (
                "WhatsApp Chat with The Rest.txt".to_string(),
                12,
                total - big,
            ),
        ];
        let mut paths = Vec::new();
        for (name, seed, n) in exports {
            let path = dir.path().join(name);
            let text = synth::generate_export(seed, n, &synth::android_en_gb(), LineEnding::Lf);
            std::fs::write(&path, text).expect("write export");
            paths.push(path);
        }
        let archive_dir = dir.path().join("archive");
        let archive = whatscope::ops::open_or_create(&archive_dir).expect("archive");
        let report =
            import(&archive, &paths, &ImportOptions::default(), &|_| false, &()).expect("import");
        assert_eq!(report.added as usize, total, "import lost messages");
        drop(archive);
        for p in paths {
            let _ = std::fs::remove_file(p);
        }
        Fixture {
            _dir: Some(dir),
            archive_dir,
            messages: total,
            big,
            setup_secs: start.elapsed().as_secs_f64(),
        }
    })
}

/// Resident memory of this process from `/proc/self/status`: `VmRSS` split into anonymous
/// memory (the heap) and file pages (the archive's memory-mapped files, which the kernel can
/// drop at will), and the peak `VmHWM`, in MB.
fn rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mb = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| {
                l[name.len()..]
                    .trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .map_or("n/a".to_string(), |kb| format!("{:.0} MB", kb / 1024.0))
    };
    format!(
        "{} (heap {}, mapped files {}; peak {})",
        mb("VmRSS:"),
        mb("RssAnon:"),
        mb("RssFile:"),
        mb("VmHWM:")
    )
}

/// The app on the archive, driven synchronously as in the tests (shared with the scale
/// benchmark, which uses more of it than this one does).
#[allow(dead_code)]
#[path = "support/tui.rs"]
mod driven;
use driven::Tui;

/// Opens the big chat from the chat list (the busiest, so the first).
fn open_the_big_chat(tui: &mut Tui) {
    tui.key(KeyCode::Char('1'));
    let (i, want) = tui
        .app
        .chats
        .as_ref()
        .and_then(|c| {
            let i = c.iter().position(|c| c.chat == BIG_CHAT)?;
            Some((i, (c[i].messages + c[i].system) as usize))
        })
        .expect("big chat listed");
    tui.key(KeyCode::Char('g'));
    for _ in 0..i {
        tui.key(KeyCode::Char('j'));
    }
    tui.key(KeyCode::Enter);
    assert_eq!(tui.app.conv.as_ref().map(|c| c.order.len()), Some(want));
}

/// Open the archive, make the app, load the chat list, draw: what happens between starting
/// `whatscope` and seeing something.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn first_frame(bencher: Bencher) {
    let dir = &fixture().archive_dir;
    bencher.bench_local(|| {
        let mut tui = Tui::open(dir);
        tui.draw();
        tui
    });
}

/// One `j` in the 100k-message chat (paging in messages when needed) and the redraw.
#[divan::bench(sample_count = 200)]
fn scroll_frame_j(bencher: Bencher) {
    scroll(bencher, KeyCode::Char('j'));
}

/// One `PgDn` in the 100k-message chat and the redraw.
#[divan::bench(sample_count = 200)]
fn scroll_frame_pgdn(bencher: Bencher) {
    scroll(bencher, KeyCode::PageDown);
}

fn scroll(bencher: Bencher, key: KeyCode) {
    let mut tui = Tui::open(&fixture().archive_dir);
    open_the_big_chat(&mut tui);
    tui.key(KeyCode::Char('g'));
    tui.draw();
    let last = tui.app.conv.as_ref().map_or(0, |c| c.order.len()) - 1;
    bencher.bench_local(move || {
        if tui.app.conv.as_ref().is_some_and(|c| c.sel >= last) {
            tui.key(KeyCode::Char('g'));
        }
        tui.key(key);
        tui.draw();
    });
}

/// Queries as people type them: a common word, two words, a prefix, a phrase, a fuzzy word.
const QUERIES: &[&str] = &[
    "pizza",
    "dinner tomorrow",
    "piz*",
    "\"see you\"",
    "tomorow~",
    "birthday -cake",
];

/// From the search firing (debounce over) to the results drawn: `SearchDue`, the search on
/// the worker, the reply, the frame. Each sample types the last letter of the next query.
#[divan::bench(sample_count = 60, sample_size = 1)]
fn search_as_you_type(bencher: Bencher) {
    let mut tui = Tui::open(&fixture().archive_dir);
    tui.key(KeyCode::Char('/'));
    let mut n = 0usize;
    bencher.bench_local(move || {
        let q = QUERIES[n % QUERIES.len()];
        n += 1;
        // Everything but the last letter was typed before (its searches were superseded).
        tui.app.query = q[..q.len() - 1].to_string();
        let last = q.chars().last().expect("query");
        let mut effects = tui.app.update(Event::Key(KeyEvent::new(
            KeyCode::Char(last),
            KeyModifiers::NONE,
        )));
        tui.draw();
        debug_assert!(effects.iter().any(|e| matches!(e, Effect::Debounce)));
        effects = tui.app.update(Event::SearchDue);
        tui.run(effects);
        tui.draw();
        assert!(tui.app.results.result.is_some());
    });
}

/// Enter on the big chat in the list: its 100k-message order, the first page, the frame.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn open_big_chat(bencher: Bencher) {
    let mut tui = Tui::open(&fixture().archive_dir);
    bencher.bench_local(move || {
        open_the_big_chat(&mut tui);
        tui.draw();
    });
}

/// Enter on a search result in the big chat: open it, find the query's matches in it for
/// `n`/`N`, page in around the hit, draw.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn jump_to_hit(bencher: Bencher) {
    let mut tui = Tui::open(&fixture().archive_dir);
    tui.key(KeyCode::Char('/'));
    for c in format!("pizza chat:\"{BIG_CHAT}\"").chars() {
        let _ = tui.app.update(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
    tui.key(KeyCode::Enter);
    assert!(tui.app.results.result.as_ref().is_some_and(|r| r.total > 0));
    bencher.bench_local(move || {
        tui.key(KeyCode::Char('3'));
        tui.key(KeyCode::Char('j'));
        tui.key(KeyCode::Enter);
        tui.draw();
        assert!(tui.app.conv.as_ref().is_some_and(|c| c.hit.is_some()));
    });
}

// ---------------------------------------------------------------------------------------------
// Memory, in a process of its own

fn measure_tui_rss(dir: &Path) -> Result<String, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = std::process::Command::new(exe)
        .env(RSS_CHILD, dir)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// What the TUI holds: the archive open, the chat list, the big chat scrolled from end to end
/// a page at a time, every benchmark query searched, the statistics of the big chat.
fn rss_child(dir: &Path) {
    let before = rss();
    let mut tui = Tui::open(dir);
    tui.draw();
    let first = rss();
    open_the_big_chat(&mut tui);
    let opened = rss();
    tui.key(KeyCode::Char('g'));
    let big = tui.app.conv.as_ref().map_or(0, |c| c.order.len());
    while tui.app.conv.as_ref().is_some_and(|c| c.sel + 1 < big) {
        tui.key(KeyCode::PageDown);
        tui.draw();
    }
    let scrolled = rss();
    tui.key(KeyCode::Char('/'));
    for q in QUERIES {
        tui.app.query = (*q).to_string();
        let effects = tui.app.update(Event::SearchDue);
        tui.run(effects);
        tui.draw();
    }
    tui.key(KeyCode::Enter);
    let searched = rss();
    tui.key(KeyCode::Char('2'));
    tui.key(KeyCode::Char('s'));
    tui.draw();
    let lines = [
        format!("at start:                          {before}"),
        format!("after the first frame:             {first}"),
        format!("after opening the {big}-message chat: {opened}"),
        format!("after scrolling it end to end:     {scrolled}"),
        format!(
            "after {} searches:                  {searched}",
            QUERIES.len()
        ),
        format!("after the big chat's statistics:   {}", rss()),
    ];
    println!(
        "TUI process resident memory (VmRSS):\n  {}",
        lines.join("\n  ")
    );
}
