//! `whatscope search`: the query language over the archive, as JSON or readable text.

use super::style::{message_line, Style};
use super::{GlobalArgs, SearchArgs};
use crate::index::archive::{data_dir, Archive};
use crate::index::search::{search_with_names, MARK_CLOSE, MARK_OPEN};
use crate::output::write_json_line;
use crate::sanitize::Mode;
use std::io::{BufWriter, Write};

pub fn run(global: &GlobalArgs, args: &SearchArgs) -> anyhow::Result<()> {
    let archive = crate::ops::open(&data_dir(global.data_dir.as_deref())?)?;
    let query = args.query.join(" ");
    // Anonymized output shows pseudonyms only, so `from:` takes them too.
    let aliases = if global.anonymize {
        crate::people::masks::pseudonyms(&archive)?.aliases()
    } else {
        Vec::new()
    };
    let names = crate::people::archive_names(&archive, &aliases)?;
    let mut result = search_with_names(&archive, &query, args.limit, args.sort, &names)?;
    if global.anonymize {
        anonymize(&archive, &mut result, &aliases)?;
    }
    let mut out = BufWriter::new(super::stdout());
    if args.json {
        write_json_line(&mut out, &result)?;
        out.flush()?;
        return Ok(());
    }
    let style = Style::for_stdout();
    for note in &result.notes {
        eprintln!("note: {}", crate::sanitize::to_display(note, Mode::OneLine));
    }
    for hit in &result.hits {
        let m = &hit.message.message;
        // One line per hit: line breaks of the message show as ⏎.
        let one_line = hit.snippet.replace('\n', " ⏎ ");
        let snippet = style.text(&one_line, Mode::OneLine);
        let snippet = if style.color {
            highlight(&style, &snippet)
        } else {
            snippet.into_owned()
        };
        writeln!(
            out,
            "{} {}",
            style.bold(&style.text(&m.chat, Mode::OneLine)),
            message_line(&style, m, true, &snippet)
        )?;
    }
    let shown = result.hits.len();
    let summary = if shown < result.total {
        format!(
            "{} matches ({} shown; more with --limit)",
            result.total, shown
        )
    } else {
        crate::output::count_as(result.total as u64, "match", "matches")
    };
    writeln!(out, "{}", style.dim(&summary))?;
    out.flush()?;
    Ok(())
}

/// Every hit masked (docs/privacy.md); snippets are cut again from the masked text, so a highlight
/// never splits a number or a name the mask must cover whole.
fn anonymize(
    archive: &Archive,
    result: &mut crate::index::search::SearchResult,
    aliases: &[(String, String)],
) -> Result<(), crate::people::Error> {
    let anon = crate::people::masks::anonymizer(archive)?;
    let names = crate::people::archive_names(archive, aliases)?;
    let parsed = crate::index::query::parse_query(&result.query, &archive.fields, &names);
    for hit in &mut result.hits {
        anon.message(&mut hit.message.message);
        hit.snippet = crate::index::search::snippet(&hit.message.message.text, &parsed, 160);
    }
    result.query = anon.text(&result.query);
    for note in &mut result.notes {
        *note = anon.text(note);
    }
    Ok(())
}

/// Replaces the «» marks by colour on a terminal.
fn highlight(style: &Style, s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + MARK_OPEN.len_utf8()..];
        match after.find(MARK_CLOSE) {
            Some(close) => {
                out.push_str(&style.highlight(&after[..close]));
                rest = &after[close + MARK_CLOSE.len_utf8()..];
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
