//! `whatscope secret reset [--yes]`: a new archive secret, the one explicit way to go on
//! after `secret.key` is lost (issue 13 A3). Nothing makes one silently: every command that
//! needs it refuses without it (see `privacy::secret::require`).

use super::GlobalArgs;
use crate::error::UserError;
use crate::index::archive::{data_dir, Archive};
use crate::privacy::optout::OptOut;
use crate::privacy::secret::{self, RESET_COST};
use crate::sanitize::{to_display, Mode};

pub fn reset(global: &GlobalArgs, yes: bool) -> anyhow::Result<()> {
    let dir = data_dir(global.data_dir.as_deref())?;
    let shown = to_display(&dir.display().to_string(), Mode::OneLine).into_owned();
    if !Archive::exists(&dir) {
        return Err(UserError::new(format!("no archive in {shown}"))
            .hint("a new archive gets its secret when it is made (`whatscope import PATH`)")
            .into());
    }
    let archive = crate::ops::open(&dir)?;
    // Not while another whatscope imports or forgets with the old secret.
    let writer = crate::index::writer::open_writer(&archive)?;
    let lost = secret::load(&dir)?.is_none();
    let question = format!(
        "Make a new secret for the archive in {shown}{}? {RESET_COST}. [y/N] ",
        if lost {
            ""
        } else {
            ", replacing the one it has"
        }
    );
    if !yes && !super::forget_cmd::confirm(&question, "secret reset")? {
        println!("nothing changed");
        return Ok(());
    }
    secret::reset(&dir)?;
    drop(writer);
    println!("made a new secret for the archive in {shown}: every pseudonym has changed");
    let opted_out = OptOut::load(&dir)?.len();
    if opted_out > 0 {
        println!(
            "note: the {} made with the old secret no longer {} anyone: \
             forget those people again by name (`whatscope forget --participant NAME`) before the next import",
            crate::output::count(opted_out as u64, "opt-out"),
            crate::output::plural_of(opted_out as u64, "recognises", "recognise"),
        );
    }
    Ok(())
}
