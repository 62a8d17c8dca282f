//! Geometry shared by drawing and input: where each pane is, and how a message wraps. Both
//! `draw` and `App::update` (scrolling, mouse clicks) use these pure functions, so what is
//! drawn and what is scrolled always agree.

use super::app::{App, Conversation, Pane};
use crate::index::read::StoredMessage;
use crate::model::{Kind, Message};
use crate::sanitize::{self, Mode};
use ratatui::layout::Rect;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Smallest terminal the TUI draws in (docs/tui.md).
pub const MIN_SIZE: (u16, u16) = (40, 12);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub full: Rect,
    pub chats: Rect,
    pub main: Rect,
    pub query: Rect,
    pub footer: Rect,
    pub too_small: bool,
}

/// The pane shown in the main area: the focused one, or the last one focused while the chat
/// list has the focus.
pub fn main_pane(app: &App) -> Pane {
    if app.focus == Pane::Chats {
        app.last_main
    } else {
        app.focus
    }
}

pub fn areas(size: (u16, u16), app: &App) -> Areas {
    let (w, h) = size;
    let full = Rect::new(0, 0, w, h);
    if w < MIN_SIZE.0 || h < MIN_SIZE.1 {
        return Areas {
            full,
            too_small: true,
            ..Areas::default()
        };
    }
    let body = Rect::new(0, 0, w, h - 2);
    let query = Rect::new(0, h - 2, w, 1);
    let footer = Rect::new(0, h - 1, w, 1);
    // Narrow terminals show one pane at a time.
    let (chats, main) = if w >= 80 {
        let cw = (w / 4).clamp(24, 36);
        (
            Rect::new(0, 0, cw, body.height),
            Rect::new(cw, 0, w - cw, body.height),
        )
    } else if app.focus == Pane::Chats {
        (body, Rect::new(w, 0, 0, body.height))
    } else {
        (Rect::new(0, 0, 0, body.height), body)
    };
    Areas {
        full,
        chats,
        main,
        query,
        footer,
        too_small: false,
    }
}

/// First row of a list so that `sel` is visible in `height` rows.
pub fn list_offset(sel: usize, height: usize) -> usize {
    if height == 0 {
        return sel;
    }
    (sel + 1).saturating_sub(height)
}

/// How a part of a message line is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Time,
    Sender,
    Body,
    Match,
    Dim,
}

/// A message laid out for a width: an optional day separator, then lines of styled pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageLayout {
    pub day: Option<String>,
    pub lines: Vec<Vec<(String, Part)>>,
    pub kind: Kind,
    pub sender: Option<String>,
}

impl MessageLayout {
    pub fn height(&self) -> usize {
        self.lines.len() + usize::from(self.day.is_some())
    }
}

/// Indent of wrapped lines: the width of `HH:MM `.
const INDENT: usize = 6;

/// A message's day, to draw a separator when it changes.
fn day_of(m: &StoredMessage) -> &str {
    m.message.ts.get(..10).unwrap_or("")
}

/// An attachment as the conversation shows it: its type and file name (`[image ·
/// IMG-….jpg] `), masked like text in the anonymized view; `[media omitted] ` when the
/// export left it out.
fn media_mark(app: &App, m: &crate::model::Message) -> String {
    let Some(name) = m.attachment.as_deref() else {
        return "[media omitted] ".to_string();
    };
    let kind = crate::import::media::MediaType::of_name(name);
    let name = if app.anonymize {
        mask_names(app, name)
    } else {
        name.to_string()
    };
    format!("[{kind} · {}] ", sanitize::to_display(&name, Mode::OneLine))
}

