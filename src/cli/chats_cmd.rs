//! `whatscope chats`: every chat with its message count, participants and time span.

use super::style::Style;
use super::GlobalArgs;
use crate::index::archive::data_dir;
use crate::index::read;
use crate::output::write_json_line;
use crate::sanitize::Mode;
use std::io::Write;

pub fn run(global: &GlobalArgs, json: bool) -> anyhow::Result<()> {
    let archive = crate::ops::open(&data_dir(global.data_dir.as_deref())?)?;
    let mut chats = read::chats(&archive)?;
    if global.anonymize {
        let anon = crate::people::masks::anonymizer(&archive)?;
        for c in &mut chats {
            c.chat = anon.chat(&c.chat);
        }
        // Sorted by the names shown, so the order does not hint at the real ones.
        chats.sort_by(|a, b| a.chat.cmp(&b.chat));
    }
    let mut out = super::stdout();
    if json {
        write_json_line(&mut out, &chats)?;
        return Ok(());
    }
    let style = Style::for_stdout();
    if chats.is_empty() {
        writeln!(
            out,
            "the archive is empty: import an export with `whatscope import PATH`"
        )?;
        return Ok(());
    }
    let names: Vec<String> = chats
        .iter()
        .map(|c| style.text(&c.chat, Mode::OneLine).into_owned())
        .collect();
    let width = names
        .iter()
        .map(|n| crate::sanitize::display_width(n))
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{:<width$}  {:>9}  {:>6}  {:>12}  {:<10}  {:<10}",
            "chat", "messages", "system", "participants", "first", "last"
        ))
    )?;
    for (c, name) in chats.iter().zip(names) {
        let name = crate::sanitize::truncate_width(&name, width);
        let pad = width.saturating_sub(crate::sanitize::display_width(&name));
        let day = |t: &Option<String>| {
            t.as_deref()
                .map_or("-".to_string(), |t| t[..10.min(t.len())].to_string())
        };
        writeln!(
            out,
            "{name}{:pad$}  {:>9}  {:>6}  {:>12}  {:<10}  {:<10}",
            "",
            c.messages,
            c.system,
            c.participants,
            day(&c.first),
            day(&c.last),
        )?;
    }
    Ok(())
}
