//! Images inside the TUI (docs/media.md): the terminal's graphics protocol, chosen once at
//! start, and a decoded picture fitted to the popup. Fitting resizes and encodes, so it runs
//! in the worker, never on the UI thread; drawing only copies the encoded cells.

use image::DynamicImage;
use ratatui::layout::Size;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::halfblocks::Halfblocks;
use ratatui_image::protocol::Protocol;
use ratatui_image::{FilterType, Resize};
use std::fmt;

/// How images reach the terminal.
#[derive(Debug, Clone, Default)]
pub enum Graphics {
    /// Unicode half blocks (`▀`), two pixels a cell: every terminal shows them.
    #[default]
    Halfblocks,
    /// The graphics protocol the terminal answered it has (kitty, sixel, iTerm2).
    Detected(Box<Picker>),
}

impl Graphics {
    /// Asks the terminal what it can show. Must run after the screen is set up and before
    /// anything reads input (the answers come on stdin). Inside tmux or screen, whose
    /// pass-through of graphics is unreliable (and which ratatui-image would reconfigure),
    /// nothing is asked: half blocks.
    pub fn detect() -> Graphics {
        if under_multiplexer() {
            return Graphics::Halfblocks;
        }
        match Picker::from_query_stdio() {
            Ok(p) if p.protocol_type() != ProtocolType::Halfblocks => {
                Graphics::Detected(Box::new(p))
            }
            _ => Graphics::Halfblocks,
        }
    }
}

fn under_multiplexer() -> bool {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    !var("TMUX").is_empty()
        || !var("STY").is_empty()
        || var("TERM_PROGRAM") == "tmux"
        || var("TERM").starts_with("tmux")
        || var("TERM").starts_with("screen")
}

/// A decoded image, kept while its popup is open so a resize fits it again without reading
/// the export.
pub struct Picture {
    pub image: DynamicImage,
}

impl fmt::Debug for Picture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Picture({}×{})", self.image.width(), self.image.height())
    }
}

/// A picture encoded for the terminal at one size.
#[derive(Clone)]
pub struct Frame {
    pub protocol: Protocol,
    /// Its size in cells.
    pub cells: (u16, u16),
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Frame({}×{} cells)", self.cells.0, self.cells.1)
    }
}

/// The picture as large as fits in `room` cells, its proportions kept (small ones scaled up:
/// a sticker is 512 pixels, a thumbnail less).
pub fn fit(graphics: &Graphics, picture: &Picture, room: (u16, u16)) -> Result<Frame, String> {
    let (w, h) = room;
    if w == 0 || h == 0 {
        return Err("no room to show it".into());
    }
    let protocol = match graphics {
        Graphics::Halfblocks => {
            let cells = halfblock_cells((picture.image.width(), picture.image.height()), room);
            Halfblocks::new(picture.image.clone(), Size::new(cells.0, cells.1))
                .map(Protocol::Halfblocks)
        }
        Graphics::Detected(picker) => picker.new_protocol(
            picture.image.clone(),
            Size::new(w, h),
            Resize::Scale(Some(FilterType::Triangle)),
        ),
    }
    .map_err(|e| e.to_string())?;
    let size = protocol.size();
    Ok(Frame {
        protocol,
        cells: (size.width.min(w), size.height.min(h)),
    })
}

/// Cells for an image of `pixels` in half blocks (a cell is one pixel wide, two high):
/// scaled to fill `room` in one direction, at least one cell.
pub fn halfblock_cells(pixels: (u32, u32), room: (u16, u16)) -> (u16, u16) {
    let (pw, ph) = (f64::from(pixels.0.max(1)), f64::from(pixels.1.max(1)));
    let (rw, rh) = (f64::from(room.0), f64::from(room.1) * 2.0);
    let scale = (rw / pw).min(rh / ph);
    let cols = (pw * scale).round().clamp(1.0, f64::from(room.0));
    let rows = (ph * scale / 2.0).ceil().clamp(1.0, f64::from(room.1));
    (cols as u16, rows as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_blocks_keep_proportions_and_fill_the_room() {
        // Square: as tall as the room (two pixels a row), as wide as that.
        assert_eq!(halfblock_cells((64, 64), (100, 20)), (40, 20));
        // Wide: as wide as the room.
        assert_eq!(halfblock_cells((400, 100), (40, 30)), (40, 5));
        // Degenerate sizes still give a cell.
        assert_eq!(halfblock_cells((1, 10_000), (40, 10)), (1, 10));
        assert_eq!(halfblock_cells((0, 0), (40, 10)), (20, 10));
    }

    #[test]
    fn a_fitted_frame_is_drawn_in_half_blocks_within_its_room() {
        let image = image::RgbImage::from_fn(32, 32, |_, y| {
            image::Rgb(if y % 4 < 2 { [250, 0, 0] } else { [0, 0, 250] })
        });
        let picture = Picture {
            image: DynamicImage::ImageRgb8(image),
        };
        let frame = fit(&Graphics::Halfblocks, &picture, (30, 10)).expect("fits");
        assert_eq!(frame.cells, (20, 10));
        let area = ratatui::layout::Rect::new(0, 0, 30, 10);
        let mut buf = ratatui::buffer::Buffer::empty(area);
        ratatui::widgets::Widget::render(
            ratatui_image::Image::new(&frame.protocol),
            area,
            &mut buf,
        );
        let drawn: String = buf.content().iter().map(|c| c.symbol()).collect();
        assert!(drawn.contains('▀') || drawn.contains('▄'), "{drawn}");
    }
}