/// Lays out message `p` of the open conversation.
pub fn message_layout(app: &App, conv: &Conversation, p: usize, width: u16) -> MessageLayout {
    let width = usize::from(width).max(INDENT + 8);
    let Some(stored) = conv.messages.get(&p) else {
        return MessageLayout {
            day: None,
            lines: vec![vec![("…".to_string(), Part::Dim)]],
            kind: Kind::Text,
            sender: None,
        };
    };
    let m = &stored.message;
    let day = match p.checked_sub(1).and_then(|q| conv.messages.get(&q)) {
        Some(prev) if day_of(prev) == day_of(stored) => None,
        _ => Some(pretty_day(day_of(stored))),
    };
    let time = m.ts.get(11..16).unwrap_or("     ").to_string();
    let sender = m
        .sender
        .as_deref()
        .map(|s| sanitize::to_display(app.name(s), Mode::OneLine).into_owned());

    // Only the part of the text a pane can show is laid out (A4): the pane scrolls by whole
    // messages, so rows past its height are never seen. The pane's rows: the main area less
    // its two borders and a day separator.
    let max_rows = usize::from(app.areas().main.height.saturating_sub(3)).max(2);
    let body = Body::of(app, conv, m, max_rows * width * WINDOW_BYTES_PER_CELL);

    let head = match &sender {
        Some(s) => format!("{s}: "),
        None => String::new(),
    };
    let first_room = width.saturating_sub(INDENT + head.width()).max(4);
    let rest_room = width.saturating_sub(INDENT).max(4);
    let mut wrapped = wrap(&body.text, first_room, rest_room);
    let cut = body.text_cut || wrapped.len() > max_rows;
    if cut {
        wrapped.truncate(max_rows - 1);
    }

    let mut lines = Vec::with_capacity(wrapped.len());
    for (n, range) in wrapped.iter().enumerate() {
        let mut pieces: Vec<(String, Part)> = Vec::new();
        if n == 0 {
            pieces.push((format!("{time} "), Part::Time));
            if !head.is_empty() {
                pieces.push((head.clone(), Part::Sender));
            }
        } else {
            pieces.push((" ".repeat(INDENT), Part::Time));
        }
        body.push_runs(range.clone(), m.kind, &mut pieces);
        lines.push(pieces);
    }
    if cut {
        lines.push(vec![
            (" ".repeat(INDENT), Part::Time),
            (CUT_ROW.to_string(), Part::Dim),
        ]);
    }
    MessageLayout {
        day,
        lines,
        kind: m.kind,
        sender: m.sender.clone(),
    }
}

/// A message's body as drawn: its placeholder named, then its text (sanitized, names masked
/// in the anonymized view), then ` (edited)`; with where each style applies.
struct Body {
    text: String,
    /// The placeholder (`[photo.jpg] `) ends here.
    dim_until: usize,
    /// Where the search's terms are.
    matches: Vec<Range<usize>>,
    /// ` (edited)` starts here.
    edited_from: usize,
    /// Whether the message's text was longer than the window laid out.
    text_cut: bool,
}

impl Body {
    /// The body of `m`, its text cut to `window_bytes`.
    fn of(app: &App, conv: &Conversation, m: &Message, window_bytes: usize) -> Body {
        let mut text = String::new();
        match m.kind {
            Kind::Text => {}
            Kind::Media => text.push_str(&media_mark(app, m)),
            Kind::Deleted
            | Kind::Hidden
            | Kind::Waiting
            | Kind::Call
            | Kind::Location
            | Kind::Poll => {
                text.push_str(&format!("[{}] ", m.kind));
            }
            Kind::System => {}
        }
        let dim_until = text.len();
        let (window, text_cut) = text_window(&m.text, window_bytes);
        let shown = if app.anonymize {
            mask_names(app, window)
        } else {
            window.to_string()
        };
        let shown = cells(&shown).into_owned();
        let ranges = if conv.highlight.is_empty() {
            Vec::new()
        } else {
            crate::index::search::highlight_ranges(&shown, &conv.highlight)
        };
        let (clean, clean_ranges) =
            sanitize::to_display_with_ranges(&shown, Mode::MultiLine, &ranges);
        let offset = text.len();
        text.push_str(&clean);
        let matches = clean_ranges
            .into_iter()
            .map(|r| r.start + offset..r.end + offset)
            .collect();
        let edited_from = text.len();
        if m.edited {
            text.push_str(" (edited)");
        }
        Body {
            text,
            dim_until,
            matches,
            edited_from,
            text_cut,
        }
    }

    /// The style of the byte at `i`.
    fn part_at(&self, i: usize, kind: Kind) -> Part {
        if self.matches.iter().any(|r| r.contains(&i)) {
            Part::Match
        } else if i < self.dim_until || i >= self.edited_from || kind == Kind::System {
            Part::Dim
        } else {
            Part::Body
        }
    }

    /// The text of `range` (one wrapped line), split into runs of one style.
    fn push_runs(&self, range: Range<usize>, kind: Kind, pieces: &mut Vec<(String, Part)>) {
        let body = &self.text;
        let mut run_start = range.start;
        let mut run_part = self.part_at(range.start, kind);
        for (i, _) in body[range.clone()]
            .char_indices()
            .map(|(i, c)| (i + range.start, c))
        {
            let part = self.part_at(i, kind);
            if part != run_part {
                pieces.push((body[run_start..i].to_string(), run_part));
                run_start = i;
                run_part = part;
            }
        }
        if run_start < range.end {
            pieces.push((body[run_start..range.end].to_string(), run_part));
        }
    }
}

/// Bytes of text laid out per cell of the pane: more than any one cell shows after
/// sanitizing, short of a grapheme loaded with marks (those are capped at 64 bytes).
const WINDOW_BYTES_PER_CELL: usize = 16;

/// The last row of a message taller than the pane.
pub const CUT_ROW: &str = "… (the message goes on: `whatscope log` shows it whole)";

