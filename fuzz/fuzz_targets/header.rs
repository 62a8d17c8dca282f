//! F5: the header scanner on arbitrary strings. Whatever it accepts must leave the body start
//! on a character boundary inside the line, and its numbers must turn into a timestamp or
//! `None` under every date order, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use whatscope::import::{dates, header, DateOrder};

fuzz_target!(|line: &str| {
    let Some(h) = header::scan(line) else {
        return;
    };
    assert!(h.body_start <= line.len(), "body starts past the line");
    assert!(
        line.is_char_boundary(h.body_start),
        "body starts inside a character"
    );
    for order in [DateOrder::Dmy, DateOrder::Mdy, DateOrder::Ymd] {
        if let Some(ts) = dates::timestamp(&h, order) {
            assert_eq!(dates::format_ts(&ts).len(), 19);
        }
    }
});
