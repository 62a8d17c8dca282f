//! Chat text to messages: finds header lines, decides the date order from the whole file,
//! splits authors, joins continuation lines and classifies each body. Nothing is dropped:
//! lines before the first message and headers with impossible dates are reported by number.

use super::classify::{classify, classify_event, Classified};
use super::dates::{
    infer_order, timestamp, DateOrder, InconsistentOrder, OrderDecision, OrderReason,
};
use super::header::{self, Meridiem, RawHeader, Shape};
use super::locale;
use super::normalize::normalize_sender;
use crate::model::{content_hash, id_from_content, Kind, PreHashed};
use chrono::NaiveDateTime;
use std::borrow::Cow;
use std::collections::HashMap;

/// Knobs of a parse.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Overrides date-order inference.
    pub date_order: Option<DateOrder>,
    /// Longest physical line accepted, in bytes (RELIABILITY.md E10).
    pub max_line_bytes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            date_order: None,
            max_line_bytes: 1 << 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the file mixes day-first and month-first dates ({dmy} lines only fit day-first, {mdy} only month-first)")]
    InconsistentDateOrder { dmy: usize, mdy: usize },
    #[error("line {line} is {len} bytes long, over the limit of {limit} bytes")]
    LineTooLong {
        line: usize,
        len: usize,
        limit: usize,
    },
}

/// One parsed message, borrowing from the chat text where it can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedMessage<'a> {
    /// 1-based line where the message starts.
    pub line: usize,
    /// Number of physical lines it spans.
    pub lines: usize,
    pub ts: NaiveDateTime,
    pub sender: Option<Cow<'a, str>>,
    pub kind: Kind,
    pub text: Cow<'a, str>,
    pub attachment: Option<Cow<'a, str>>,
    pub edited: bool,
}

/// How the file's headers look, for the import report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatInfo {
    pub shape: Shape,
    pub twelve_hour: bool,
    pub seconds: bool,
    pub date_sep: char,
}

impl FormatInfo {
    /// e.g. `android dmy 24h`, `ios mdy 12h seconds`.
    pub fn describe(&self, order: DateOrder) -> String {
        format!(
            "{} {} {}{}",
            self.shape.platform(),
            order,
            if self.twelve_hour { "12h" } else { "24h" },
            if self.seconds { " seconds" } else { "" }
        )
    }
}

/// The result of parsing one chat text.
#[derive(Debug, Clone)]
pub struct Parsed<'a> {
    pub messages: Vec<ParsedMessage<'a>>,
    pub order: OrderDecision,
    pub format: Option<FormatInfo>,
    /// Non-blank lines that belong to no message (text before the first header).
    pub orphan_lines: Vec<usize>,
    /// Header-shaped lines whose date or time is impossible; kept in the previous message's text.
    pub bad_date_lines: Vec<usize>,
    pub physical_lines: usize,
    /// The chat's title where the export names it: iOS attributes the encryption notice to it.
    pub title_hint: Option<String>,
    /// The text stops mid-line: a download or copy may have been cut off (RELIABILITY E9).
    pub cut_off_at: Option<usize>,
}

