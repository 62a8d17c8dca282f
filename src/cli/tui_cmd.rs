//! `whatscope` / `whatscope tui` on the archive, and `whatscope demo` on the bundled demo chats.

use super::GlobalArgs;
use crate::error::UserError;
use crate::index::archive::{data_dir, Archive};
use crate::index::writer::{self, ImportOptions};
use crate::tui::{self, Options};
use std::path::{Path, PathBuf};

pub fn run_tui(global: &GlobalArgs, anonymize: bool) -> anyhow::Result<()> {
    let dir = data_dir(global.data_dir.as_deref())?;
    let archive = crate::ops::open_or_create(&dir)?;
    tui::run(
        archive,
        Options {
            anonymize,
            greeting: None,
        },
    )?;
    Ok(())
}

/// The demo exports, built into the binary so `whatscope demo` works from anywhere.
const DEMO: &[(&str, &str)] = &[
    (
        "WhatsApp Chat with Family Rivera.txt",
        include_str!("../../assets/demo/WhatsApp Chat with Family Rivera.txt"),
    ),
    (
        "WhatsApp Chat mit Lukas.txt",
        include_str!("../../assets/demo/WhatsApp Chat mit Lukas.txt"),
    ),
    (
        "WhatsApp Chat - Lisbon Cycling Club.txt",
        include_str!("../../assets/demo/WhatsApp Chat - Lisbon Cycling Club.txt"),
    ),
    (
        "Chat de WhatsApp con Coro Voces del Sur.txt",
        include_str!("../../assets/demo/Chat de WhatsApp con Coro Voces del Sur.txt"),
    ),
];

/// The demo's export with media (made by `scripts/make-demo-media`): imported from the
/// demo's temporary folder, so `media` and the TUI's `o` read it there while the demo runs.
const DEMO_MEDIA: (&str, &[u8]) = (
    "WhatsApp Chat with Media Demo.zip",
    include_bytes!("../../assets/demo/WhatsApp Chat with Media Demo.zip"),
);

/// A temporary folder removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Imports the demo chats into a fresh archive under `dir`; returns how many messages.
pub fn build_demo_archive(dir: &Path) -> anyhow::Result<(Archive, u64)> {
    let exports = dir.join("exports");
    crate::index::files::create_private_dir(&exports)?;
    let mut paths = Vec::new();
    for (name, text) in DEMO {
        let path = exports.join(name);
        std::fs::write(&path, text)
            .map_err(|e| UserError::new(format!("cannot write the demo chats: {e}")))?;
        paths.push(path);
    }
    let (name, zip) = DEMO_MEDIA;
    let path = exports.join(name);
    std::fs::write(&path, zip)
        .map_err(|e| UserError::new(format!("cannot write the demo chats: {e}")))?;
    paths.push(path);
    let archive = crate::ops::open_or_create(&dir.join("archive"))?;
    let report = writer::import(&archive, &paths, &ImportOptions::default(), &|_| false, &())?;
    Ok((archive, report.added))
}

/// The demo's size as the chat list counts it: messages (with a sender) and system lines
/// apart, as `chats` and `stats` count them.
fn demo_counts(archive: &Archive) -> Result<String, crate::index::Error> {
    let chats = crate::index::read::chats(archive)?;
    let messages: u64 = chats.iter().map(|c| c.messages).sum();
    let system: u64 = chats.iter().map(|c| c.system).sum();
    let t = crate::output::thousands;
    Ok(format!(
        "{} messages and {} system lines in {} chats",
        t(messages),
        t(system),
        chats.len()
    ))
}

pub fn run_demo(anonymize: bool, no_tui: bool) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("whatscope-demo-{}", std::process::id()));
    let tmp = TempDir(dir.clone());
    let (archive, _) = build_demo_archive(&dir)?;
    let counts = demo_counts(&archive)?;
    if no_tui {
        println!(
            "demo archive with {counts} in {}; try: whatscope --data-dir {} search pizza",
            dir.join("archive").display(),
            dir.join("archive").display()
        );
        std::mem::forget(tmp);
        return Ok(());
    }
    tui::run(
        archive,
        Options {
            anonymize,
            greeting: Some(format!(
                "demo: {counts} (made up) · Enter opens a chat · / searches · s statistics · ? help"
            )),
        },
    )?;
    drop(tmp);
    Ok(())
}
