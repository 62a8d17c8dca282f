//! `whatscope forget --participant NAME [--yes]` and `whatscope forget --undo NAME`.

use super::{ForgetArgs, GlobalArgs};
use crate::error::UserError;
use crate::index::archive::{data_dir, Archive};
use crate::privacy::forget;
use crate::sanitize::{to_display, Mode};
use std::io::{IsTerminal, Write};

pub fn run(global: &GlobalArgs, args: &ForgetArgs) -> anyhow::Result<()> {
    let archive = Archive::open(&data_dir(global.data_dir.as_deref())?)?;
    if let Some(name) = &args.undo {
        let shown = to_display(name, Mode::OneLine);
        if forget::undo(&archive, name)? {
            println!(
                "{shown} is no longer opted out: importing an export that holds their messages brings them back"
            );
            return Ok(());
        }
        return Err(UserError::new(format!("{shown} is not opted out"))
            .hint("give the name exactly as it was forgotten (any case and spacing)")
            .into());
    }
    let Some(name) = &args.participant else {
        return Err(UserError::new("forget: say whom")
            .hint("whatscope forget --participant NAME")
            .into());
    };
    let spellings = forget::spellings(&archive, name)?;
    // The name as the archive spells it, when it has it.
    let shown = to_display(spellings.first().unwrap_or(name), Mode::OneLine).into_owned();
    let n = forget::count_messages(&archive, &spellings)?;
    if n == 0 {
        let close = forget::suggestions(&archive, name)?;
        if !close.is_empty() {
            super::warn(&[format!(
                "no messages by {shown}; did you mean: {}?",
                close.join(", ")
            )]);
        }
    }
    let question = if n > 0 {
        format!("Erase {n} messages by {shown} from the archive for good? [y/N] ")
    } else {
        format!(
            "{shown} has no messages in the archive. Record them as opted out, so that later imports skip them? [y/N] "
        )
    };
    if !args.yes && !confirm(&question, "forget")? {
        println!("nothing erased");
        return Ok(());
    }
    let done = forget::forget(&archive, name)?;
    println!(
        "erased {} message{} by {shown}: removed from the index and from whatscope's files",
        done.erased,
        if done.erased == 1 { "" } else { "s" }
    );
    println!(
        "{shown} is {}opted out: later imports skip their messages (undo with `whatscope forget --undo NAME`)",
        if done.newly_opted_out { "now " } else { "still " }
    );
    if done.mentions > 0 {
        println!(
            "note: {} message{} by others or system lines still name {shown}; they are not erased (they are not theirs), and --anonymize masks the name",
            done.mentions,
            if done.mentions == 1 { "" } else { "s" }
        );
    }
    if done.pending_files > 0 {
        println!(
            "note: {} old index files are held by another whatscope; they go when it closes and the archive is next changed",
            done.pending_files
        );
    }
    println!(
        "note: copies outside whatscope (the original export, backups, the disk itself) are not affected"
    );
    Ok(())
}

/// Asks a yes/no question on the terminal (default no); without a terminal, refuses with a
/// hint to pass `--yes`.
pub(super) fn confirm(question: &str, command: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(UserError::new(format!(
            "{command} needs a confirmation, and there is no terminal to ask on"
        ))
        .hint(format!(
            "run it on a terminal, or add --yes to {command} without asking"
        ))
        .into());
    }
    let mut err = std::io::stderr().lock();
    write!(err, "{question}")?;
    err.flush()?;
    drop(err);
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(matches!(line.trim().to_lowercase().as_str(), "y" | "yes"))
}