impl Parsed<'_> {
    /// Every line the parser did not understand as part of a message, in order.
    pub fn skipped_lines(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self
            .orphan_lines
            .iter()
            .chain(&self.bad_date_lines)
            .copied()
            .collect();
        all.sort_unstable();
        all
    }

    /// Stable ids for every message of this chat, in message order (see `model::message_id`).
    pub fn ids(&self, chat: &str) -> Vec<u64> {
        self.ids_stamped(chat, &self.stamps())
    }

    /// Every message's timestamp as SPEC §3 writes it, in message order.
    pub fn stamps(&self) -> Vec<super::dates::TsBuf> {
        let mut out = Vec::with_capacity(self.messages.len());
        crate::hugepages::advise(&out);
        out.extend(
            self.messages
                .iter()
                .map(|m| super::dates::TsBuf::new(&m.ts)),
        );
        out
    }

    /// [`Parsed::ids`] from timestamps already written out (`stamps`), for callers that
    /// print them too.
    pub fn ids_stamped(&self, chat: &str, stamps: &[super::dates::TsBuf]) -> Vec<u64> {
        let content: Vec<u64> = self
            .messages
            .iter()
            .zip(stamps)
            .map(|(m, ts)| {
                content_hash(
                    chat,
                    ts.as_str(),
                    m.sender.as_deref(),
                    &m.text,
                    m.attachment.as_deref(),
                )
            })
            .collect();
        // Identical messages are rare: find them with a sort instead of counting every one.
        let mut sorted = content.clone();
        sorted.sort_unstable();
        let repeated: std::collections::HashSet<u64, PreHashed> = sorted
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        let mut seen: HashMap<u64, u32, PreHashed> = HashMap::default();
        content
            .into_iter()
            .map(|c| {
                let occurrence = if repeated.contains(&c) {
                    let n = seen.entry(c).or_insert(0);
                    *n += 1;
                    *n - 1
                } else {
                    0
                };
                id_from_content(c, occurrence)
            })
            .collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    Lf,
    CrLf,
    Cr,
    Eof,
}

/// A header line: where it starts in the text, its number, and how the line before it
/// ended (an iOS export tells continuations from headers by that).
#[derive(Clone, Copy)]
struct HeaderAt {
    start: usize,
    /// 0-based line number.
    line: u32,
    prev: Ending,
}

impl Ending {
    fn len(self) -> usize {
        match self {
            Ending::Lf | Ending::Cr => 1,
            Ending::CrLf => 2,
            Ending::Eof => 0,
        }
    }
}

/// What one pass over the lines finds: the header lines (positions and raw headers side by
/// side, so the headers alone feed date-order inference), and the facts about lines the
/// report needs. No per-line list is kept: on big files it costs more to fill than to scan.
struct LineScan {
    at: Vec<HeaderAt>,
    headers: Vec<RawHeader>,
    physical_lines: usize,
    /// Whether any line ends in CR or CRLF (else every body can borrow from the text).
    any_cr: bool,
    /// The last line's ending, and whether it holds anything but whitespace.
    last: Option<(Ending, bool)>,
}

/// Calls `visit(start, end, ending)` for every line, as LF, CRLF and lone CR split them.
fn for_each_line(
    text: &str,
    mut visit: impl FnMut(usize, usize, Ending) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    let b = text.as_bytes();
    let mut start = 0;
    for pos in memchr::memchr2_iter(b'\n', b'\r', b) {
        if pos < start {
            continue; // the LF of a CRLF already consumed
        }
        let ending = if b[pos] == b'\r' {
            if b.get(pos + 1) == Some(&b'\n') {
                Ending::CrLf
            } else {
                Ending::Cr
            }
        } else {
            Ending::Lf
        };
        visit(start, pos, ending)?;
        start = pos + ending.len();
    }
    if start < b.len() {
        visit(start, b.len(), Ending::Eof)?;
    }
    Ok(())
}

fn scan_lines(text: &str, max: usize) -> Result<LineScan, ParseError> {
    let mut scan = LineScan {
        at: Vec::with_capacity(text.len() / 64 + 1),
        headers: Vec::with_capacity(text.len() / 64 + 1),
        physical_lines: 0,
        any_cr: false,
        last: None,
    };
    crate::hugepages::advise(&scan.at);
    crate::hugepages::advise(&scan.headers);
    let mut prev = Ending::Eof;
    for_each_line(text, |start, end, ending| {
        let line = scan.physical_lines;
        if end - start > max {
            return Err(ParseError::LineTooLong {
                line: line + 1,
                len: end - start,
                limit: max,
            });
        }
        if let Some(h) = header::scan(&text[start..end]) {
            scan.at.push(HeaderAt {
                start,
                line: u32::try_from(line).unwrap_or(u32::MAX),
                prev,
            });
            scan.headers.push(h);
        }
        scan.any_cr |= matches!(ending, Ending::Cr | Ending::CrLf);
        prev = ending;
        scan.physical_lines += 1;
        if ending == Ending::Eof {
            scan.last = Some((ending, !text[start..end].trim().is_empty()));
        } else {
            scan.last = Some((ending, true));
        }
        Ok(())
    })?;
    Ok(scan)
}

