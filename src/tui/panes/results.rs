//! Search results as you type: total, then one line per hit with its chat, time, sender and
//! the snippet with matches highlighted.

use crate::index::search::{MARK_CLOSE, MARK_OPEN};
use crate::sanitize::{self, Mode};
use crate::tui::app::App;
use crate::tui::layout::list_offset;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let r = &app.results;
    let mut lines: Vec<Line> = Vec::new();
    let head = match (&r.result, r.searching, &r.error) {
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
                format!(" (first {})", res.hits.len())
            } else {
                String::new()
            };
            format!(
                "{} match{} for {q}{more}{}",
                res.total,
                if res.total == 1 { "" } else { "es" },
                if searching { " — searching…" } else { "" }
            )
        }
    };
    lines.push(Line::from(Span::styled(head, theme.dim())));
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
            spans.extend(marked_spans(app, &snippet));
            let mut line = Line::from(spans);
            if i == r.sel {
                line = line.style(theme.selected());
            }
            lines.push(line);
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The snippet's «marked» parts as highlighted spans, every part sanitized.
fn marked_spans(app: &App, snippet: &str) -> Vec<Span<'static>> {
    let theme = app.theme;
    let mut spans = Vec::new();
    let mut rest = snippet;
    while let Some(open) = rest.find(MARK_OPEN) {
        let before = &rest[..open];
        spans.push(Span::raw(
            sanitize::to_display(before, Mode::OneLine).into_owned(),
        ));
        let after = &rest[open + MARK_OPEN.len_utf8()..];
        let close = after.find(MARK_CLOSE).unwrap_or(after.len());
        spans.push(Span::styled(
            sanitize::to_display(&after[..close], Mode::OneLine).into_owned(),
            theme.matched(),
        ));
        rest = after.get(close + MARK_CLOSE.len_utf8()..).unwrap_or("");
    }
    spans.push(Span::raw(
        sanitize::to_display(rest, Mode::OneLine).into_owned(),
    ));
    spans
}