/// The start of `text`, at most about `max_bytes` long, and whether anything was left out.
/// The cut falls after whitespace where it can, so no word (a name the anonymized view must
/// mask, say) is shown in part.
pub fn text_window(text: &str, max_bytes: usize) -> (&str, bool) {
    if text.len() <= max_bytes {
        return (text, false);
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let end = head
        .rfind(char::is_whitespace)
        .filter(|&at| at > 0)
        .unwrap_or(end);
    (&text[..end], true)
}

pub fn message_height(app: &App, conv: &Conversation, p: usize, width: u16) -> usize {
    message_layout(app, conv, p, width).height()
}

/// Text whose width every terminal agrees on: U+FE0F (emoji presentation) is dropped, because
/// terminals disagree whether it widens the character before it, and a disagreement shifts
/// everything after it on the line.
///
/// Flags (pairs of regional indicators) get the same treatment for the same reason: some
/// terminals draw one wide flag, others two letters, others two wide letters. They show as
/// their country code, `[CA]`, which reads the same everywhere.
pub fn cells(s: &str) -> std::borrow::Cow<'_, str> {
    let regional = |c: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
    if !crate::textscan::holds_emoji_presentation(s) && !s.chars().any(regional) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{FE0F}' {
            continue;
        }
        if regional(c) {
            let letter = |r: char| char::from(b'A' + (r as u32 - 0x1F1E6) as u8);
            out.push('[');
            out.push(letter(c));
            if let Some(next) = chars.next_if(|n| regional(*n)) {
                out.push(letter(next));
            }
            out.push(']');
            continue;
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// `2024-03-05` → `Tuesday, 5 March 2024`.
fn pretty_day(day: &str) -> String {
    use chrono::Datelike;
    match chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        Ok(d) => format!(
            "{}, {} {} {}",
            d.format("%A"),
            d.day(),
            d.format("%B"),
            d.year()
        ),
        Err(_) => day.to_string(),
    }
}

/// Text as the anonymized view shows it: participants' names and first names replaced by
/// their pseudonyms, phone numbers and e-mail addresses masked (the same redactor as the
/// CLI's `--anonymize`, see `privacy::redact`).
pub fn mask_names(app: &App, text: &str) -> String {
    app.pseudonyms.mask_text(text)
}

/// Wraps text into line ranges: the first line `first` columns wide, the others `rest`;
/// breaks at spaces where it can, inside words where it must, at every `\n`.
pub fn wrap(text: &str, first: usize, rest: usize) -> Vec<Range<usize>> {
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut offset = 0;
    for para in text.split('\n') {
        let graphemes: Vec<(usize, &str)> = para.grapheme_indices(true).collect();
        let mut start = 0;
        let mut width = 0;
        let mut last_space: Option<usize> = None;
        let mut i = 0;
        while i < graphemes.len() {
            let (at, g) = graphemes[i];
            let room = if lines.is_empty() { first } else { rest };
            let w = g.width();
            if width + w > room && at > start {
                // Break at this space, else at the last space, else inside the word.
                let (end, next) = if g == " " {
                    (at, at + 1)
                } else {
                    match last_space {
                        Some(s) if s > start => (s, s + 1),
                        _ => (at, at),
                    }
                };
                lines.push(offset + start..offset + end);
                start = next;
                width = para[start..at.max(start)].width();
                last_space = None;
                if g == " " {
                    i += 1;
                }
                continue;
            }
            if g == " " {
                last_space = Some(at);
            }
            width += w;
            i += 1;
        }
        lines.push(offset + start.min(para.len())..offset + para.len());
        offset += para.len() + 1;
    }
    // Trailing spaces at a break are not worth a line of their own.
    for r in &mut lines {
        while r.end > r.start && text.as_bytes()[r.end - 1] == b' ' {
            r.end -= 1;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_the_same_width_everywhere() {
        assert_eq!(cells("ok ❤️ 🇨🇦!"), "ok ❤ [CA]!");
        assert!(matches!(cells("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn text_window_cuts_after_whitespace_on_char_boundaries() {
        assert_eq!(text_window("short", 10), ("short", false));
        assert_eq!(text_window("one two three", 9), ("one two", true));
        // No whitespace: cut on the last char boundary within the bytes.
        assert_eq!(text_window("ééé", 5), ("éé", true));
    }

    #[test]
    fn wrap_at_spaces_and_inside_long_words() {
        let t = "hello world this is a test";
        let lines: Vec<&str> = wrap(t, 11, 11).into_iter().map(|r| &t[r]).collect();
        assert_eq!(lines, vec!["hello world", "this is a", "test"]);
        let t = "abcdefghij";
        let lines: Vec<&str> = wrap(t, 4, 4).into_iter().map(|r| &t[r]).collect();
        assert_eq!(lines, vec!["abcd", "efgh", "ij"]);
        let t = "a\n\nb";
        assert_eq!(wrap(t, 10, 10).len(), 3);
        let t = "日本語のテキスト";
        for r in wrap(t, 5, 5) {
            assert!(t[r].width() <= 5);
        }
    }
}