/// Parses a decoded chat text.
pub fn parse<'a>(text: &'a str, opts: &ParseOptions) -> Result<Parsed<'a>, ParseError> {
    let LineScan {
        mut at,
        mut headers,
        physical_lines,
        any_cr,
        last,
    } = scan_lines(text, opts.max_line_bytes)?;
    drop_ios_continuations(&mut at, &mut headers);

    let order = match opts.date_order {
        Some(order) => OrderDecision {
            order,
            reason: OrderReason::Given,
            contradicting: 0,
        },
        None => infer_order(&headers).map_err(
            |InconsistentOrder {
                 dmy_lines,
                 mdy_lines,
             }| {
                ParseError::InconsistentDateOrder {
                    dmy: dmy_lines,
                    mdy: mdy_lines,
                }
            },
        )?,
    };
    let format = dominant_format(headers.iter());

    // Messages start at the headers whose date is possible; one with an impossible date is
    // kept as text of the message before. Each message runs to the next start.
    let mut bad_date_lines = Vec::new();
    let mut starts = at
        .iter()
        .zip(&headers)
        .filter_map(|(a, h)| match timestamp(h, order.order) {
            Some(ts) => Some((*a, h.body_start, h.shape, ts)),
            None => {
                bad_date_lines.push(a.line as usize + 1);
                None
            }
        });
    let mut messages = Vec::with_capacity(headers.len());
    crate::hugepages::advise(&messages);
    let mut title_hint = None;
    let mut first_start: Option<HeaderAt> = None;
    let mut current = starts.next();
    while let Some((a, body_start, shape, ts)) = current {
        first_start.get_or_insert(a);
        let next = starts.next();
        let (end, end_line) = match &next {
            Some((n, ..)) => (n.start - n.prev.len(), n.line as usize),
            None => (
                text.len() - last.map_or(0, |(e, _)| e.len()),
                physical_lines,
            ),
        };
        let body_at = (a.start + body_start).min(end);
        let body = body_text(&text[body_at..end], any_cr);
        let ios = shape != Shape::Dash;
        let line = a.line as usize;
        let msg = build_message(body, ios, shape, line + 1, end_line - line, ts);
        if title_hint.is_none() {
            if let Some(author) = msg.1 {
                title_hint = Some(author);
            }
        }
        messages.push(msg.0);
        current = next;
    }
    drop(starts);

    let (first_line, first_offset) =
        first_start.map_or((physical_lines, text.len()), |a| (a.line as usize, a.start));
    let orphan_lines = nonblank_lines(&text[..first_offset]);
    // A bad-date header before the first message is an orphan, not a kept continuation.
    bad_date_lines.retain(|l| *l > first_line);

    let cut_off_at = last
        .filter(|(ending, filled)| *ending == Ending::Eof && *filled)
        .map(|_| physical_lines);
    Ok(Parsed {
        cut_off_at,
        messages,
        order,
        format,
        orphan_lines,
        bad_date_lines,
        physical_lines,
        title_hint,
    })
}

/// The 1-based numbers of the lines of `text` that hold more than whitespace.
fn nonblank_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut n = 0;
    let _ = for_each_line(text, |start, end, _| {
        n += 1;
        if !text[start..end].trim().is_empty() {
            out.push(n);
        }
        Ok(())
    });
    out
}

