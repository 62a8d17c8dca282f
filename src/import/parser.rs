//! Chat text to messages: finds header lines, decides the date order from the whole file,
//! splits authors, joins continuation lines and classifies each body. Nothing is dropped:
//! lines before the first message and headers with impossible dates are reported by number.

use super::classify::{classify, classify_event};
use super::dates::{
    infer_order, DateOrder, InconsistentOrder, OrderDecision, OrderReason, Stamper,
};
use super::header::{self, Meridiem, RawHeader, Shape};
use super::lines::{for_each_line, Ending};
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
    /// Longest physical line accepted, in bytes (docs/reliability.md, E10).
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
    #[error("the chat text is {mib} MiB, over the parser's limit of {limit_mib} MiB")]
    TooLarge { mib: usize, limit_mib: usize },
}

/// The largest chat text one parse takes. Message records keep 32-bit offsets into the text
/// and into the buffer of rewritten strings, which holds at most about four times the text
/// (a body copied for its line ends, its rewritten parts, and all that once more when a later
/// header line is folded into it): 4 × 512 MiB stays well inside 4 GiB.
pub const MAX_TEXT_BYTES: usize = 512 << 20;

/// One parsed message, borrowing from the chat text (or the parse's own buffer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedMessage<'p> {
    /// 1-based line where the message starts.
    pub line: usize,
    /// Number of physical lines it spans.
    pub lines: usize,
    pub ts: NaiveDateTime,
    pub sender: Option<&'p str>,
    pub kind: Kind,
    pub text: &'p str,
    pub attachment: Option<&'p str>,
    pub edited: bool,
}

/// Where one of a message's strings is: a byte range of the chat text, or of the parse's
/// own buffer for the few strings that had to be rewritten (CR line ends, invisible marks).
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    at: u32,
    len: u32,
}

const HAS_SENDER: u8 = 1;
const HAS_ATTACHMENT: u8 = 1 << 1;
const SENDER_REWRITTEN: u8 = 1 << 2;
const TEXT_REWRITTEN: u8 = 1 << 3;
const ATTACHMENT_REWRITTEN: u8 = 1 << 4;
const EDITED: u8 = 1 << 5;
/// An event's author as iOS writes it: not a sender, but it may name the chat.
const ATTRIBUTED: u8 = 1 << 6;
/// A header line that turned out not to start a message (while parsing only).
const NOT_A_START: u8 = 1 << 7;

/// A message as the parser keeps it: 48 bytes of positions instead of three owned-or-borrowed
/// strings, because on a big export filling fresh memory costs as much as parsing.
#[derive(Debug, Clone)]
struct Record {
    line: u32,
    lines: u32,
    ts: NaiveDateTime,
    sender: Span,
    text: Span,
    attachment: Span,
    kind: Kind,
    flags: u8,
    /// An event only by its leading U+200E, until [`Parsed::settle_marked_bodies`] decides.
    event_by_mark_only: bool,
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
    text: &'a str,
    /// Strings that are not verbatim in `text`.
    rewritten: String,
    records: Vec<Record>,
    pub order: OrderDecision,
    pub format: Option<FormatInfo>,
    /// Non-blank lines that belong to no message (text before the first header).
    pub orphan_lines: Vec<usize>,
    /// Header-shaped lines whose date or time is impossible; kept in the previous message's text.
    pub bad_date_lines: Vec<usize>,
    pub physical_lines: usize,
    /// The chat's title where the export names it: iOS attributes the encryption notice to it.
    pub title_hint: Option<String>,
    /// The text stops mid-line: a download or copy may have been cut off (docs/reliability.md, E9).
    pub cut_off_at: Option<usize>,
    /// What was decided about header lines that follow a bare LF in a CRLF file.
    pub line_ends: BareLfHeaders,
}

