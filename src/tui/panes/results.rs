//! Search results as you type: total, then one line per hit with its chat, time, sender and
//! the snippet with matches highlighted.

use crate::index::search::{Hit, MARK_CLOSE, MARK_OPEN};
use crate::model::Kind;
use crate::sanitize::{self, Mode};
use crate::tui::app::App;
use crate::tui::layout::list_offset;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let r = &app.results;
    let mut lines: Vec<Line> = vec![Line::from(Span::styled(headline(app), theme.dim()))];
    if let Some(res) = &r.result {
        for note in &res.notes {
            let note = if app.anonymize {
                app.pseudonyms.mask_text(note)
            } else {
                note.clone()
            };
            lines.push(Line::from(Span::styled(
                format!("note: {}", sanitize::to_display(&note, Mode::OneLine)),
                theme.dim(),
            )));
        }
        let height = usize::from(area.height).saturating_sub(lines.len());
        let first = list_offset(r.sel, height);
        for (i, hit) in res.hits.iter().enumerate().skip(first).take(height) {
            let mut line = hit_line(app, hit, usize::from(area.width));
            if i == r.sel {
                line = line.style(theme.selected());
            }
            lines.push(line);
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The line above the hits: how many matched, or what the pane is waiting for.
fn headline(app: &App) -> String {
    let r = &app.results;
    match (&r.result, r.searching, &r.error) {
        (_, _, Some(e)) => format!("search failed: {e}"),
        (None, true, _) => "searching…".to_string(),
        (None, false, _) if app.query.trim().is_empty() => {
            format!(
                "Press {} and type: words, \"phrases\", -exclude, prefix*, fuzzy~, from:ana, chat:family, after:2023-01-01, kind:media, has:link",
                app.keymap.keys_text(crate::tui::action::Action::Search)
            )
        }
        (None, false, _) => "no results yet".to_string(),
        (Some(res), searching, _) => {
            // The anonymized view never echoes a name, even one the user typed.
            let q = if app.anonymize {
                app.pseudonyms.mask_text(&res.query)
            } else {
                res.query.clone()
            };
            let q = sanitize::to_display(&q, Mode::OneLine);
            let more = if res.total > res.hits.len() {
                format!(
                    " (first {})",
                    crate::output::thousands(res.hits.len() as u64)
                )
            } else {
                String::new()
            };
            format!(
                "{} match{} for {q}{more}{}",
                crate::output::thousands(res.total as u64),
                if res.total == 1 { "" } else { "es" },
                if searching { " — searching…" } else { "" }
            )
        }
    }
}

/// One hit: its chat, time, sender and kind, then the snippet centred on its first match.
fn hit_line(app: &App, hit: &Hit, width: usize) -> Line<'static> {
    let theme = app.theme;
    let m = &hit.message.message;
    let shown = app.chat_name(&m.chat);
    let chat = sanitize::to_display(&shown, Mode::OneLine);
    let chat = sanitize::truncate_width(&chat, 18);
    let when = m.ts.get(..16).unwrap_or(&m.ts).replace('T', " ");
    let mut spans = vec![
        Span::styled(format!("{chat} "), theme.accent()),
        Span::styled(format!("{when} "), theme.dim()),
    ];
    if let Some(s) = &m.sender {
        let name = sanitize::to_display(app.name(s), Mode::OneLine).into_owned();
        spans.push(Span::styled(format!("{name}: "), theme.sender(s)));
    }
    let snippet = crate::tui::layout::cells(&hit.snippet).replace('\n', " ⏎ ");
    let snippet = if app.anonymize {
        crate::tui::layout::mask_names(app, &snippet)
    } else {
        snippet
    };
    if let Some(tag) = kind_tag(app, m) {
        spans.push(Span::styled(tag, theme.dim()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = width.saturating_sub(used);
    let pieces = centre_on_first_match(marked_pieces(&snippet), room);
    spans.extend(pieces.into_iter().map(|(text, matched)| {
        if matched {
            Span::styled(text, theme.matched())
        } else {
            Span::raw(text)
        }
    }));
    Line::from(spans)
}

/// What a hit is besides its text, as the CLI shows it: the attachment's name (or a type
/// mark) for media, `[deleted]`, `[call]` and so on for the other placeholders.
fn kind_tag(app: &App, m: &crate::model::Message) -> Option<String> {
    let tag = match m.kind {
        Kind::Text | Kind::System => return None,
        Kind::Media => {
            let name = m.attachment.as_deref().unwrap_or("media omitted");
            if app.anonymize {
                app.pseudonyms.mask_text(name)
            } else {
                name.to_string()
            }
        }
        k => k.to_string(),
    };
    Some(format!("[{}] ", sanitize::to_display(&tag, Mode::OneLine)))
}

/// The snippet's «marked» parts as `(text, is a match)` pieces, every part sanitized.
fn marked_pieces(snippet: &str) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut rest = snippet;
    while let Some(open) = rest.find(MARK_OPEN) {
        pieces.push((
            sanitize::to_display(&rest[..open], Mode::OneLine).into_owned(),
            false,
        ));
        let after = &rest[open + MARK_OPEN.len_utf8()..];
        let close = after.find(MARK_CLOSE).unwrap_or(after.len());
        pieces.push((
            sanitize::to_display(&after[..close], Mode::OneLine).into_owned(),
            true,
        ));
        rest = after.get(close + MARK_CLOSE.len_utf8()..).unwrap_or("");
    }
    pieces.push((
        sanitize::to_display(rest, Mode::OneLine).into_owned(),
        false,
    ));
    pieces.retain(|(text, _)| !text.is_empty());
    pieces
}

/// The part of a row's pieces that fits in `room` cells, centred on the first match so the
/// highlight is never cut off at the right edge; an ellipsis marks each end that was cut.
pub fn centre_on_first_match(pieces: Vec<(String, bool)>, room: usize) -> Vec<(String, bool)> {
    let cells: Vec<(&str, usize, bool)> = pieces
        .iter()
        .flat_map(|(text, matched)| text.graphemes(true).map(move |g| (g, g.width(), *matched)))
        .collect();
    let total: usize = cells.iter().map(|c| c.1).sum();
    if total <= room {
        return pieces;
    }
    if room < 3 {
        return Vec::new();
    }
    // The first match goes to the middle of the row (a match wider than the row starts
    // right after the ellipsis), as far as the text allows.
    let mut col: usize = 0;
    let mut lead_in = None;
    for (at, (_, w, matched)) in cells.iter().enumerate() {
        if *matched {
            let match_w: usize = cells[at..].iter().take_while(|c| c.2).map(|c| c.1).sum();
            let before = (room.saturating_sub(match_w) / 2).max(1);
            lead_in = Some(col.saturating_sub(before));
            break;
        }
        col += w;
    }
    let start = lead_in.map_or(0, |s| s.min(total - room));
    let end = start + room;
    // Room for the ellipses at the ends that are cut.
    let from = if start > 0 { start + 1 } else { 0 };
    let to = if end < total { end - 1 } else { end };
    let mut out: Vec<(String, bool)> = Vec::new();
    if start > 0 {
        out.push(("…".to_string(), false));
    }
    let mut col = 0;
    for (g, w, matched) in cells {
        if col >= from && col + w <= to {
            match out.last_mut() {
                Some((text, m)) if *m == matched => text.push_str(g),
                _ => out.push((g.to_string(), matched)),
            }
        }
        col += w;
    }
    if end < total {
        out.push(("…".to_string(), false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(pieces: &[(String, bool)]) -> String {
        pieces.iter().map(|(t, _)| t.as_str()).collect()
    }

    #[test]
    fn a_far_match_is_centred_with_ellipses_at_both_cuts() {
        let pieces = vec![
            ("a".repeat(50), false),
            ("pizza".to_string(), true),
            ("b".repeat(50), false),
        ];
        let shown = centre_on_first_match(pieces, 21);
        let s = text(&shown);
        assert_eq!(s.width(), 21);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        // The match's middle is the row's middle.
        let before = s.find("pizza").map(|at| s[..at].width());
        assert_eq!(before, Some(8), "{s}");
        assert!(shown.iter().any(|(t, m)| *m && t == "pizza"));
    }

    #[test]
    fn near_matches_and_rows_that_fit_keep_their_start() {
        let fits = vec![("short".to_string(), false)];
        assert_eq!(centre_on_first_match(fits.clone(), 10), fits);
        let pieces = vec![("pizza".to_string(), true), ("c".repeat(40), false)];
        let s = text(&centre_on_first_match(pieces, 10));
        assert_eq!(s, "pizzacccc…");
        let end = vec![("d".repeat(40), false), ("pizza".to_string(), true)];
        let s = text(&centre_on_first_match(end, 10));
        assert_eq!(s, "…ddddpizza");
    }
}
