//! F5 (docs/reliability.md): the header scanner on arbitrary strings. Whatever it accepts must
//! leave the body start on a character boundary inside the line, and its numbers must turn into
//! a timestamp or `None` under every date order, never a panic. Checks in `../oracles.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)] // each target uses one oracle of the shared file
#[path = "../oracles.rs"]
mod oracles;

fuzz_target!(|line: &str| oracles::header_line(line));