/// In an iOS export every message ends with CRLF and a line break typed inside a message is a
/// bare LF, so a header-shaped line after a bare LF is normally text of the message before
/// (a pasted message). A hand-edited CRLF file may hold a run of real messages with LF ends;
/// those are told apart by their times (see [`settle_bare_lf_headers`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BareLfHeaders {
    /// 1-based lines that look like headers after a bare LF, kept as text of the message before.
    pub folded_lines: Vec<usize>,
    /// How many such lines were read as messages of their own.
    pub kept_as_messages: usize,
}

/// Decides, for each header line after a bare LF in an iOS-shaped file, whether it starts a
/// message. Real messages in a hand-edited stretch come as a run of one-line messages with
/// LF ends, in the file's header format and with times between the messages around them; a
/// message pasted into another is one line among text, or older, or in another format. Those
/// that are not real starts are flagged as no start.
fn settle_bare_lf_headers(
    scan: &mut Scan<'_>,
    candidates: &[usize],
    format: Option<&FormatInfo>,
) -> BareLfHeaders {
    let mut out = BareLfHeaders::default();
    if candidates.is_empty() {
        return out;
    }
    let is_start = |r: &Record| r.flags & NOT_A_START == 0;
    let records = &scan.store.records;
    // The time of the next start that is no candidate, for each candidate (one backward walk).
    let mut next_ts = vec![None; candidates.len()];
    let mut upcoming = None;
    let mut c = candidates.len();
    for i in (0..records.len()).rev() {
        if c > 0 && candidates[c - 1] == i {
            c -= 1;
            next_ts[c] = upcoming;
        } else if is_start(&records[i]) {
            upcoming = Some(records[i].ts);
        }
    }
    let same_format = |h: &RawHeader| {
        format.is_some_and(|f| {
            f.shape == h.shape
                && f.twelve_hour == (h.meridiem != Meridiem::None)
                && f.seconds == h.has_seconds
                && char::from(h.date_sep) == f.date_sep
        })
    };
    let mut c = 0;
    let mut previous_start = None;
    for i in 0..scan.store.records.len() {
        let (ts, line, start) = {
            let r = &scan.store.records[i];
            (r.ts, r.line as usize, is_start(r))
        };
        if c < candidates.len() && candidates[c] == i {
            let records = &scan.store.records;
            let next_line_too = |d: usize, j: usize, l: usize| {
                candidates.get(d) == Some(&j)
                    && records.get(j).is_some_and(|r| r.line as usize == l)
            };
            let in_run = (c > 0 && next_line_too(c - 1, i.wrapping_sub(1), line.wrapping_sub(1)))
                || next_line_too(c + 1, i + 1, line + 1);
            let fits_before = previous_start.is_none_or(|p| p <= ts);
            let fits_after = next_ts[c].is_none_or(|n| ts <= n);
            if in_run && same_format(&scan.headers[i]) && fits_before && fits_after {
                out.kept_as_messages += 1;
                previous_start = Some(ts);
            } else {
                out.folded_lines.push(line);
                scan.store.records[i].flags |= NOT_A_START;
            }
            c += 1;
        } else if start {
            previous_start = Some(ts);
        }
    }
    out
}

