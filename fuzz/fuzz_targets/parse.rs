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
    for date_order in [None, Some(DateOrder::Dmy), Some(DateOrder::Mdy), Some(DateOrder::Ymd)] {
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
        assert_eq!(before + spanned, parsed.physical_lines, "lines unaccounted for");
        assert!(parsed.orphan_lines.iter().all(|l| *l <= before));
        let _ = parsed.ids("chat");
        let _ = parsed.skipped_lines();
    }
});
