//! Colours and emphasis. With `NO_COLOR` set, only bold, reverse and underline remain, so
//! every state stays visible without colour.

use super::layout::Part;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    pub fn title(&self, focused: bool) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if focused && self.color {
            s.fg(Color::Cyan)
        } else {
            s
        }
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    pub fn selected(&self) -> Style {
        if self.color {
            Style::default()
                .bg(Color::Rgb(40, 48, 64))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn hit(&self) -> Style {
        if self.color {
            Style::default().bg(Color::Rgb(60, 52, 20))
        } else {
            Style::default().add_modifier(Modifier::UNDERLINED)
        }
    }

    pub fn matched(&self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if self.color {
            s.fg(Color::Black).bg(Color::Yellow)
        } else {
            s.add_modifier(Modifier::UNDERLINED)
        }
    }

    /// A sender's colour, the same for the same name everywhere.
    pub fn sender(&self, name: &str) -> Style {
        const COLORS: [Color; 8] = [
            Color::LightRed,
            Color::LightGreen,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::Yellow,
            Color::Rgb(255, 165, 80),
            Color::Rgb(170, 140, 255),
        ];
        let h = name
            .bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        self.fg(COLORS[(h as usize) % COLORS.len()])
            .add_modifier(Modifier::BOLD)
    }

    pub fn part(&self, part: Part, sender: Option<&str>) -> Style {
        match part {
            Part::Time | Part::Dim => self.dim(),
            Part::Sender => self.sender(sender.unwrap_or("")),
            Part::Body => Style::default(),
            Part::Match => self.matched(),
        }
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }

    /// Shade for a heatmap cell, 0.0..=1.0.
    pub fn heat(&self, v: f64) -> Style {
        if !self.color {
            return Style::default();
        }
        let v = v.clamp(0.0, 1.0);
        let g = (40.0 + 180.0 * v) as u8;
        Style::default().fg(Color::Rgb(30, g, 90 + (g / 3)))
    }
}
