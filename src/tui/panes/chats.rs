//! The chat list: every chat with its message count, the busiest first.

use crate::sanitize::{self, Mode};
use crate::tui::app::{App, Pane};
use crate::tui::layout::list_offset;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let focused = app.focus == Pane::Chats;
    let count = app.chats.as_ref().map_or(0, Vec::len);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(Span::styled(
            format!(" Chats {count} "),
            theme.title(focused),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(chats) = &app.chats else {
        let msg = app.chats_error.as_deref().unwrap_or("loading…");
        frame.render_widget(
            Paragraph::new(Span::styled(msg.to_string(), theme.dim())),
            inner,
        );
        return;
    };
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    let first = list_offset(app.chat_sel, height);
    let open = app.conv.as_ref().map(|c| c.order.chat.as_str());
    let lines: Vec<Line> = chats
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, c)| {
            let n = crate::output::thousands(c.messages);
            let shown = app.chat_name(&c.chat);
            let name = sanitize::to_display(&shown, Mode::OneLine);
            let room = width.saturating_sub(n.len() + 3);
            let name = sanitize::truncate_width(&name, room);
            let pad = room.saturating_sub(sanitize::display_width(&name));
            let marker = if open == Some(c.chat.as_str()) {
                "● "
            } else {
                "  "
            };
            let mut line = Line::from(vec![
                Span::styled(marker, theme.accent()),
                Span::raw(name.into_owned()),
                Span::raw(" ".repeat(pad + 1)),
                Span::styled(n, theme.dim()),
            ]);
            if i == app.chat_sel {
                line = line.style(theme.selected());
            }
            line
        })
        .collect();
    if lines.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("no chats yet", theme.dim())),
            inner,
        );
        return;
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