impl Parsed<'_> {
    /// How many messages the text holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The messages, in file order.
    pub fn messages(
        &self,
    ) -> impl ExactSizeIterator<Item = ParsedMessage<'_>> + DoubleEndedIterator + Clone + '_ {
        self.records.iter().map(|r| self.view(r))
    }

    /// The `n`-th message (from 0).
    pub fn message(&self, n: usize) -> Option<ParsedMessage<'_>> {
        self.records.get(n).map(|r| self.view(r))
    }

    /// Settles the bodies that only their leading U+200E made events, from the whole file.
    /// People's own messages carry the mark too (once or doubled), so such a body stays an
    /// event only when its author is the group (writes nothing unmarked) or the body repeats
    /// its author's name (`Burak Kaya: ⟨LRM⟩Burak Kaya bu grubu oluşturdu`); else it is the
    /// author's text. Event wording was already recognised by the classifier.
    fn settle_marked_bodies(&mut self) {
        let marked: Vec<usize> = (0..self.records.len())
            .filter(|&i| self.records[i].event_by_mark_only)
            .collect();
        if marked.is_empty() {
            return;
        }
        let author_of = |p: &Self, i: usize| {
            let r = &p.records[i];
            p.str_of(r, r.sender, SENDER_REWRITTEN).to_string()
        };
        // The few authors in question, and whether each also writes as a person.
        let mut authors: Vec<(String, bool)> = Vec::new();
        for &i in &marked {
            let name = author_of(self, i);
            if !authors.iter().any(|(a, _)| *a == name) {
                authors.push((name, false));
            }
        }
        let mut undecided = authors.len();
        for r in self.records.iter().filter(|r| r.flags & HAS_SENDER != 0) {
            let name = self.str_of(r, r.sender, SENDER_REWRITTEN);
            if let Some(a) = authors
                .iter_mut()
                .find(|(a, writes)| !*writes && a.len() == name.len() && a == name)
            {
                a.1 = true;
                undecided -= 1;
                if undecided == 0 {
                    break;
                }
            }
        }
        for i in marked {
            let name = author_of(self, i);
            let writes_as_person = authors.iter().any(|(a, writes)| *a == name && *writes);
            let r = &self.records[i];
            let text = self.str_of(r, r.text, TEXT_REWRITTEN);
            let repeats_name = fold_spaces(text).contains(&fold_spaces(&name));
            let r = &mut self.records[i];
            r.event_by_mark_only = false;
            if writes_as_person && !repeats_name {
                r.kind = Kind::Text;
                r.flags = (r.flags & !ATTRIBUTED) | HAS_SENDER;
            }
        }
    }

    /// The first author iOS attributes an event to, which names the chat in its encryption
    /// notice.
    fn attributed(&self) -> Option<&str> {
        let r = self.records.iter().find(|r| r.flags & ATTRIBUTED != 0)?;
        Some(self.str_of(r, r.sender, SENDER_REWRITTEN))
    }

    fn str_of(&self, r: &Record, span: Span, rewritten: u8) -> &str {
        let from = if r.flags & rewritten != 0 {
            self.rewritten.as_str()
        } else {
            self.text
        };
        let at = span.at as usize;
        from.get(at..at + span.len as usize).unwrap_or_default()
    }

    fn view(&self, r: &Record) -> ParsedMessage<'_> {
        let s = |span: Span, rewritten: u8| self.str_of(r, span, rewritten);
        ParsedMessage {
            line: r.line as usize,
            lines: r.lines as usize,
            ts: r.ts,
            sender: (r.flags & HAS_SENDER != 0).then(|| s(r.sender, SENDER_REWRITTEN)),
            kind: r.kind,
            text: s(r.text, TEXT_REWRITTEN),
            attachment: (r.flags & HAS_ATTACHMENT != 0)
                .then(|| s(r.attachment, ATTACHMENT_REWRITTEN)),
            edited: r.flags & EDITED != 0,
        }
    }

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
        // One thread: hashing on a second one saved nothing measurable even on a 1 M-message
        // export (docs/performance.md, issue 16).
        let mut content = Vec::with_capacity(self.len());
        crate::hugepages::advise(&content);
        content.extend(self.records.iter().map(|r| {
            let m = self.view(r);
            let ts = crate::timestamp::TsBuf::new(&r.ts);
            content_hash(chat, ts.as_str(), m.sender, m.text, m.attachment)
        }));
        // Identical messages are rare: find them with a sort instead of counting every one.
        let mut sorted = content.clone();
        sorted.sort_unstable();
        let repeated: std::collections::HashSet<u64, PreHashed> = sorted
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        let mut seen: HashMap<u64, u32, PreHashed> = HashMap::default();
        for c in &mut content {
            let occurrence = if !repeated.is_empty() && repeated.contains(c) {
                let n = seen.entry(*c).or_insert(0);
                *n += 1;
                *n - 1
            } else {
                0
            };
            *c = id_from_content(*c, occurrence);
        }
        content
    }
}

