//! The one pass over a chat text's lines that finds the header lines and builds each
//! message, and the later decisions on which header lines really start a message.

use super::*;

/// A header line: where it starts in the text, its number, and how the line before it
/// ended (an iOS export tells continuations from headers by that).
#[derive(Clone, Copy)]
pub(super) struct HeaderAt {
    /// Byte offset of the line (texts are at most `MAX_TEXT_BYTES`: 32 bits hold it).
    pub(super) start: u32,
    /// 0-based line number.
    pub(super) line: u32,
    pub(super) prev: Ending,
}

/// The one pass over the lines: every header line is taken as a message start, and the
/// message before it is built at once, while its text is still in the cache. Whether each
/// start holds up (a possible date in the file's date order; not an iOS continuation) is only
/// known at the end: [`parse`] then dates every start and [`Scan::merge_non_starts`] folds
/// those that do not hold into the message before.
pub(super) struct Scan<'a> {
    pub(super) store: Store<'a>,
    /// Every header line, side by side with `headers` and with `store.records`.
    pub(super) at: Vec<HeaderAt>,
    pub(super) headers: Vec<RawHeader>,
    pub(super) physical_lines: usize,
    /// Whether a line of the message being read ends in CR or CRLF before its last line
    /// (else its body borrows from the text, with no search for CR).
    pub(super) cr_inside: bool,
    /// The last line's ending, and whether it holds anything but whitespace.
    pub(super) last: Option<(Ending, bool)>,
}

/// Texts from this size on are scanned in two halves on two threads: the scan is most of a
/// big export's parse, and the parse comes before any document can be built, with the other
/// core idle (docs/performance.md, "Third day"). WhatsApp's own exports (at most 40 000
/// messages, 3–4 MB) stay in one piece.
const SCAN_IN_HALVES_FROM: usize = 4 << 20;

