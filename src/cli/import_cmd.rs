//! `whatscope import`: exports into the archive, with a progress bar on a terminal and the
//! report of docs/cli.md.

use super::{GlobalArgs, ImportArgs};
use crate::index::archive::{data_dir, Archive};
use crate::index::writer::{self, ImportOptions, ImportReport};
use crate::output::{count, write_json_line};
use crate::sanitize::{to_display, Mode};
use progress::CliProgress;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

mod progress;

/// Ctrl-C during an import: the first one asks the import to stop before it saves anything
/// (the import commits once, at its end, so stopping before that leaves the archive as it
/// was); a second one stops at once, which leaves it as it was too (only a commit changes it).
mod interrupt {
    use std::sync::atomic::{AtomicBool, Ordering};

    static REQUESTED: AtomicBool = AtomicBool::new(false);

    pub const STOPPED_AT_ONCE: &str =
        "error: import interrupted: stopped at once; the archive was left as it was last saved\n";

    /// Whether Ctrl-C was pressed since [`install`].
    pub fn requested() -> bool {
        REQUESTED.load(Ordering::Relaxed)
    }

    /// What Ctrl-C does: the first one only sets the flag; the second writes one line and
    /// exits at once.
    #[cfg(unix)]
    fn on_sigint() {
        if REQUESTED.swap(true, Ordering::Relaxed) {
            // SAFETY: write(2) is async-signal-safe, and the buffer is a static string.
            unsafe {
                libc::write(2, STOPPED_AT_ONCE.as_ptr().cast(), STOPPED_AT_ONCE.len());
            }
            signal_hook::low_level::exit(crate::error::EXIT_INTERRUPTED);
        }
    }

    /// Takes over SIGINT for the rest of the process (the import is all it does).
    pub fn install() {
        #[cfg(unix)]
        {
            // SAFETY: `on_sigint` only touches an atomic, then write and _exit, all
            // async-signal-safe: no allocation, no lock.
            let installed =
                unsafe { signal_hook::low_level::register(signal_hook::consts::SIGINT, on_sigint) };
            // Without the handler Ctrl-C ends the import by the default action: still before
            // anything is saved, so the archive stays as it was.
            let _ = installed;
        }
    }
}

pub fn run(global: &GlobalArgs, args: &ImportArgs) -> anyhow::Result<()> {
    let dir = data_dir(global.data_dir.as_deref())?;
    let new_archive = !Archive::exists(&dir);
    let made_from = first_missing_ancestor(&dir);
    let archive = crate::ops::open_or_create(&dir)?;
    let (result, saved) = import_and_report(&archive, args);
    if new_archive && !saved && result.is_err() {
        // A failed first import leaves no archive behind (issue 13 A6).
        drop(archive);
        discard_new_archive(&dir, made_from.as_deref());
    }
    result
}

/// The topmost folder of `dir`'s path that does not exist yet (the first one creating the
/// archive makes); `None` when `dir` exists.
fn first_missing_ancestor(dir: &Path) -> Option<PathBuf> {
    let mut missing = None;
    let mut at = Some(dir);
    while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing = Some(d.to_path_buf());
        at = d.parent();
    }
    missing
}

/// Removes an archive this import created and saved nothing into: whatscope's own entries,
/// then each folder it made, up to `made_from`, while empty. Not while another whatscope
/// is writing to it, nor once it holds anything (two first imports at once: the other one
/// goes on).
fn discard_new_archive(dir: &Path, made_from: Option<&Path>) {
    let Ok(archive) = crate::ops::open(dir) else {
        return;
    };
    let idle = writer::wait_for_writer(&archive, std::time::Duration::ZERO);
    let Ok(Some(lock)) = idle else {
        return;
    };
    if archive.searcher().num_docs() > 0 {
        return;
    }
    drop(lock);
    drop(archive);
    for entry in crate::index::files::entries(dir) {
        let _ = if entry.is_dir() {
            std::fs::remove_dir_all(&entry)
        } else {
            std::fs::remove_file(&entry)
        };
    }
    let Some(top) = made_from else {
        return;
    };
    let mut at = Some(dir);
    while let Some(d) = at {
        if std::fs::remove_dir(d).is_err() || d == top {
            return;
        }
        at = d.parent();
    }
}

