//! `whatscope media`: the archive's attachments (a table, or `--json` as docs/media.md
//! says), and `media save ID --output FILE` (atomically, `0600`; see `ops::media`).

use super::style::Style;
use super::{GlobalArgs, MediaArgs, MediaSaveArgs};
use crate::error::UserError;
use crate::index::archive::data_dir;
use crate::ops::export::AtomicFile;
use crate::ops::media::{self, MediaItem, MediaOptions};
use crate::output::{count, write_json_line};
use crate::sanitize::{display_width, to_display, truncate_width, Mode};
use std::collections::BTreeMap;
use std::io::Write;

pub fn run(global: &GlobalArgs, args: &MediaArgs) -> anyhow::Result<()> {
    let archive = crate::ops::open(&data_dir(global.data_dir.as_deref())?)?;
    let anonymizer = if global.anonymize {
        Some(crate::people::masks::anonymizer(&archive)?)
    } else {
        None
    };
    let opts = MediaOptions {
        chat: args.chat.clone(),
        participant: args.participant.clone(),
        media_type: args.media_type,
    };
    let items = media::list(&archive, &opts, anonymizer.as_ref())?;
    let mut out = super::stdout();
    if args.json {
        write_json_line(&mut out, &items)?;
        return Ok(());
    }
    print_table(&mut out, &items, &Style::for_stdout())?;
    out.flush()?;
    Ok(())
}

/// Per chat, one line per attachment: id, time, type, size, sender and file name; then how
/// many can be read and why the others cannot.
fn print_table(out: &mut impl Write, items: &[MediaItem], style: &Style) -> std::io::Result<()> {
    if items.is_empty() {
        return writeln!(out, "no attachments");
    }
    let mut chat: Option<&str> = None;
    for item in items {
        if chat != Some(item.chat.as_str()) {
            chat = Some(item.chat.as_str());
            writeln!(
                out,
                "{}",
                style.bold(&style.text(&item.chat, Mode::OneLine))
            )?;
        }
        let size = item.bytes.map_or("-".to_string(), human_size);
        let sender = item.sender.as_deref().map_or(String::new(), |s| {
            format!(
                "{}: ",
                style.sender(&truncate_width(&style.text(s, Mode::OneLine), 24))
            )
        });
        let file = item.attachment.as_deref().map_or_else(
            || style.dim("(left out of the export)"),
            |a| truncate_width(&to_display(a, Mode::OneLine), 60).into_owned(),
        );
        let ts = item.ts.replace('T', " ");
        let ts = ts.get(..16).unwrap_or(&ts);
        let kind = format!("{:<8}", item.media_type.as_str());
        let pad = 9usize.saturating_sub(display_width(&size));
        writeln!(
            out,
            "  {}  {ts}  {kind}  {:pad$}{size}  {sender}{file}{}",
            style.dim(&item.id),
            "",
            if item.available {
                ""
            } else {
                "  (not available)"
            }
        )?;
    }
    let available = items.iter().filter(|i| i.available).count() as u64;
    writeln!(
        out,
        "{}, {available} available",
        count(items.len() as u64, "attachment")
    )?;
    let mut reasons: BTreeMap<&str, u64> = BTreeMap::new();
    for why in items.iter().filter_map(|i| i.why.as_deref()) {
        *reasons.entry(why).or_default() += 1;
    }
    for (why, n) in reasons {
        writeln!(
            out,
            "  not available ({n}): {}",
            to_display(why, Mode::OneLine)
        )?;
    }
    Ok(())
}

/// `1.2 MiB`, `340 KiB`, `12 B`.
fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= KIB {
        format!("{} KiB", bytes.div_ceil(KIB))
    } else {
        format!("{bytes} B")
    }
}

/// `media save ID --output FILE`: the attachment's bytes, through a `0600` temp file renamed
/// over FILE once whole (a failure leaves no partial file).
pub fn save(global: &GlobalArgs, args: &MediaSaveArgs) -> anyhow::Result<()> {
    if global.anonymize {
        return Err(
            UserError::new("media save: the anonymized view opens no attachment")
                .hint("run it without --anonymize")
                .usage()
                .into(),
        );
    }
    let archive = crate::ops::open(&data_dir(global.data_dir.as_deref())?)?;
    let attachment = media::find(&archive, &args.id)?;
    // Checked before the output file is made: an unavailable attachment leaves nothing.
    media::export_of(&attachment)?;
    let mut file = AtomicFile::create(&args.output)?;
    let written = media::copy(&attachment, &mut file)?;
    file.commit().map_err(|e| {
        UserError::new(format!("cannot write {}: {e}", args.output.display()))
            .hint("check the folder is writable and has space")
    })?;
    eprintln!(
        "saved {} ({}) to {}",
        to_display(
            attachment.message.attachment.as_deref().unwrap_or(""),
            Mode::OneLine
        ),
        human_size(written),
        to_display(&args.output.display().to_string(), Mode::OneLine)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_size(12), "12 B");
        assert_eq!(human_size(2048), "2 KiB");
        assert_eq!(human_size(3 << 20), "3.0 MiB");
    }
}
