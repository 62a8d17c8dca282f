//! The integration suite: one test binary (as ripgrep's `tests/integration`), so a change
//! links one executable instead of one per file. Modules follow the subsystem they test;
//! `reliability` groups the cases of docs/reliability.md by catalog letter, and every test
//! covering a catalog case carries its ID in its name (`z3_…`, `d11_…`), which
//! `reliability::catalog` checks. Shared helpers live once, in `support`.
//!
//! Run one module with `cargo test --release --test it tui_e2e::`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod bad_input;
mod cli_archive;
mod corpus;
mod first_hour;
mod huge_message;
mod layers;
mod many_exports;
mod media;
mod parser_props;
mod privacy;
mod privacy_model;
mod privacy_offline;
mod privacy_redact;
mod query;
mod reliability;
mod sanitize;
mod scale;
mod stats;
mod tui_e2e;
mod tui_open;
mod tui_safety;
mod tui_snapshots;
mod tui_state;
mod unicode;