/// In an iOS export every message ends with CRLF while newlines typed inside a message are a
/// bare LF, so a line after a bare LF continues a message even when it looks like a header.
/// Only trusted when nearly all headers follow a CRLF (a file that mixes exports does not).
fn drop_ios_continuations(at: &mut Vec<HeaderAt>, headers: &mut Vec<RawHeader>) {
    let preceded = at.iter().filter(|a| a.line > 0);
    let total = preceded.clone().count();
    let after_crlf = preceded.filter(|a| a.prev == Ending::CrLf).count();
    let after_lf = total - after_crlf;
    if after_crlf < 2 || after_lf * 5 > after_crlf {
        return;
    }
    let keep: Vec<bool> = at
        .iter()
        .map(|a| a.line == 0 || a.prev != Ending::Lf)
        .collect();
    let mut k = keep.iter();
    at.retain(|_| *k.next().unwrap_or(&true));
    let mut k = keep.iter();
    headers.retain(|_| *k.next().unwrap_or(&true));
}

fn dominant_format<'h>(headers: impl Iterator<Item = &'h RawHeader>) -> Option<FormatInfo> {
    // A file has one or two header formats: a short list beats hashing every header.
    let mut counts: Vec<((Shape, bool, bool, u8), usize)> = Vec::new();
    for h in headers {
        let key = (
            h.shape,
            h.meridiem != Meridiem::None,
            h.has_seconds,
            h.date_sep,
        );
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((key, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|(k, n)| (*n, k.0 == Shape::Bracket))
        .map(|((shape, twelve_hour, seconds, sep), _)| FormatInfo {
            shape,
            twelve_hour,
            seconds,
            date_sep: char::from(sep),
        })
}

/// The body of a message: the rest of its header line plus its continuation lines, joined by
/// `\n`. Borrowed unless CR or CRLF line ends inside it have to become `\n`.
fn body_text(region: &str, any_cr: bool) -> Cow<'_, str> {
    if !any_cr || memchr::memchr(b'\r', region.as_bytes()).is_none() {
        return Cow::Borrowed(region);
    }
    Cow::Owned(region.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Splits the author from the body and classifies it. Also returns the author of an
/// attributed event (iOS names the chat as the author of its encryption notice).
fn build_message(
    body: Cow<'_, str>,
    ios: bool,
    shape: Shape,
    line: usize,
    span: usize,
    ts: NaiveDateTime,
) -> (ParsedMessage<'_>, Option<String>) {
    let (sender, c) = match body {
        Cow::Borrowed(b) => match author_split(b, shape) {
            None => (None, classify_event(b)),
            Some((name, rest)) => (Some(name), classify(&b[rest..], ios)),
        },
        Cow::Owned(b) => match author_split(&b, shape) {
            None => (None, owned(classify_event(&b))),
            Some((name, rest)) => (
                Some(Cow::Owned(name.into_owned())),
                owned(classify(&b[rest..], ios)),
            ),
        },
    };
    // SPEC §2: an event has no sender, even where iOS attributes it to the group or the actor.
    let (sender, attributed) = match (sender, c.kind) {
        (Some(s), Kind::System) => (None, Some(s.into_owned())),
        (s, _) => (s, None),
    };
    let msg = ParsedMessage {
        line,
        lines: span,
        ts,
        sender,
        kind: c.kind,
        text: c.text,
        attachment: c.attachment,
        edited: c.edited,
    };
    (msg, attributed)
}

fn owned(c: Classified<'_>) -> Classified<'static> {
    Classified {
        kind: c.kind,
        text: Cow::Owned(c.text.into_owned()),
        attachment: c.attachment.map(|a| Cow::Owned(a.into_owned())),
        edited: c.edited,
    }
}

/// Where the first `": "` of the first line is, or else where the first line ends: one loop
/// that stops at whichever comes first (names are short; bodies can be long).
fn colon_space_or_line_end(b: &[u8]) -> Result<usize, usize> {
    for (i, c) in b.iter().enumerate() {
        match c {
            b'\n' => return Err(i),
            b':' if b.get(i + 1) == Some(&b' ') => return Ok(i),
            _ => {}
        }
    }
    Err(b.len())
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
        && (name.len() > 40 || name.contains(['"', '“']))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::dates::format_ts;

    fn parse_ok(text: &str) -> Parsed<'_> {
        parse(text, &ParseOptions::default()).expect("parses")
    }

    #[test]
    fn multiline_and_continuations() {
        let p = parse_ok(
            "junk before\n17/03/2023, 21:47 - Maya: Forecast looks grim.\nMight postpone.\n\nThoughts?\n18/03/2023, 08:00 - Tom: ok\n",
        );
        assert_eq!(p.orphan_lines, vec![1]);
        assert_eq!(p.messages.len(), 2);
        assert_eq!(
            p.messages[0].text,
            "Forecast looks grim.\nMight postpone.\n\nThoughts?"
        );
        assert_eq!(p.messages[0].lines, 4);
        assert_eq!(p.messages[1].line, 6);
        assert_eq!(format_ts(&p.messages[1].ts), "2023-03-18T08:00:00");
    }

    #[test]
    fn impossible_date_is_kept_as_text() {
        let p = parse_ok("13/01/2023, 10:00 - A: one\n30/02/2023, 10:00 - B: forged\n14/01/2023, 10:00 - A: two\n");
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.bad_date_lines, vec![2]);
        assert_eq!(p.messages[0].text, "one\n30/02/2023, 10:00 - B: forged");
    }

    #[test]
    fn crlf_ios_with_lf_inside() {
        let text = "[02/06/2023, 09:15:00] Ian: hi\r\n[02/06/2023, 09:15:10] Ian: Who took the hose?\n[02/06/2023, 09:15:11] not: a header\r\n[13/06/2023, 09:16:00] Kofi: me\r\n[13/06/2023, 09:17:00] Kofi: again\r\n[13/06/2023, 09:18:00] Kofi: and\r\n[13/06/2023, 09:19:00] Kofi: again\r\n[13/06/2023, 09:20:00] Kofi: !\r\n";
        let p = parse_ok(text);
        assert_eq!(p.messages.len(), 7);
        let p = parse_ok(&text[text.find("[02/06/2023, 09:15:10]").unwrap_or(0)..]);
        assert_eq!(
            p.messages[0].text,
            "Who took the hose?\n[02/06/2023, 09:15:11] not: a header"
        );
        assert_eq!(p.messages.len(), 6);
    }

    #[test]
    fn events_and_attributed_events() {
        let p = parse_ok("[8/14/24, 9:00:10\u{202F}PM] Book Club: \u{200E}Messages and calls are end-to-end encrypted.\r\n[8/14/24, 9:00:11\u{202F}PM] Rita: \u{200E}Rita changed this group's icon\r\n[8/31/24, 9:01:00\u{202F}PM] Rita: hi\r\n");
        assert_eq!(p.title_hint.as_deref(), Some("Book Club"));
        assert_eq!(p.messages[0].kind, Kind::System);
        assert_eq!(p.messages[0].sender, None);
        assert_eq!(p.messages[1].kind, Kind::System);
        assert_eq!(p.messages[2].sender.as_deref(), Some("Rita"));
        let p = parse_ok("14/03/2023, 09:12 - You changed the subject to \"Trip: Day 1\"\n15/03/2023, 09:12 - A: b\n");
        assert_eq!(p.messages[0].kind, Kind::System);
    }

    #[test]
    fn ids_keep_multiplicity() {
        let p = parse_ok("13/01/2023, 10:00 - A: same\n13/01/2023, 10:00 - A: same\n");
        let ids = p.ids("chat");
        assert_ne!(ids[0], ids[1]);
        assert_eq!(ids, p.ids("chat"));
    }

    #[test]
    fn long_lines_are_refused() {
        let long = format!("13/01/2023, 10:00 - A: {}\n", "x".repeat(100));
        let opts = ParseOptions {
            max_line_bytes: 50,
            ..ParseOptions::default()
        };
        assert!(matches!(
            parse(&long, &opts),
            Err(ParseError::LineTooLong { line: 1, .. })
        ));
    }
}