/// A header line: where it starts in the text, its number, and how the line before it
/// ended (an iOS export tells continuations from headers by that).
#[derive(Clone, Copy)]
struct HeaderAt {
    /// Byte offset of the line (texts are at most `MAX_TEXT_BYTES`: 32 bits hold it).
    start: u32,
    /// 0-based line number.
    line: u32,
    prev: Ending,
}

/// The one pass over the lines: every header line is taken as a message start, and the
/// message before it is built at once, while its text is still in the cache. Whether each
/// start holds up (a possible date in the file's date order; not an iOS continuation) is only
/// known at the end: [`parse`] then dates every start and [`Scan::merge_non_starts`] folds
/// those that do not hold into the message before.
struct Scan<'a> {
    store: Store<'a>,
    /// Every header line, side by side with `headers` and with `store.records`.
    at: Vec<HeaderAt>,
    headers: Vec<RawHeader>,
    physical_lines: usize,
    /// Whether a line of the message being read ends in CR or CRLF before its last line
    /// (else its body borrows from the text, with no search for CR).
    cr_inside: bool,
    /// The last line's ending, and whether it holds anything but whitespace.
    last: Option<(Ending, bool)>,
}

impl<'a> Scan<'a> {
    fn run(text: &'a str, max: usize) -> Result<Scan<'a>, ParseError> {
        let mut scan = Scan {
            store: Store {
                text,
                rewritten: String::new(),
                records: Vec::with_capacity(text.len() / 64 + 1),
            },
            at: Vec::with_capacity(text.len() / 64 + 1),
            headers: Vec::with_capacity(text.len() / 64 + 1),
            physical_lines: 0,
            cr_inside: false,
            last: None,
        };
        crate::hugepages::advise(&scan.store.records);
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
                let here = HeaderAt {
                    start: start as u32,
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                    prev,
                };
                scan.close_last(Some(here));
                scan.at.push(here);
                scan.headers.push(h);
                scan.cr_inside = false;
            } else if prev.has_cr() {
                // The line before continues into this one: its CR is inside the message.
                scan.cr_inside = true;
            }
            prev = ending;
            scan.physical_lines += 1;
            let filled = ending != Ending::Eof || !text[start..end].trim().is_empty();
            scan.last = Some((ending, filled));
            Ok(())
        })?;
        scan.close_last(None);
        Ok(scan)
    }

    /// Builds the message of the last header line, which runs up to `next` (or the end).
    fn close_last(&mut self, next: Option<HeaderAt>) {
        let n = self.store.records.len();
        if let (Some(a), Some(h)) = (self.at.get(n), self.headers.get(n)) {
            let (a, shape, body_start) = (*a, h.shape, h.body_start);
            let (end, end_line) = self.end_before(next);
            self.store
                .add(a, body_start, end, end_line, self.cr_inside, shape);
        }
    }

    /// Where a message that runs up to the header line `next` ends: its last byte and the
    /// number of the line after it.
    fn end_before(&self, next: Option<HeaderAt>) -> (usize, u32) {
        match next {
            Some(n) => (n.start as usize - n.prev.bytes(), n.line),
            None => (
                self.store.text.len() - self.last.map_or(0, |(e, _)| e.bytes()),
                u32::try_from(self.physical_lines).unwrap_or(u32::MAX),
            ),
        }
    }

    /// Which header lines start messages, now that the whole file is known.
    ///
    /// In an iOS export every message ends with CRLF while newlines typed inside a message are
    /// a bare LF, so a line after a bare LF continues a message even when it looks like a
    /// header. Only trusted when nearly all headers follow a CRLF (a file that mixes exports
    /// does not).
    fn ios_continuations(&self) -> bool {
        let preceded = self.at.iter().filter(|a| a.line > 0);
        let total = preceded.clone().count();
        let after_crlf = preceded.filter(|a| a.prev.is_crlf()).count();
        let after_lf = total - after_crlf;
        after_crlf >= 2 && after_lf * 5 <= after_crlf
    }
}

