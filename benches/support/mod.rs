//! Shared by the scale benchmark (`benches/scale.rs`): the cached generated archive and the
//! TUI driven without a terminal.

pub mod corpus;
pub mod tui;
