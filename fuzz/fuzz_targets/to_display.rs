//! F3 (docs/reliability.md): the display sanitizer on arbitrary strings. The output holds no
//! control char (but `\n` in multi-line mode), no bidi or invisible format char, no grapheme
//! over the mark/byte caps and no line over the grapheme cap; sanitizing is idempotent and the
//! range-tracking path agrees with the plain one. Checks in `../oracles.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)] // each target uses one oracle of the shared file
#[path = "../oracles.rs"]
mod oracles;

fuzz_target!(|s: &str| oracles::to_display(s));
