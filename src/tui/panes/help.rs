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
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(k, what)| {
            let pad = key_w.saturating_sub(crate::sanitize::display_width(k));
            Line::from(vec![
                Span::styled(format!(" {k}{} ", " ".repeat(pad)), theme.title(true)),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        " query: words \"phrase\" -not pre* fuzzy~ a OR b from: chat: after: before: kind: has:",
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
