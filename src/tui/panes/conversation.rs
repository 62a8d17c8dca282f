//! The conversation: a chat in time order, paged in around what is on screen, with day
//! separators, coloured senders, styled placeholders and highlighted matches.

use crate::tui::app::App;
use crate::tui::layout::{message_layout, MessageLayout, Part};
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let Some(conv) = &app.conv else {
        if app.chats.as_ref().is_some_and(Vec::is_empty) {
            welcome(app, frame, area);
        } else {
            pick_a_chat(app, frame, area);
        }
        return;
    };
    if conv.order.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("this chat is empty", theme.dim())),
            area,
        );
        return;
    }
    let width = area.width;
    let mut lines: Vec<Line> = Vec::with_capacity(usize::from(area.height));
    let mut p = conv.top;
    while lines.len() < usize::from(area.height) && p < conv.order.len() {
        let layout = message_layout(app, conv, p, width);
        push_message(
            app,
            layout,
            p == conv.sel,
            conv.hit == Some(p),
            width,
            &mut lines,
        );
        p += 1;
    }
    lines.truncate(usize::from(area.height));
    // A chat shorter than the pane sits at its bottom, the newest message on the last row,
    // like in every chat app (`App::after_move` fills longer ones up to it).
    let empty = usize::from(area.height).saturating_sub(lines.len());
    if empty > 0 && p >= conv.order.len() {
        lines.splice(0..0, std::iter::repeat_n(Line::from(""), empty));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// No chat open yet: how to open one or search.
fn pick_a_chat(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let hint = format!(
        "Pick a chat and press {} to open it — or press {} to search everything.",
        app.keymap.keys_text(crate::tui::action::Action::Open),
        app.keymap.keys_text(crate::tui::action::Action::Search)
    );
    let rows = (hint.chars().count() as u16 / area.width.max(1)) + 2;
    frame.render_widget(
        Paragraph::new(Span::styled(hint, theme.dim()))
            .alignment(Alignment::Center)
            .wrap(ratatui::widgets::Wrap { trim: true }),
        Rect::new(
            area.x,
            area.y + area.height / 2,
            area.width,
            rows.min(area.height / 2),
        ),
    );
}

/// One message's lines (after its day separator when the day changes), styled by part, the
/// selected message and the search hit marked.
fn push_message(
    app: &App,
    layout: MessageLayout,
    selected: bool,
    is_hit: bool,
    width: u16,
    lines: &mut Vec<Line<'static>>,
) {
    let theme = app.theme;
    if let Some(day) = &layout.day {
        let text = format!("── {day} ──");
        let pad = usize::from(width).saturating_sub(crate::sanitize::display_width(&text)) / 2;
        lines.push(Line::from(vec![
            Span::raw(" ".repeat(pad)),
            Span::styled(text, theme.accent()),
        ]));
    }
    for pieces in layout.lines {
        let spans: Vec<Span> = pieces
            .into_iter()
            .map(|(text, part)| {
                let style = theme.part(part, layout.sender.as_deref());
                let style = if layout.kind == crate::model::Kind::System && part == Part::Body {
                    theme.dim()
                } else {
                    style
                };
                Span::styled(text, style)
            })
            .collect();
        let mut line = Line::from(spans);
        if is_hit {
            line = line.style(theme.hit());
        }
        if selected {
            line = line.style(theme.selected().patch(if is_hit {
                theme.hit()
            } else {
                Style::default()
            }));
        }
        lines.push(line);
    }
}

/// What an empty archive shows: how to get chats in, and the demo.
fn welcome(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let lines = vec![
        Line::from(Span::styled("Welcome to whatscope", theme.title(true))),
        Line::from(""),
        Line::from("Your archive is empty. To fill it:"),
        Line::from(""),
        Line::from("  1. In WhatsApp: open a chat → More → Export chat."),
        Line::from("  2. Copy the .zip or .txt to this computer."),
        Line::from(vec![
            Span::raw("  3. Run "),
            Span::styled("whatscope import PATH", theme.accent()),
            Span::raw(" (files, zips or whole folders)."),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::raw("Just looking? "),
            Span::styled("whatscope demo", theme.accent()),
            Span::raw(" opens four made-up chats to explore."),
        ]),
        Line::from(""),
        Line::from(Span::styled(
            format!(
                "{} quits · {} shows every key",
                app.keymap.keys_text(crate::tui::action::Action::Quit),
                app.keymap.keys_text(crate::tui::action::Action::Help)
            ),
            theme.dim(),
        )),
    ];
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let rect = Rect::new(
        area.x + 2,
        area.y + top,
        area.width.saturating_sub(4),
        area.height.saturating_sub(top),
    );
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        rect,
    );
}
