//! Statistics on a generated 1 M-message archive (10 chats of 100 k messages in different
//! formats), in-process: the whole archive, one chat, one participant, and the messages of a
//! common word (`danke`: about 11 k messages; `visa`: about 29 k). Targets (issue 4): under
//! 300 ms for the whole archive, under 100 ms for a query matching 10 k messages.
//!
//! Run: `cargo bench --bench stats`. `WHATSCOPE_BENCH_MESSAGES` sets another total size;
//! `WHATSCOPE_BENCH_QUERY` another query. Building the archive takes a minute or two.

use divan::counter::ItemsCount;
use divan::Bencher;
use std::sync::OnceLock;
use whatscope::index::archive::Archive;
use whatscope::index::read;
use whatscope::index::writer::{import, ImportOptions};
use whatscope::stats::{compute, Scope};
use whatscope_synth::{self as synth, LineEnding};

const CHATS: usize = 10;

fn main() {
    let f = fixture();
    let all = compute(&f.archive, &Scope::default()).expect("stats");
    let q = compute(&f.archive, &query_scope()).expect("stats");
    eprintln!(
        "archive: {} messages + {} system in {} chats, {} segments; query {:?} matches {} messages",
        all.messages,
        all.system,
        all.chats,
        f.archive.searcher().segment_readers().len(),
        query(),
        q.messages + q.system
    );
    cpu_report(f);
    divan::main();
}

/// CPU time of this thread per call (median of 7), printed before divan's wall-clock table:
/// on a busy shared machine wall-clock time mostly measures the other processes.
fn cpu_report(f: &Fixture) {
    #[cfg(unix)]
    {
        fn cpu_ms() -> f64 {
            let mut t = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: clock_gettime writes one timespec we own.
            unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
            t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
        }
        let scopes = [
            ("whole_archive", Scope::default()),
            (
                "one_chat",
                Scope {
                    chat: Some(f.one_chat.clone()),
                    ..Scope::default()
                },
            ),
            ("common_word_query", query_scope()),
        ];
        for (name, scope) in scopes {
            let mut times: Vec<f64> = (0..7)
                .map(|_| {
                    let t = cpu_ms();
                    divan::black_box(compute(&f.archive, &scope).expect("stats"));
                    cpu_ms() - t
                })
                .collect();
            times.sort_by(f64::total_cmp);
            eprintln!("cpu time {name}: {:.1} ms", times[3]);
        }
    }
    #[cfg(not(unix))]
    let _ = f;
}

fn size() -> usize {
    std::env::var("WHATSCOPE_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn query() -> String {
    std::env::var("WHATSCOPE_BENCH_QUERY").unwrap_or_else(|_| "danke".to_string())
}

fn query_scope() -> Scope {
    Scope {
        query: Some(query()),
        ..Scope::default()
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    archive: Archive,
    one_chat: String,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let styles = synth::all_styles();
        let mut paths = Vec::new();
        for i in 0..CHATS {
            let style = &styles[i % styles.len()];
            let path = dir.path().join(format!("WhatsApp Chat with Bench {i}.txt"));
            let text =
                synth::generate_export(100 + i as u64, size() / CHATS, style, LineEnding::Lf);
            std::fs::write(&path, text).expect("write export");
            paths.push(path);
        }
        let archive = whatscope::ops::open_or_create(&dir.path().join("archive")).expect("archive");
        import(&archive, &paths, &ImportOptions::default(), &|_| false, &()).expect("import");
        let one_chat = read::chats(&archive)
            .expect("chats")
            .into_iter()
            .next()
            .expect("a chat")
            .chat;
        Fixture {
            _dir: dir,
            archive,
            one_chat,
        }
    })
}

/// Every figure over the whole archive.
#[divan::bench(sample_count = 10)]
fn whole_archive(bencher: Bencher) {
    let f = fixture();
    bencher
        .counter(ItemsCount::new(size()))
        .bench(|| compute(&f.archive, &Scope::default()).expect("stats"));
}

/// One chat of 100 k messages.
#[divan::bench(sample_count = 10)]
fn one_chat(bencher: Bencher) {
    let f = fixture();
    let scope = Scope {
        chat: Some(f.one_chat.clone()),
        ..Scope::default()
    };
    bencher
        .counter(ItemsCount::new(size() / CHATS))
        .bench(|| compute(&f.archive, &scope).expect("stats"));
}

/// The messages of a common word, spread over every chat (so every chat is walked whole).
#[divan::bench(sample_count = 10)]
fn common_word_query(bencher: Bencher) {
    let f = fixture();
    let scope = query_scope();
    bencher.bench(|| compute(&f.archive, &scope).expect("stats"));
}

/// A more common word (about 3 % of all messages).
#[divan::bench(sample_count = 10)]
fn commoner_word_query(bencher: Bencher) {
    let f = fixture();
    let scope = Scope {
        query: Some("visa".to_string()),
        ..Scope::default()
    };
    bencher.bench(|| compute(&f.archive, &scope).expect("stats"));
}

/// One participant of one chat.
#[divan::bench(sample_count = 10)]
fn one_participant(bencher: Bencher) {
    let f = fixture();
    let chat = Scope {
        chat: Some(f.one_chat.clone()),
        ..Scope::default()
    };
    let who = compute(&f.archive, &chat).expect("stats").participants[0]
        .name
        .clone();
    let scope = Scope {
        participant: Some(who),
        ..chat
    };
    bencher.bench(|| compute(&f.archive, &scope).expect("stats"));
}
