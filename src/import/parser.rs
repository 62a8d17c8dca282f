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

mod scan;
mod store;

use scan::{settle_bare_lf_headers, HeaderAt, Scan};
use store::Store;

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
        // The messages' contents are hashed and sorted in two halves, one per thread: on a big
        // export this is the last step before any document can be built, while the other
        // core has nothing to do (1 M messages: 95–130 ms → 55–70 ms; docs/performance.md).
        let mut content = vec![0u64; self.len()];
        let hash_and_sort = |records: &[Record], out: &mut [u64]| {
            for (r, o) in records.iter().zip(out.iter_mut()) {
                let m = self.view(r);
                let ts = crate::timestamp::TsBuf::new(&r.ts);
                *o = content_hash(chat, ts.as_str(), m.sender, m.text, m.attachment);
            }
            let mut sorted = out.to_vec();
            sorted.sort_unstable();
            sorted
        };
        let half = self.len() / 2;
        let (first, second) = self.records.split_at(half);
        let (first_out, second_out) = content.split_at_mut(half);
        let (a, b) = if self.len() < PARALLEL_IDS_FROM {
            (
                hash_and_sort(first, first_out),
                hash_and_sort(second, second_out),
            )
        } else {
            std::thread::scope(|s| {
                let other = s.spawn(|| hash_and_sort(second, second_out));
                let mine = hash_and_sort(first, first_out);
                let theirs = other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (mine, theirs)
            })
        };
        // Identical messages are rare: find them in the two sorted halves, merged.
        let repeated = repeated_in(&a, &b);
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

/// Messages from this many on have their ids worked out on two threads; below, a thread
/// costs more than it saves.
const PARALLEL_IDS_FROM: usize = 1 << 16;

/// The values found more than once in `a` and `b` together, both sorted.
fn repeated_in(a: &[u64], b: &[u64]) -> std::collections::HashSet<u64, PreHashed> {
    let mut repeated = std::collections::HashSet::default();
    let (mut i, mut j) = (0, 0);
    let mut last = None;
    while i < a.len() || j < b.len() {
        let next = if j >= b.len() || (i < a.len() && a[i] <= b[j]) {
            i += 1;
            a[i - 1]
        } else {
            j += 1;
            b[j - 1]
        };
        if last == Some(next) {
            repeated.insert(next);
        }
        last = Some(next);
    }
    repeated
}

/// Parses a decoded chat text.
pub fn parse<'a>(text: &'a str, opts: &ParseOptions) -> Result<Parsed<'a>, ParseError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ParseError::TooLarge {
            mib: text.len() >> 20,
            limit_mib: MAX_TEXT_BYTES >> 20,
        });
    }
    let scan = Scan::run(text, opts.max_line_bytes)?;
    parse_scanned(text, opts, scan)
}

/// The rest of [`parse`], once the line walk is done.
fn parse_scanned<'a>(
    text: &'a str,
    opts: &ParseOptions,
    mut scan: Scan<'a>,
) -> Result<Parsed<'a>, ParseError> {
    let drop_continuations = scan.ios_continuations() && scan.at.iter().any(is_continuation);
    let (order, format) = order_and_format(&scan, opts, drop_continuations)?;
    let (mut bad_date_lines, mut merged, after_bare_lf) =
        date_starts(&mut scan, order.order, drop_continuations);
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

/// A header line after a bare LF: in an iOS export, text of the message before it.
fn is_continuation(a: &HeaderAt) -> bool {
    a.line > 0 && a.prev == Ending::Lf
}

/// The file's date order (given, or inferred from its headers) and its usual header format,
/// both judged without the iOS continuations when those are dropped.
fn order_and_format(
    scan: &Scan<'_>,
    opts: &ParseOptions,
    drop_continuations: bool,
) -> Result<(OrderDecision, Option<FormatInfo>), ParseError> {
    let kept_headers: Cow<'_, [RawHeader]> = if drop_continuations {
        let kept = scan.at.iter().zip(&scan.headers);
        Cow::Owned(
            kept.filter(|(a, _)| !is_continuation(a))
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
    Ok((order, dominant_format(kept_headers.iter())))
}

/// Dates every start. Messages start at the headers whose date is possible; one with an
/// impossible date is kept as text of the message before (flagged no start), as is an iOS
/// continuation. Returns the impossible dates' lines (1-based), how many starts were
/// flagged, and the records after a bare LF that [`settle_bare_lf_headers`] decides on.
fn date_starts(
    scan: &mut Scan<'_>,
    order: DateOrder,
    drop_continuations: bool,
) -> (Vec<usize>, usize, Vec<usize>) {
    let mut bad_date_lines = Vec::new();
    let mut merged = 0;
    let mut stamper = Stamper::new(order);
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
        if drop_continuations && is_continuation(a) {
            after_bare_lf.push(i);
        }
    }
    (bad_date_lines, merged, after_bare_lf)
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

#[cfg(test)]
mod tests;
