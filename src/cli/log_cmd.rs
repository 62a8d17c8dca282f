//! `whatscope log`: a chat in time order, a page at a time.

use super::style::{message_line, Style};
use super::{GlobalArgs, LogArgs};
use crate::error::UserError;
use crate::index::archive::data_dir;
use crate::index::read;
use crate::index::schema::ts_to_secs;
use crate::output::{write_json_line, MessageOut};
use crate::sanitize::Mode;
use crate::timestamp::parse_time;
use std::io::{BufWriter, Write};

pub fn run(global: &GlobalArgs, args: &LogArgs) -> anyhow::Result<()> {
    let archive = crate::ops::open(&data_dir(global.data_dir.as_deref())?)?;
    let chat = read::resolve_chat(&archive, &args.chat)?;
    let after = match &args.after {
        Some(s) => Some(ts_to_secs(&parse_time(s).ok_or_else(|| {
            UserError::new(format!("--after: `{s}` is not a date"))
                .hint("use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS")
        })?)),
        None => None,
    };
    let mut messages = read::log(&archive, &chat, after, args.limit, args.offset)?;
    if global.anonymize {
        let anon = crate::people::masks::anonymizer(&archive)?;
        for m in &mut messages {
            anon.message(&mut m.message);
        }
    }
    let mut out = BufWriter::new(super::stdout());
    if args.json {
        for m in &messages {
            let m = &m.message;
            write_json_line(&mut out, &MessageOut::from(m))?;
        }
        out.flush()?;
        return Ok(());
    }
    let style = Style::for_stdout();
    let mut day = String::new();
    for m in &messages {
        let m = &m.message;
        if m.ts.get(..10) != Some(day.as_str()) {
            day = m.ts.get(..10).unwrap_or("").to_string();
            writeln!(out, "{}", style.bold(&format!("── {day} ──")))?;
        }
        let body = style.text(&m.text, Mode::MultiLine);
        let body = body.replace('\n', "\n       ");
        writeln!(out, "{}", message_line(&style, m, false, &body))?;
    }
    out.flush()?;
    Ok(())
}
