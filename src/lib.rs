//! whatscope: WhatsApp exports turned into a private, searchable, measurable archive.
//!
//! The library holds everything (parsing, the archive, statistics, privacy, the TUI); the
//! binary is a thin CLI over it, so tests and benchmarks call the same code users run.

pub(crate) mod cli;
pub use cli::run;
pub mod error;
pub(crate) mod faults;
pub(crate) mod fold;
pub mod import;
pub mod index;
pub(crate) mod invisible;
pub mod model;
pub mod ops;
pub mod output;
pub(crate) mod panic_report;
pub mod people;
pub mod privacy;
pub(crate) mod process;
pub mod sanitize;
pub mod stats;
pub mod textscan;
pub mod timestamp;
pub mod tui;