/// Imports and prints the report; also says whether any file went into the archive.
fn import_and_report(archive: &Archive, args: &ImportArgs) -> (anyhow::Result<()>, bool) {
    let report = match import(archive, args) {
        Ok(report) => report,
        Err(e) => return (Err(e), false),
    };
    let saved = report.files.iter().any(|f| f.error.is_none());
    (finish(&report, args), saved)
}

fn import(archive: &Archive, args: &ImportArgs) -> anyhow::Result<ImportReport> {
    let opts = ImportOptions {
        chat: args.read.chat.clone(),
        parse: args.read.parse_options(),
        limits: args.read.limits(),
        max_message_bytes: usize::try_from(args.max_message_kib << 10).unwrap_or(usize::MAX),
    };
    let skip = crate::ops::import::opted_out(archive)?;
    let progress = CliProgress::new(
        io::stderr().is_terminal() && !args.json,
        interrupt::requested,
    );
    interrupt::install();
    let result = writer::import(archive, &args.paths, &opts, &*skip, &progress);
    progress.finish();
    let report = result?;
    crate::people::restore_forgotten_merges(archive)?;
    Ok(report)
}

/// Prints the report and warnings; an error when a file failed or nothing was found.
fn finish(report: &ImportReport, args: &ImportArgs) -> anyhow::Result<()> {
    let mut out = super::stdout();
    if args.json {
        write_json_line(&mut out, report)?;
    } else {
        print_report(&mut out, report)?;
    }
    out.flush()?;
    super::warn(&report.warnings);
    for f in &report.files {
        super::warn(&f.warnings);
    }
    if report.files.is_empty() {
        let searched: Vec<String> = args
            .paths
            .iter()
            .map(|p| to_display(&p.display().to_string(), Mode::OneLine).into_owned())
            .collect();
        return Err(crate::error::UserError::new(format!(
            "no chat exports found in {}",
            searched.join(", ")
        ))
        .hint("whatscope imports the .txt or .zip files of WhatsApp's \"Export chat\" (folders are searched for them)")
        .into());
    }
    let empty: Vec<String> = report
        .no_exports_in
        .iter()
        .map(|d| format!("no chat exports found in {d}"))
        .collect();
    super::warn(&empty);
    let failed: Vec<&crate::index::writer::FileReport> =
        report.files.iter().filter(|f| f.error.is_some()).collect();
    match failed.as_slice() {
        [] => Ok(()),
        [one] => {
            let err = crate::error::UserError::new(one.error.clone().unwrap_or_default());
            Err(anyhow::anyhow!(match &one.hint {
                Some(h) => err.hint(h.clone()),
                None => err,
            }))
        }
        many => Err(anyhow::anyhow!(crate::error::UserError::new(format!(
            "{} files could not be imported (see above)",
            many.len()
        )))),
    }
}

fn print_report(out: &mut impl Write, report: &ImportReport) -> io::Result<()> {
    for f in &report.files {
        let path = to_display(&f.path, Mode::OneLine);
        if let Some(err) = &f.error {
            writeln!(out, "{path}: failed: {}", to_display(err, Mode::OneLine))?;
            continue;
        }
        writeln!(
            out,
            "{path}\n  chat: {} ({})\n  format: {} (date order {}: {})\n  {}: {} added, {} already in the archive{}",
            to_display(&f.chat, Mode::OneLine),
            f.chat_name_from.map_or("", |from| from.describe()),
            f.format,
            f.date_order,
            f.date_order_reason,
            count(f.messages, "message"),
            f.added,
            f.duplicates,
            if f.opted_out > 0 {
                format!(", {} skipped (opted out)", f.opted_out)
            } else {
                String::new()
            }
        )?;
        if !f.skipped_lines.is_empty() {
            writeln!(
                out,
                "  not understood: {}",
                crate::import::line_list(&f.skipped_lines)
            )?;
        }
    }
    if report.files.is_empty() {
        // Nothing to sum up: the error says what was searched.
        return Ok(());
    }
    let files = report.files.iter().filter(|f| f.error.is_none()).count();
    writeln!(
        out,
        "imported {}: {} added, {} skipped",
        count(files as u64, "file"),
        count(report.added, "message"),
        count(report.duplicates, "duplicate"),
    )
}
