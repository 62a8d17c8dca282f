//! The archive on a generated 1 M-message export (~85 MB): import end to end, and search
//! latency for the query shapes people use, in-process.
//!
//! Run: `cargo bench --bench archive`. `WHATSCOPE_BENCH_MESSAGES` sets another size.
//! The import benchmark writes a fresh archive per sample (a few seconds each).

use divan::counter::ItemsCount;
use divan::Bencher;
use std::path::PathBuf;
use std::sync::OnceLock;
use whatscope::index::archive::Archive;
use whatscope::index::search::{search, SortOrder};
use whatscope::index::writer::{import, ImportOptions};
use whatscope_synth::{self as synth, LineEnding};

/// The allocator the `whatscope` binary runs with (src/main.rs), so these figures are its.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn size() -> usize {
    std::env::var("WHATSCOPE_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

struct Fixture {
    _dir: tempfile::TempDir,
    export: PathBuf,
    archive: Archive,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let export = dir.path().join("WhatsApp Chat with Bench.txt");
        let text = synth::generate_export(7, size(), &synth::android_en_gb(), LineEnding::Lf);
        std::fs::write(&export, text).expect("write export");
        let archive = whatscope::ops::open_or_create(&dir.path().join("archive")).expect("archive");
        import(
            &archive,
            std::slice::from_ref(&export),
            &ImportOptions::default(),
            &|_| false,
            &(),
        )
        .expect("import");
        Fixture {
            _dir: dir,
            export,
            archive,
        }
    })
}

/// Import of the whole export into a new archive: parse, index, one commit.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn import_1m(bencher: Bencher) {
    let f = fixture();
    bencher
        .counter(ItemsCount::new(size()))
        .with_inputs(|| {
            let dir = tempfile::TempDir::new().expect("temp dir");
            let archive = whatscope::ops::open_or_create(&dir.path().join("a")).expect("archive");
            (dir, archive)
        })
        .bench_local_values(|(dir, archive)| {
            let report = import(
                &archive,
                std::slice::from_ref(&f.export),
                &ImportOptions::default(),
                &|_| false,
                &(),
            )
            .expect("import");
            assert_eq!(report.added as usize, size());
            drop(archive);
            dir
        });
}

fn query(bencher: Bencher, q: &str) {
    let f = fixture();
    bencher.bench(|| {
        let r = search(&f.archive, divan::black_box(q), 20, SortOrder::Relevance).expect("search");
        divan::black_box(r.total)
    });
}

#[divan::bench(sample_count = 200)]
fn search_rare_word(b: Bencher) {
    query(b, "icon");
}

#[divan::bench(sample_count = 200)]
fn search_common_word(b: Bencher) {
    query(b, "haha");
}

#[divan::bench(sample_count = 200)]
fn search_phrase(b: Bencher) {
    query(b, "\"wait forget\"");
}

#[divan::bench(sample_count = 200)]
fn search_from_and_date(b: Bencher) {
    query(b, "from:kofi after:2020-01-01 before:2021-01-01");
}

#[divan::bench(sample_count = 200)]
fn search_prefix(b: Bencher) {
    query(b, "piz*");
}

#[divan::bench(sample_count = 200)]
fn search_fuzzy(b: Bencher) {
    query(b, "pizzza~");
}
