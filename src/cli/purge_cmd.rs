//! `whatscope purge [--yes]`: the whole archive deleted.

use super::GlobalArgs;
use crate::index::archive::data_dir;
use crate::ops::purge;
use crate::output::{count, count_as};
use crate::sanitize::{to_display, Mode};

pub fn run(global: &GlobalArgs, yes: bool) -> anyhow::Result<()> {
    let dir = data_dir(global.data_dir.as_deref())?;
    let shown = to_display(&dir.display().to_string(), Mode::OneLine).into_owned();
    if crate::index::files::entries(&dir).is_empty() {
        println!("no whatscope archive in {shown}: nothing to purge");
        return Ok(());
    }
    // What is about to go, and whether another whatscope is writing to it.
    let what = match crate::ops::open(&dir) {
        Ok(archive) => {
            drop(crate::index::writer::open_writer(&archive)?);
            let chats = crate::index::read::chats(&archive)?;
            let messages: u64 = chats.iter().map(|c| c.messages + c.system).sum();
            format!(
                "{} in {}",
                count(messages, "message"),
                count(chats.len() as u64, "chat")
            )
        }
        Err(_) => "what is left of an archive".to_string(),
    };
    let question = format!(
        "Delete the whole archive in {shown} ({what}, its secret and opt-out list) for good? [y/N] "
    );
    if !yes && !super::forget_cmd::confirm(&question, "purge")? {
        println!("nothing deleted");
        return Ok(());
    }
    let done = purge::purge(&dir)?;
    println!(
        "deleted the archive in {shown} ({}){}",
        count_as(done.removed as u64, "entry", "entries"),
        if done.dir_removed {
            ", and the folder"
        } else {
            "; other files in the folder were left alone"
        }
    );
    println!(
        "note: copies outside whatscope (the original exports, backups, the disk itself) are not affected"
    );
    Ok(())
}
