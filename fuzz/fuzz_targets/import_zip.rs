//! F2: arbitrary bytes read as a zip export, through the same function `whatscope import` and
//! `parse` use for a `.zip` (`import::source::read_zip`), with tiny limits so that every size
//! and count in the input meets one. Errors are fine; panics, timeouts and runaway memory are
//! not. The reader never writes (media are only listed), so nothing can land on disk; a chat
//! text it returns goes on through decoding and parsing, as in an import.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Cursor;
use whatscope::import::{self, decode, source};

fuzz_target!(|data: &[u8]| {
    let limits = source::Limits {
        max_text_bytes: 64 << 10,
        max_zip_entries: 64,
        max_zip_ratio: 50,
    };
    let Ok(file) = source::read_zip(Cursor::new(data), "fuzz.zip", "fuzz.zip", &limits) else {
        return;
    };
    assert!(file.bytes.len() as u64 <= limits.max_text_bytes);
    assert!(file.media.len() < limits.max_zip_entries);
    for w in &file.warnings {
        assert!(whatscope::sanitize::is_terminal_safe(w), "unsafe warning {w:?}");
    }
    if let Ok(decoded) = decode::decode(file.bytes) {
        let _ = import::parse(&decoded.text, &import::ParseOptions::default());
    }
});
