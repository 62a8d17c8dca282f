//! Plain-text output for people: colour on a terminal (never with `NO_COLOR`), every piece of
//! chat text sanitized before it is written.

use crate::model::{Kind, Message};
use crate::sanitize::{to_display, Mode};
use std::io::IsTerminal;

/// Whether to colour and sanitize: stdout is a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub terminal: bool,
}

impl Style {
    pub fn for_stdout() -> Style {
        let terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: terminal && !no_color,
            terminal,
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }

    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }

    pub fn highlight(&self, s: &str) -> String {
        self.paint("1;33", s)
    }

    /// A sender's name in a colour that stays the same for that name.
    pub fn sender(&self, name: &str) -> String {
        const COLORS: [&str; 6] = ["31", "32", "34", "35", "36", "33"];
        let h = name
            .bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        self.paint(COLORS[(h as usize) % COLORS.len()], name)
    }

    /// Untrusted text made safe. Always, not only on a terminal: text redirected to a file
    /// is shown with `cat` later (docs/reliability.md, T10). JSON output escapes instead.
    pub fn text<'a>(&self, s: &'a str, mode: Mode) -> std::borrow::Cow<'a, str> {
        to_display(s, mode)
    }
}

/// One message as a line (or lines) of text: `HH:MM  Sender: text`.
pub fn message_line(style: &Style, m: &Message, with_date: bool, body: &str) -> String {
    let time = if with_date {
        m.ts.replace('T', " ")
    } else {
        m.ts.get(11..16).unwrap_or(&m.ts).to_string()
    };
    let who = match &m.sender {
        Some(s) => format!("{}: ", style.sender(&style.text(s, Mode::OneLine))),
        None => String::new(),
    };
    let tag = match m.kind {
        Kind::Text => String::new(),
        Kind::System => style.dim("· "),
        Kind::Media => {
            let name = m.attachment.as_deref().unwrap_or("media omitted");
            style.dim(&format!("[{}] ", style.text(name, Mode::OneLine)))
        }
        k => style.dim(&format!("[{k}] ")),
    };
    let edited = if m.edited {
        style.dim(" (edited)")
    } else {
        String::new()
    };
    let body = if m.kind == Kind::System {
        style.dim(body)
    } else {
        body.to_string()
    };
    format!("{}  {who}{tag}{body}{edited}", style.dim(&time))
}
