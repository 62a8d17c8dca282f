//! F1: arbitrary bytes through decoding and parsing, as `whatscope parse` does. Errors are
//! fine; panics, timeouts and runaway memory are not. Also checks the NO-LOSS accounting:
//! messages tile the file from the first header on, and nothing else is left.

#![no_main]

use libfuzzer_sys::fuzz_target;
use whatscope::import::{self, decode, DateOrder, ParseOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = decode::decode(data.to_vec()) else {
        return;
    };
    // Every line reported as repaired holds the U+FFFD that replaced the bad input.
    let holding = lines_holding_replacement(&decoded.text);
    for l in decoded.repaired_lines.iter().chain(&decoded.nul_lines) {
        assert!(
            holding.binary_search(l).is_ok(),
            "line {l} reported as repaired holds no U+FFFD (repaired {:?}, NUL {:?}, holding {holding:?})",
            decoded.repaired_lines,
            decoded.nul_lines
        );
    }
    for date_order in [
        None,
        Some(DateOrder::Dmy),
        Some(DateOrder::Mdy),
        Some(DateOrder::Ymd),
    ] {
        let opts = ParseOptions {
            date_order,
            ..ParseOptions::default()
        };
        let Ok(parsed) = import::parse(&decoded.text, &opts) else {
            continue;
        };
        let before = parsed
            .messages
            .first()
            .map_or(parsed.physical_lines, |m| m.line - 1);
        let spanned: usize = parsed.messages.iter().map(|m| m.lines).sum();
        assert_eq!(
            before + spanned,
            parsed.physical_lines,
            "lines unaccounted for"
        );
        assert!(parsed.orphan_lines.iter().all(|l| *l <= before));
        let _ = parsed.ids("chat");
        let _ = parsed.skipped_lines();
    }
});

/// 1-based lines (ended by LF, CRLF or a lone CR) that hold a U+FFFD.
fn lines_holding_replacement(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                line += 1;
            }
            '\n' => line += 1,
            '\u{FFFD}' if out.last() != Some(&line) => out.push(line),
            _ => {}
        }
    }
    out
}
