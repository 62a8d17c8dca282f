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

impl<'a> Scan<'a> {
    pub(super) fn run(text: &'a str, max: usize) -> Result<Scan<'a>, ParseError> {
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
