//! The help overlay: every action and its keys, generated from the keymap in use.

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::view::{centered, clear};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let rows: Vec<(String, &str)> = Action::ALL
        .iter()
        .map(|a| (app.keymap.keys_text(*a), a.describe()))
        .collect();
    let key_w = rows
        .iter()
        .map(|(k, _)| crate::sanitize::display_width(k))
        .max()
        .unwrap_or(4);
    let cell = |(k, what): &(String, &str), width: usize| -> Vec<Span<'static>> {
        let pad = key_w.saturating_sub(crate::sanitize::display_width(k));
        let text = what.to_string();
        let room = width.saturating_sub(key_w + 3);
        vec![
            Span::styled(format!(" {k}{} ", " ".repeat(pad)), theme.title(true)),
            Span::raw(format!(
                "{:<room$}",
                crate::sanitize::truncate_width(&text, room)
            )),
        ]
    };
    // Two columns when one would not fit the height: every key stays visible at 80×24.
    let two_columns = usize::from(area.height) < rows.len() + 7;
    let width = usize::from(72.min(area.width).saturating_sub(2));
    let mut lines: Vec<Line> = if two_columns {
        let half = rows.len().div_ceil(2);
        (0..half)
            .map(|i| {
                let mut spans = cell(&rows[i], width / 2);
                if let Some(right) = rows.get(i + half) {
                    spans.extend(cell(right, width / 2));
                }
                Line::from(spans)
            })
            .collect()
    } else {
        rows.iter().map(|r| Line::from(cell(r, width))).collect()
    };
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        " query: words \"phrase\" -not pre* fuzzy~ a OR b",
        theme.dim(),
    )));
    lines.push(Line::from(Span::styled(
        "        from: chat: after: before: kind: has:",
        theme.dim(),
    )));
    let path = crate::tui::keymap::Keymap::config_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "keys.conf".into());
    lines.push(Line::from(Span::styled(
        format!(" keys: {path}"),
        theme.dim(),
    )));
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = 72.min(area.width);
    let rect = centered(area, width, height);
    clear(frame, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Span::styled(" Help — any key closes ", theme.title(true)));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
