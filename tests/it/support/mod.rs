//! Everything the suite's modules share, each defined once: running the real binary in a temp
//! data dir (`bin`), a test in a process of its own (`alone`), the inputs (`fixtures`), checks on files and bytes (`files`), the proptest
//! configuration (`props`), the peak memory of a child (`rss`), the real TUI in a tmux server
//! (`tmux`) and the in-process TUI driver on ratatui's `TestBackend` (`tui`).

pub mod alone;
pub mod bin;
pub mod files;
pub mod fixtures;
pub mod props;
pub mod rss;
pub mod tmux;
pub mod tui;
