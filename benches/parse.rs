//! Parse throughput on a generated 1 M-message export (~85 MB), Android and iOS formats:
//! the parser alone (in memory, one core) and the whole `parse` pipeline to NDJSON.
//!
//! Run: `cargo bench --bench parse`. Set `WHATSCOPE_BENCH_MESSAGES` for another size.

use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;
use std::sync::OnceLock;
use whatscope::import::{parse, ParseOptions};
use whatscope::output::write_parsed_ndjson;
use whatscope_synth::{self as synth, LineEnding};

fn main() {
    divan::main();
}

fn size() -> usize {
    std::env::var("WHATSCOPE_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn android() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| synth::generate_export(7, size(), &synth::android_en_gb(), LineEnding::Lf))
}

fn ios() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        synth::generate_export(7, size(), &synth::ios_en_us(), LineEnding::IosMixed)
    })
}

fn parse_only(bencher: Bencher, text: &'static str) {
    bencher.counter(BytesCount::new(text.len())).bench(|| {
        let parsed = parse(divan::black_box(text), &ParseOptions::default()).expect("parses");
        divan::black_box(parsed.len())
    });
}

#[divan::bench(sample_count = 10)]
fn parse_android(bencher: Bencher) {
    parse_only(bencher, android());
}

#[divan::bench(sample_count = 10)]
fn parse_ios(bencher: Bencher) {
    parse_only(bencher, ios());
}

/// Messages per second, counted on messages rather than bytes.
#[divan::bench(sample_count = 10)]
fn parse_android_messages(bencher: Bencher) {
    let text = android();
    bencher.counter(ItemsCount::new(size())).bench(|| {
        let parsed = parse(divan::black_box(text), &ParseOptions::default()).expect("parses");
        divan::black_box(parsed.len())
    });
}

/// Parse, ids and NDJSON serialisation, as `whatscope parse` does (lines built on two
/// threads), written to a sink.
#[divan::bench(sample_count = 10)]
fn parse_to_ndjson_android(bencher: Bencher) {
    let text = android();
    bencher.counter(BytesCount::new(text.len())).bench(|| {
        let parsed = parse(text, &ParseOptions::default()).expect("parses");
        write_parsed_ndjson(&mut std::io::sink(), &parsed, "bench").expect("sink");
    });
}
