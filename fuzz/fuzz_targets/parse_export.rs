//! F1 (docs/reliability.md): arbitrary bytes through encoding detection and parsing, as
//! `whatscope parse` does. Errors are fine; panics, timeouts and runaway memory are not. The
//! checks live in `../oracles.rs`, which `tests/it/reliability/fuzz_props.rs` replays in CI.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)] // each target uses one oracle of the shared file
#[path = "../oracles.rs"]
mod oracles;

fuzz_target!(|data: &[u8]| oracles::parse_export(data));
