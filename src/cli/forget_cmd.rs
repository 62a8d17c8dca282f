//! `whatscope forget --participant NAME [--yes]` and `whatscope forget --undo NAME`.

use super::{ForgetArgs, GlobalArgs};
use crate::error::UserError;
use crate::index::archive::{data_dir, Archive};
use crate::ops::forget;
use crate::sanitize::{to_display, Mode};
use std::io::{IsTerminal, Write};

pub fn run(global: &GlobalArgs, args: &ForgetArgs) -> anyhow::Result<()> {
    let archive = crate::ops::open(&data_dir(global.data_dir.as_deref())?)?;
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
    check_target(&archive, args, name, &shown, n)?;
    let question = if n > 0 {
        format!(
            "Erase {} by {shown} from the archive for good? [y/N] ",
            crate::output::count(n, "message")
        )
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
        "erased {} by {shown}: removed from the index and from whatscope's files",
        crate::output::count(done.erased, "message")
    );
    println!(
        "{shown} is {}opted out: later imports skip their messages (undo with `whatscope forget --undo NAME`)",
        if done.newly_opted_out { "now " } else { "still " }
    );
    if done.mentions > 0 {
        println!(
            "note: {} by others or system lines still name {shown}; they are not erased (they are not theirs), and --anonymize masks the name",
            crate::output::count(done.mentions, "message")
        );
    }
    if done.pending_files > 0 {
        println!(
            "note: {} held by another whatscope; they go when it closes and the archive is next changed",
            crate::output::count(done.pending_files as u64, "old index file")
        );
    }
    println!(
        "note: copies outside whatscope (the original export, backups, the disk itself) are not affected"
    );
    Ok(())
}

/// Refuses a `forget` that would do something else than the user means: a name with no
/// messages (most often a typo) unless `--opt-out-only` says so, or already opted out (a
/// repeated `forget` refreshes the entry); and `--opt-out-only` for someone whose messages
/// are in the archive, which would leave them there under an opt-out.
fn check_target(
    archive: &Archive,
    args: &ForgetArgs,
    name: &str,
    shown: &str,
    messages: u64,
) -> anyhow::Result<()> {
    if messages > 0 && args.opt_out_only {
        return Err(UserError::new(format!(
            "forget --opt-out-only: {shown} has {} in the archive",
            crate::output::count(messages, "message")
        ))
        .hint("--opt-out-only is for someone not in the archive; drop it to erase their messages and opt them out")
        .usage()
        .into());
    }
    if messages > 0 || args.opt_out_only || forget::is_opted_out(archive, name)? {
        return Ok(());
    }
    let close = forget::suggestions(archive, name)?;
    let alternative =
        "or, to keep someone not in the archive out of later imports, add --opt-out-only";
    let hint = if close.is_empty() {
        format!("no name in the archive is close; `whatscope stats` lists the participants; {alternative}")
    } else {
        let close: Vec<String> = close
            .iter()
            .map(|c| to_display(c, Mode::OneLine).into_owned())
            .collect();
        format!("the closest names: {}; {alternative}", close.join(", "))
    };
    Err(
        UserError::new(format!("forget: no messages by {shown} in the archive"))
            .hint(hint)
            .into(),
    )
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