impl<'a> Scan<'a> {
    /// Scans the whole text: in two halves at [`split_point`] when it is big.
    pub(super) fn run(text: &'a str, max: usize) -> Result<Scan<'a>, ParseError> {
        let split = (text.len() >= SCAN_IN_HALVES_FROM)
            .then(|| split_point(text))
            .flatten();
        Scan::run_split(text, max, split)
    }

    /// Scans the text in one piece, or in two from `split` on, which must be the start of a
    /// header line: the line walk, the messages and their numbering are the same either way
    /// (a test holds them equal at every split of many texts).
    pub(super) fn run_split(
        text: &'a str,
        max: usize,
        split: Option<usize>,
    ) -> Result<Scan<'a>, ParseError> {
        let Some(split) = split else {
            let mut scan = Scan::over(text, 0..text.len(), text.len(), max)?;
            scan.close_last(None);
            return Ok(scan);
        };
        let (first, second) = std::thread::scope(|s| {
            let second = std::thread::Builder::new()
                .spawn_scoped(s, || {
                    Scan::over(text, split..text.len(), text.len() - split, max)
                })
                .ok();
            // Room for the whole text's messages: the second half's are appended.
            let first = Scan::over(text, 0..split, text.len(), max);
            let second = match second {
                Some(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to be had: the second half is scanned after the first.
                None => Scan::over(text, split..text.len(), text.len() - split, max),
            };
            (first, second)
        });
        // An error in the first half comes first in the file.
        let mut first = first?;
        let second = second.map_err(|e| match e {
            ParseError::LineTooLong { line, len, limit } => ParseError::LineTooLong {
                line: line + first.physical_lines,
                len,
                limit,
            },
            other => other,
        })?;
        first.append(second);
        first.close_last(None);
        Ok(first)
    }

    /// The line walk over `text[range]` (`range` starts a line): every header line is taken
    /// as a message start and the message before it built. The last one is left open, and
    /// line numbers count from the range's start. Room is made for the messages of `room`
    /// bytes of text (a message per 64 bytes).
    fn over(
        text: &'a str,
        range: std::ops::Range<usize>,
        room: usize,
        max: usize,
    ) -> Result<Scan<'a>, ParseError> {
        let base = range.start;
        let part = &text[range];
        let expected = room / 64 + 1;
        let mut scan = Scan {
            store: Store {
                text,
                rewritten: String::new(),
                records: Vec::with_capacity(expected),
            },
            at: Vec::with_capacity(expected),
            headers: Vec::with_capacity(expected),
            physical_lines: 0,
            cr_inside: false,
            last: None,
        };
        let mut prev = Ending::Eof;
        for_each_line(part, |start, end, ending| {
            let line = scan.physical_lines;
            if end - start > max {
                return Err(ParseError::LineTooLong {
                    line: line + 1,
                    len: end - start,
                    limit: max,
                });
            }
            if let Some(h) = header::scan(&part[start..end]) {
                let here = HeaderAt {
                    start: (base + start) as u32,
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
            let filled = ending != Ending::Eof || !part[start..end].trim().is_empty();
            scan.last = Some((ending, filled));
            Ok(())
        })?;
        Ok(scan)
    }

    /// Continues this scan (of the text up to where `next` starts) with `next`, the scan of
    /// the rest, which starts with a header line: closes the last message here before it,
    /// and renumbers `next`'s lines and strings to follow this scan's.
    fn append(&mut self, mut next: Scan<'a>) {
        let lines = u32::try_from(self.physical_lines).unwrap_or(u32::MAX);
        let ending = self.last.map_or(Ending::Eof, |(ending, _)| ending);
        if let Some(first) = next.at.first_mut() {
            first.line = first.line.saturating_add(lines);
            first.prev = ending;
            self.close_last(Some(*first));
        }
        for a in next.at.iter_mut().skip(1) {
            a.line = a.line.saturating_add(lines);
        }
        let moved = u32::try_from(self.store.rewritten.len()).unwrap_or(u32::MAX);
        for r in &mut next.store.records {
            r.line = r.line.saturating_add(lines);
            for (flag, span) in [
                (SENDER_REWRITTEN, &mut r.sender),
                (TEXT_REWRITTEN, &mut r.text),
                (ATTACHMENT_REWRITTEN, &mut r.attachment),
            ] {
                if r.flags & flag != 0 {
                    span.at = span.at.saturating_add(moved);
                }
            }
        }
        self.store.rewritten.push_str(&next.store.rewritten);
        self.store.records.append(&mut next.store.records);
        self.at.append(&mut next.at);
        self.headers.append(&mut next.headers);
        self.physical_lines += next.physical_lines;
        self.cr_inside = next.cr_inside;
        self.last = next.last;
    }

    /// Builds the message of the last header line, which runs up to `next` (or the end).
    pub(super) fn close_last(&mut self, next: Option<HeaderAt>) {
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
    pub(super) fn end_before(&self, next: Option<HeaderAt>) -> (usize, u32) {
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
    pub(super) fn ios_continuations(&self) -> bool {
        let preceded = self.at.iter().filter(|a| a.line > 0);
        let total = preceded.clone().count();
        let after_crlf = preceded.filter(|a| a.prev.is_crlf()).count();
        let after_lf = total - after_crlf;
        after_crlf >= 2 && after_lf * 5 <= after_crlf
    }
}

/// Where to cut a big text for [`Scan::run_split`]: the first header line at or after its
/// middle, within a few lines (`None` if there is none: a text of a few huge messages is
/// scanned in one piece). After an LF a line always starts, whatever came before it.
pub(super) fn split_point(text: &str) -> Option<usize> {
    const LOOK_LINES: usize = 1 << 10;
    let middle = text.len() / 2;
    let from = middle + memchr::memchr(b'\n', text.as_bytes().get(middle..)?)? + 1;
    let mut seen = 0;
    let mut found = None;
    let _ = for_each_line(text.get(from..)?, |start, end, _| {
        seen += 1;
        if header::scan(&text[from + start..from + end]).is_some() {
            found = Some(from + start);
            return Err(());
        }
        if seen >= LOOK_LINES {
            return Err(());
        }
        Ok(())
    });
    found
}

impl Scan<'_> {
    /// Folds every header line that does not start a message into the message before it,
    /// building that message again over its whole extent, and drops those before the first.
    pub(super) fn merge_non_starts(&mut self) {
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

/// Decides, for each header line after a bare LF in an iOS-shaped file, whether it starts a
/// message. Real messages in a hand-edited stretch come as a run of one-line messages with
/// LF ends, in the file's header format and with times between the messages around them; a
/// message pasted into another is one line among text, or older, or in another format. Those
/// that are not real starts are flagged as no start.
pub(super) fn settle_bare_lf_headers(
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
