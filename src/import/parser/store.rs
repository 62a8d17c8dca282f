//! Building one message from its header line and body: the author split from the text, the
//! body classified, strings borrowed from the text or kept in the rewritten buffer.

use super::*;

/// The messages being built, and the buffer for strings that are not verbatim in the text.
pub(super) struct Store<'a> {
    pub(super) text: &'a str,
    pub(super) rewritten: String,
    pub(super) records: Vec<Record>,
}

impl Store<'_> {
    /// Builds and stores the message of header line `a`, which runs to byte `end` and ends
    /// before line `end_line`: splits the author from the body and classifies it. Its time
    /// is set once the file's date order is known.
    ///
    /// The body is the rest of the header line plus its continuation lines, joined by `\n`:
    /// borrowed from the text unless CR or CRLF line ends inside it have to become `\n`.
    pub(super) fn add(
        &mut self,
        a: HeaderAt,
        body_start: usize,
        end: usize,
        end_line: u32,
        may_hold_cr: bool,
        shape: Shape,
    ) {
        let region = &self.text[(a.start as usize + body_start).min(end)..end];
        let at = Record {
            line: a.line + 1,
            lines: end_line - a.line,
            ts: NaiveDateTime::default(),
            sender: Span::default(),
            text: Span::default(),
            attachment: Span::default(),
            kind: Kind::Text,
            flags: 0,
            event_by_mark_only: false,
        };
        if !may_hold_cr || memchr::memchr(b'\r', region.as_bytes()).is_none() {
            let base = region.as_ptr() as usize - self.text.as_ptr() as usize;
            return self.add_from(region, Base::Text(base), shape, at);
        }
        let body = region
            .replace("\r\r\n", "\n")
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        let base = self.rewritten.len();
        self.rewritten.push_str(&body);
        self.add_from(&body, Base::Rewritten(base), shape, at);
    }

    fn add_from(&mut self, body: &str, base: Base, shape: Shape, mut record: Record) {
        let ios = shape != Shape::Dash;
        let (sender, c) = match author_split(body, shape) {
            None => (None, classify_event(body)),
            Some((name, rest)) => (Some(name), classify(&body[rest..], ios)),
        };
        // docs/formats.md: an event has no sender, even where iOS attributes it to the group or the
        // actor; the name is kept aside (iOS names the chat so in its encryption notice).
        let sender_flag = if c.kind == Kind::System {
            ATTRIBUTED
        } else {
            HAS_SENDER
        };
        let mut flags = if c.edited { EDITED } else { 0 };
        let mut place = |s: Option<Cow<'_, str>>, present: u8, rewritten: u8| match s {
            None => Span::default(),
            Some(s) => {
                flags |= present;
                let (span, moved) = self.place(s, body, base);
                if moved {
                    flags |= rewritten;
                }
                span
            }
        };
        record.sender = place(sender, sender_flag, SENDER_REWRITTEN);
        record.text = place(Some(c.text), 0, TEXT_REWRITTEN);
        record.attachment = place(c.attachment, HAS_ATTACHMENT, ATTACHMENT_REWRITTEN);
        record.kind = c.kind;
        record.flags = flags;
        record.event_by_mark_only = c.event_by_mark_only;
        self.records.push(record);
    }

    /// The span of `s`, a slice of `body` or a string of its own; and whether it lies in
    /// the rewritten buffer. Offsets fit in 32 bits (see [`MAX_TEXT_BYTES`]).
    pub(super) fn place(&mut self, s: Cow<'_, str>, body: &str, base: Base) -> (Span, bool) {
        let len = s.len() as u32;
        // Where a borrowed string sits in `body`; one from anywhere else is copied instead.
        let within = |b: &str| {
            let from = (b.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
            (from + b.len() <= body.len()).then_some(from)
        };
        if let Some(from) = match &s {
            Cow::Borrowed(b) => within(b),
            Cow::Owned(_) => None,
        } {
            let (at, rewritten) = match base {
                Base::Text(at) => (at, false),
                Base::Rewritten(at) => (at, true),
            };
            return (
                Span {
                    at: (at + from) as u32,
                    len,
                },
                rewritten,
            );
        }
        let at = self.rewritten.len() as u32;
        self.rewritten.push_str(&s);
        (Span { at, len }, true)
    }
}

/// Where a message's body lies: in the text or in the rewritten buffer, at this offset.
#[derive(Clone, Copy)]
pub(super) enum Base {
    Text(usize),
    Rewritten(usize),
}

/// Where the first `": "` of the first line is, or else where the first line ends: one search
/// for either byte, stopping at whichever comes first (names are short; bodies can be long).
fn colon_space_or_line_end(b: &[u8]) -> Result<usize, usize> {
    for i in memchr::memchr2_iter(b':', b'\n', b) {
        if b[i] == b'\n' {
            return Err(i);
        }
        if b.get(i + 1) == Some(&b' ') {
            return Ok(i);
        }
    }
    Err(b.len())
}

/// Whether `s` can hold `"` or `“` (which starts with 0xE2): one pass with no early exit.
fn may_hold_quote(s: &str) -> bool {
    s.bytes()
        .fold(false, |any, c| any | (c == b'"') | (c == 0xE2))
}

/// The author, normalised, and where the text starts; `None` for an event line without one.
fn author_split(body: &str, shape: Shape) -> Option<(Cow<'_, str>, usize)> {
    // iOS events start with U+200E right after the header.
    if shape != Shape::Dash && body.starts_with('\u{200E}') {
        return None;
    }
    let (name_end, rest_start) = match colon_space_or_line_end(body.as_bytes()) {
        Ok(p) => (p, p + 2),
        // `Name:` with an empty body (view-once or disappearing media in old exports).
        Err(end) if body[..end].ends_with(':') && end <= 64 => (end - 1, end),
        Err(_) => return None,
    };
    let name = &body[..name_end];
    // Event wording with a colon in it names a group or subject, which comes quoted.
    if shape == Shape::Dash
        && (name.len() > 40 || may_hold_quote(name) && name.contains(['"', '“']))
        && locale::EVENT_PHRASES.iter().any(|p| name.contains(p))
    {
        return None;
    }
    let name = normalize_sender(name);
    if name.is_empty() {
        return None;
    }
    Some((name, rest_start.min(body.len())))
}
