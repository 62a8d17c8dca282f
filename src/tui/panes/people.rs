//! The people list (`p`): every person of the archive, merges applied (docs/people.md), with
//! their message count and the number of chats they write in, the busiest first.

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
    let people = app.visible_people();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(Span::styled(
            format!(" People {} ", people.len()),
            theme.title(focused),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.people.rows.is_none() {
        let msg = app.people.error.as_deref().unwrap_or("loading…");
        frame.render_widget(
            Paragraph::new(Span::styled(
                sanitize::to_display(msg, Mode::OneLine).into_owned(),
                theme.dim(),
            )),
            inner,
        );
        return;
    }
    if people.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("no people yet", theme.dim())),
            inner,
        );
        return;
    }
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    let first = list_offset(app.people.sel, height);
    let lines: Vec<Line> = people
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, p)| {
            let figures = figures(p.messages, p.chats.len(), width);
            let name = sanitize::to_display(app.person_shown(&p.person), Mode::OneLine);
            let room = width.saturating_sub(sanitize::display_width(&figures) + 3);
            let name = sanitize::truncate_width(&name, room);
            let pad = room.saturating_sub(sanitize::display_width(&name));
            let mut line = Line::from(vec![
                Span::raw("  "),
                Span::styled(name.into_owned(), theme.sender(&p.person)),
                Span::raw(" ".repeat(pad + 1)),
                Span::styled(figures, theme.dim()),
            ]);
            if i == app.people.sel {
                line = line.style(theme.selected());
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// `1,234 · 3 chats`, shortened to `1,234 · 3` in a narrow pane.
fn figures(messages: u64, chats: usize, width: usize) -> String {
    let n = crate::output::thousands(messages);
    if width >= 30 {
        let noun = if chats == 1 { "chat" } else { "chats" };
        format!("{n} · {chats} {noun}")
    } else {
        format!("{n} · {chats}")
    }
}
