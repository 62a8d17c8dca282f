//! Writes a synthetic WhatsApp export of any size and format, seeded, for benchmarks and
//! trying whatscope on a big archive.
//!
//! `cargo run --release -p whatscope-synth --bin gen_export -- MESSAGES [STYLE] [SEED] > export.txt`
//! STYLE is one of the names `cargo run -p whatscope-synth --bin gen_export -- --styles` lists
//! (default `android-en-GB`).

use std::io::{self, Write};
use whatscope_synth::{self as synth, LineEnding};

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--styles") {
        for s in synth::all_styles() {
            println!("{}", s.name);
        }
        return Ok(());
    }
    let Some(n) = args.first().and_then(|a| a.parse::<usize>().ok()) else {
        eprintln!("usage: gen_export MESSAGES [STYLE] [SEED]   (gen_export --styles lists styles)");
        std::process::exit(2);
    };
    let style_name = args.get(1).map_or("android-en-GB", String::as_str);
    let Some(style) = synth::style_by_name(style_name) else {
        eprintln!("error: unknown style `{style_name}`; see --styles");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let ending = if style.is_ios() {
        LineEnding::IosMixed
    } else {
        LineEnding::Lf
    };
    let text = synth::generate_export(seed, n, &style, ending);
    io::stdout().lock().write_all(text.as_bytes())
}
