//! `whatscope import`: exports into the archive, with a progress bar on a terminal and the
//! report of SPEC §3.

use super::{GlobalArgs, ImportArgs};
use crate::index::archive::{data_dir, Archive};
use crate::index::writer::{self, ImportOptions, ImportReport, Progress};
use crate::output::write_json_line;
use crate::sanitize::{to_display, Mode};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal, Write};

struct Bar(ProgressBar);

impl Progress for Bar {
    fn file(&self, display: &str, messages: u64) {
        self.0.set_length(messages);
        self.0.set_position(0);
        self.0
            .set_message(to_display(display, Mode::OneLine).into_owned());
    }
    fn advance(&self, messages: u64) {
        self.0.inc(messages);
    }
}

pub fn run(global: &GlobalArgs, args: &ImportArgs) -> anyhow::Result<()> {
    let dir = data_dir(global.data_dir.as_deref())?;
    let archive = Archive::open_or_create(&dir)?;
    let opts = ImportOptions {
        chat: args.read.chat.clone(),
        parse: args.read.parse_options(),
        limits: args.read.limits(),
        max_message_bytes: usize::try_from(args.max_message_kib << 10).unwrap_or(usize::MAX),
    };
    let skip = crate::privacy_hooks::opted_out(&archive)?;
    let bar = if io::stderr().is_terminal() && !args.json {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg:.dim} [{bar:30}] {pos}/{len} messages ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Some(Bar(bar))
    } else {
        None
    };
    let progress: &dyn Progress = match &bar {
        Some(b) => b,
        None => &(),
    };
    let report = writer::import(&archive, &args.paths, &opts, &*skip, progress)?;
    if let Some(b) = &bar {
        b.0.finish_and_clear();
    }

    let mut out = super::stdout();
    if args.json {
        write_json_line(&mut out, &report)?;
    } else {
        print_report(&mut out, &report)?;
    }
    for f in &report.files {
        super::warn(&f.warnings);
    }
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
            "{path}\n  chat: {}\n  format: {} (date order {}: {})\n  {} messages: {} added, {} already in the archive{}",
            to_display(&f.chat, Mode::OneLine),
            f.format,
            f.date_order,
            f.date_order_reason,
            f.messages,
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
    let files = report.files.iter().filter(|f| f.error.is_none()).count();
    writeln!(
        out,
        "imported {} file{}: {} messages added, {} duplicates skipped",
        files,
        if files == 1 { "" } else { "s" },
        report.added,
        report.duplicates
    )
}