/// Parses a decoded chat text.
pub fn parse<'a>(text: &'a str, opts: &ParseOptions) -> Result<Parsed<'a>, ParseError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ParseError::TooLarge {
            mib: text.len() >> 20,
            limit_mib: MAX_TEXT_BYTES >> 20,
        });
    }
    let mut scan = Scan::run(text, opts.max_line_bytes)?;
    let continuation = |a: &HeaderAt| a.line > 0 && a.prev == Ending::Lf;
    let drop_continuations = scan.ios_continuations() && scan.at.iter().any(continuation);
    let kept_headers: Cow<'_, [RawHeader]> = if drop_continuations {
        let kept = scan.at.iter().zip(&scan.headers);
        Cow::Owned(
            kept.filter(|(a, _)| !continuation(a))
                .map(|(_, h)| *h)
                .collect(),
        )
    } else {
        Cow::Borrowed(&scan.headers)
    };

    let order = match opts.date_order {
        Some(order) => OrderDecision {
            order,
            reason: OrderReason::Given,
            contradicting: 0,
        },
        None => infer_order(&kept_headers).map_err(
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
    let format = dominant_format(kept_headers.iter());
    drop(kept_headers);

    // Messages start at the headers whose date is possible; one with an impossible date is
    // kept as text of the message before, as is an iOS continuation.
    let mut bad_date_lines = Vec::new();
    let mut merged = 0;
    let mut stamper = Stamper::new(order.order);
    let mut after_bare_lf = Vec::new();
    for (i, ((a, h), r)) in scan
        .at
        .iter()
        .zip(&scan.headers)
        .zip(&mut scan.store.records)
        .enumerate()
    {
        match stamper.stamp(h) {
            Some(ts) => r.ts = ts,
            None => {
                bad_date_lines.push(a.line as usize + 1);
                r.flags |= NOT_A_START;
                merged += 1;
                continue;
            }
        }
        if drop_continuations && continuation(a) {
            after_bare_lf.push(i);
        }
    }
    let line_ends = settle_bare_lf_headers(&mut scan, &after_bare_lf, format.as_ref());
    merged += line_ends.folded_lines.len();
    if merged > 0 {
        scan.merge_non_starts();
    }

    let Scan {
        store,
        at,
        physical_lines,
        last,
        ..
    } = scan;
    // Header positions and records are side by side, the dropped starts gone from both.
    let first_start = store.records.first().and(at.first());
    let (first_line, first_offset) = first_start.map_or((physical_lines, text.len()), |a| {
        (a.line as usize, a.start as usize)
    });
    let orphan_lines = nonblank_lines(&text[..first_offset]);
    // A bad-date header before the first message is an orphan, not a kept continuation.
    bad_date_lines.retain(|l| *l > first_line);

    let cut_off_at = last
        .filter(|(ending, filled)| *ending == Ending::Eof && *filled)
        .map(|_| physical_lines);
    let mut parsed = Parsed {
        cut_off_at,
        text,
        rewritten: store.rewritten,
        records: store.records,
        order,
        format,
        orphan_lines,
        bad_date_lines,
        physical_lines,
        title_hint: None,
        line_ends,
    };
    parsed.settle_marked_bodies();
    parsed.title_hint = parsed.attributed().map(str::to_string);
    Ok(parsed)
}

impl Scan<'_> {
    /// Folds every header line that does not start a message into the message before it,
    /// building that message again over its whole extent, and drops those before the first.
    fn merge_non_starts(&mut self) {
        let n = self.store.records.len();
        let mut kept = 0;
        let mut i = 0;
        while i < n {
            if self.store.records[i].flags & NOT_A_START != 0 {
                i += 1;
                continue;
            }
            let mut next = i + 1;
            while next < n && self.store.records[next].flags & NOT_A_START != 0 {
                next += 1;
            }
            if next > i + 1 {
                let (end, end_line) = self.end_before(self.at.get(next).copied());
                let (a, h) = (self.at[i], self.headers[i]);
                let ts = self.store.records[i].ts;
                // Merged messages span header lines, so CR may be anywhere in them.
                self.store
                    .add(a, h.body_start, end, end_line, true, h.shape);
                if let Some(mut rebuilt) = self.store.records.pop() {
                    rebuilt.ts = ts;
                    self.store.records[i] = rebuilt;
                }
            }
            self.store.records.swap(kept, i);
            self.at.swap(kept, i);
            self.headers.swap(kept, i);
            kept += 1;
            i = next;
        }
        self.store.records.truncate(kept);
        self.at.truncate(kept);
        self.headers.truncate(kept);
    }
}

