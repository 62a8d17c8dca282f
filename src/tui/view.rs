//! Drawing: a pure function of the app's state onto a frame. Every string that came from an
//! export is sanitized before it reaches a cell.

use super::app::{App, Input, Pane, Side};
use super::layout::{self, Areas};
use super::panes;
use crate::sanitize::{self, Mode};
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(app: &App, frame: &mut Frame) {
    let a: Areas = layout::areas((frame.area().width, frame.area().height), app);
    if a.too_small {
        let (w, h) = layout::MIN_SIZE;
        let msg = format!(
            "terminal too small ({}×{}); whatscope needs at least {w}×{h}",
            a.full.width, a.full.height
        );
        frame.render_widget(
            Paragraph::new(msg)
                .wrap(Wrap { trim: true })
                .alignment(Alignment::Center),
            a.full,
        );
        return;
    }
    if a.chats.width > 0 {
        match app.side {
            Side::Chats => panes::chats::draw(app, frame, a.chats),
            Side::People => panes::people::draw(app, frame, a.chats),
        }
    }
    if a.main.width > 0 {
        draw_main(app, frame, a.main);
        panes::picture::draw(app, frame, a.main);
    }
    panes::footer::draw_query(app, frame, a.query);
    panes::footer::draw_footer(app, frame, a.footer);
    if app.help {
        panes::help::draw(app, frame, a.full);
    }
}

fn draw_main(app: &App, frame: &mut Frame, area: Rect) {
    let shown = layout::main_pane(app);
    let focused = app.focus == shown;
    let theme = app.theme;
    // Tabs in the title: the three main panes, the shown one emphasised.
    let mut title: Vec<Span> = vec![Span::raw(" ")];
    for (i, pane) in [Pane::Conversation, Pane::Results, Pane::Stats]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            title.push(Span::styled(" │ ", theme.dim()));
        }
        let mut label = pane.title().to_string();
        match pane {
            Pane::Conversation => {
                if let Some(c) = &app.conv {
                    let shown = app.chat_name(&c.order.chat);
                    let chat = sanitize::to_display(&shown, Mode::OneLine);
                    label = format!("{}", sanitize::truncate_width(&chat, 28));
                }
            }
            Pane::Results => {
                if let Some(r) = &app.results.result {
                    label = format!("Results {}", crate::output::thousands(r.total as u64));
                }
            }
            _ => {}
        }
        let style = if pane == shown {
            theme.title(focused)
        } else {
            theme.dim()
        };
        title.push(Span::styled(label, style));
    }
    title.push(Span::raw(" "));
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(Line::from(title));
    // Where we are in the open chat, in the bottom border where it hides no text.
    if shown == Pane::Conversation {
        if let Some(c) = app.conv.as_ref().filter(|c| !c.order.is_empty()) {
            block = block.title_bottom(
                Line::from(Span::styled(
                    format!(
                        " {}/{} ",
                        crate::output::thousands(c.sel as u64 + 1),
                        crate::output::thousands(c.order.len() as u64)
                    ),
                    theme.dim(),
                ))
                .right_aligned(),
            );
        }
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match shown {
        Pane::Conversation => panes::conversation::draw(app, frame, inner),
        Pane::Results => panes::results::draw(app, frame, inner),
        Pane::Stats => panes::stats::draw(app, frame, inner),
        Pane::Chats => {}
    }
}

/// A centered box for overlays.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears an area before an overlay is drawn on it.
pub fn clear(frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
}

pub fn input_active(app: &App) -> bool {
    app.input != Input::Normal
}
