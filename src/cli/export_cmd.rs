//! `whatscope export`: NDJSON or CSV for other tools, or a person's access export; to stdout
//! or atomically to `--output FILE` (see `ops::export`).

use super::{ExportArgs, GlobalArgs};
use crate::error::UserError;
use crate::index::archive::data_dir;
use crate::ops::export::{
    export, summary_path, write_summary_line, AtomicFile, CsvCells, ExportOptions, Format,
};
use crate::sanitize::{to_display, Mode};
use std::io::{BufWriter, IsTerminal, Write};

pub fn run(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<()> {
    let archive = crate::ops::open(&data_dir(global.data_dir.as_deref())?)?;
    let opts = ExportOptions {
        format: args.format,
        chat: args.chat.clone(),
        participant: args.participant.clone(),
        query: args.query.clone(),
        anonymize: global.anonymize,
        cells: CsvCells {
            formula_guard: !args.no_formula_guard,
            // Only a terminal interprets control characters; a file or pipe gets exact bytes.
            for_terminal: args.output.is_none() && std::io::stdout().is_terminal(),
        },
    };
    if args.no_formula_guard && args.format != Format::Csv {
        return Err(
            UserError::new("--no-formula-guard applies to --format csv only")
                .hint("NDJSON keeps every text exact already; drop --no-formula-guard")
                .into(),
        );
    }
    if args.participant.is_some() && args.output.is_none() && args.format == Format::Csv {
        return Err(UserError::new(
            "export --participant --format csv needs --output FILE",
        )
        .hint("the summary of what the archive holds about them goes beside it, as FILE.summary.json; on stdout, use --format ndjson")
        .into());
    }
    let report = match &args.output {
        Some(path) => {
            let mut file = AtomicFile::create(path)?;
            let report = export(&archive, &opts, &mut file)?;
            if let Some(summary) = &report.summary {
                let mut side = AtomicFile::create(&summary_path(path))?;
                write_summary_line(&mut side, summary)?;
                side.commit()?;
            }
            file.commit()?;
            let shown = to_display(&path.display().to_string(), Mode::OneLine).into_owned();
            eprintln!(
                "exported {} to {shown}{}",
                crate::output::count(report.messages, "message"),
                if report.summary.is_some() {
                    format!(" (summary in {shown}.summary.json)")
                } else {
                    String::new()
                }
            );
            report
        }
        None => {
            let mut out = BufWriter::new(super::stdout());
            let report = export(&archive, &opts, &mut out)?;
            if let Some(summary) = &report.summary {
                write_summary_line(&mut out, summary)?;
            }
            out.flush()?;
            report
        }
    };
    for note in &report.notes {
        eprintln!("note: {}", to_display(note, Mode::OneLine));
    }
    Ok(())
}
