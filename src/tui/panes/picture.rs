//! The image popup over the main pane: the attachment's name in the border, the picture
//! centred inside, encoded beforehand by the worker (drawing copies cells, nothing more).

use crate::sanitize::{self, Mode};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::view::clear;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(popup) = &app.attachment.image else {
        return;
    };
    let theme = app.theme;
    clear(frame, area);
    let name = sanitize::to_display(&popup.name, Mode::OneLine);
    let close = app.keymap.keys_text(Action::Back);
    let room = usize::from(area.width).saturating_sub(close.len() + 14);
    let title = format!(
        " {} — {close} closes ",
        sanitize::truncate_width(&name, room)
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Span::styled(title, theme.title(true)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match &popup.frame {
        Some(f) if f.cells.0 <= inner.width && f.cells.1 <= inner.height => {
            let rect = Rect::new(
                inner.x + (inner.width - f.cells.0) / 2,
                inner.y + (inner.height - f.cells.1) / 2,
                f.cells.0,
                f.cells.1,
            );
            frame.render_widget(ratatui_image::Image::new(&f.protocol), rect);
        }
        _ => frame.render_widget(
            Paragraph::new(Span::styled("fitting the image…", theme.dim()))
                .alignment(Alignment::Center),
            Rect::new(
                inner.x,
                inner.y + inner.height / 2,
                inner.width,
                1.min(inner.height),
            ),
        ),
    }
}