/// Lower case with every kind of space as a plain one, to find a name inside a text.
fn fold_spaces(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The 1-based numbers of the lines of `text` that hold more than whitespace.
fn nonblank_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut n = 0;
    let never_fails = for_each_line(text, |start, end, _| {
        n += 1;
        if !text[start..end].trim().is_empty() {
            out.push(n);
        }
        Ok::<(), std::convert::Infallible>(())
    });
    match never_fails {
        Ok(()) => out,
    }
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

/// The messages being built, and the buffer for strings that are not verbatim in the text.
struct Store<'a> {
    text: &'a str,
    rewritten: String,
    records: Vec<Record>,
}

impl Store<'_> {
    /// Builds and stores the message of header line `a`, which runs to byte `end` and ends
    /// before line `end_line`: splits the author from the body and classifies it. Its time
    /// is set once the file's date order is known.
    ///
    /// The body is the rest of the header line plus its continuation lines, joined by `\n`:
    /// borrowed from the text unless CR or CRLF line ends inside it have to become `\n`.
    fn add(
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
    fn place(&mut self, s: Cow<'_, str>, body: &str, base: Base) -> (Span, bool) {
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
enum Base {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::format_ts;

    fn parse_ok(text: &str) -> Parsed<'_> {
        parse(text, &ParseOptions::default()).expect("parses")
    }

    #[test]
    fn multiline_and_continuations() {
        let p = parse_ok(
            "junk before\n17/03/2023, 21:47 - Maya: Forecast looks grim.\nMight postpone.\n\nThoughts?\n18/03/2023, 08:00 - Tom: ok\n",
        );
        assert_eq!(p.orphan_lines, vec![1]);
        assert_eq!(p.len(), 2);
        assert_eq!(
            p.message(0).expect("message").text,
            "Forecast looks grim.\nMight postpone.\n\nThoughts?"
        );
        assert_eq!(p.message(0).expect("message").lines, 4);
        assert_eq!(p.message(1).expect("message").line, 6);
        assert_eq!(
            format_ts(&p.message(1).expect("message").ts),
            "2023-03-18T08:00:00"
        );
    }

    #[test]
    fn impossible_date_is_kept_as_text() {
        let p = parse_ok("13/01/2023, 10:00 - A: one\n30/02/2023, 10:00 - B: forged\n14/01/2023, 10:00 - A: two\n");
        assert_eq!(p.len(), 2);
        assert_eq!(p.bad_date_lines, vec![2]);
        assert_eq!(
            p.message(0).expect("message").text,
            "one\n30/02/2023, 10:00 - B: forged"
        );
    }

    #[test]
    fn crlf_ios_with_lf_inside() {
        let text = "[02/06/2023, 09:15:00] Ian: hi\r\n[02/06/2023, 09:15:10] Ian: Who took the hose?\n[02/06/2023, 09:15:11] not: a header\r\n[13/06/2023, 09:16:00] Kofi: me\r\n[13/06/2023, 09:17:00] Kofi: again\r\n[13/06/2023, 09:18:00] Kofi: and\r\n[13/06/2023, 09:19:00] Kofi: again\r\n[13/06/2023, 09:20:00] Kofi: !\r\n";
        let p = parse_ok(text);
        assert_eq!(p.len(), 7);
        let p = parse_ok(&text[text.find("[02/06/2023, 09:15:10]").unwrap_or(0)..]);
        assert_eq!(
            p.message(0).expect("message").text,
            "Who took the hose?\n[02/06/2023, 09:15:11] not: a header"
        );
        assert_eq!(p.len(), 6);
    }

    #[test]
    fn events_and_attributed_events() {
        let p = parse_ok("[8/14/24, 9:00:10\u{202F}PM] Book Club: \u{200E}Messages and calls are end-to-end encrypted.\r\n[8/14/24, 9:00:11\u{202F}PM] Rita: \u{200E}Rita changed this group's icon\r\n[8/31/24, 9:01:00\u{202F}PM] Rita: hi\r\n");
        assert_eq!(p.title_hint.as_deref(), Some("Book Club"));
        assert_eq!(p.message(0).expect("message").kind, Kind::System);
        assert_eq!(p.message(0).expect("message").sender, None);
        assert_eq!(p.message(1).expect("message").kind, Kind::System);
        assert_eq!(p.message(2).expect("message").sender, Some("Rita"));
        let p = parse_ok("14/03/2023, 09:12 - You changed the subject to \"Trip: Day 1\"\n15/03/2023, 09:12 - A: b\n");
        assert_eq!(p.message(0).expect("message").kind, Kind::System);
    }

    #[test]
    fn ids_keep_multiplicity() {
        let p = parse_ok("13/01/2023, 10:00 - A: same\n13/01/2023, 10:00 - A: same\n");
        let ids = p.ids("chat");
        assert_ne!(ids[0], ids[1]);
        assert_eq!(ids, p.ids("chat"));
    }

    #[test]
    fn rewritten_strings_sit_beside_borrowed_ones() {
        // CRLF inside a message and marks in a name and body force copies; the plain message
        // between them still borrows from the text.
        let text = "13/01/2023, 10:00 - \u{202A}+44 7700 900123\u{202C}: one\r\ntwo\r\n13/01/2023, 10:01 - Ana: plain\r\n13/01/2023, 10:02 - Ana: IMG-1.jpg (file attached)\r\nnice \u{200E}view\r\n";
        let p = parse_ok(text);
        let got: Vec<_> = p
            .messages()
            .map(|m| (m.sender, m.kind, m.text, m.attachment, m.line, m.lines))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("+44 7700 900123"), Kind::Text, "one\ntwo", None, 1, 2),
                (Some("Ana"), Kind::Text, "plain", None, 3, 1),
                (
                    Some("Ana"),
                    Kind::Media,
                    "nice view",
                    Some("IMG-1.jpg"),
                    4,
                    2
                ),
            ]
        );
        assert!(std::mem::size_of::<Record>() <= 48, "records stay compact");
        assert!(
            std::mem::size_of::<HeaderAt>() <= 12,
            "header positions stay compact"
        );
    }

    #[test]
    fn a_string_from_outside_the_body_is_copied_not_pointed_at() {
        let text = "13/01/2023, 10:00 - A: body";
        let mut store = Store {
            text,
            rewritten: String::new(),
            records: Vec::new(),
        };
        let body = &text[20..];
        let inside = store.place(Cow::Borrowed(&body[3..]), body, Base::Text(20));
        assert_eq!((inside.0.at, inside.0.len, inside.1), (23, 4, false));
        let outside = store.place(Cow::Borrowed("elsewhere"), body, Base::Text(20));
        assert_eq!((outside.0.at, outside.0.len, outside.1), (0, 9, true));
        assert_eq!(store.rewritten, "elsewhere");
    }

    #[test]
    fn texts_beyond_32_bit_offsets_are_refused() {
        let huge = " ".repeat(MAX_TEXT_BYTES + 1);
        assert!(matches!(
            parse(&huge, &ParseOptions::default()),
            Err(ParseError::TooLarge { .. })
        ));
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
