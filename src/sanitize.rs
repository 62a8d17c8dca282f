//! Terminal-safe display of untrusted chat text: every string that came from an export (bodies,
//! names, group subjects, file names, error text quoting a line) passes through here on its way
//! to a terminal, so nothing another participant typed is interpreted as a control sequence,
//! reorders what is shown, hides itself, or stalls the terminal (docs/reliability.md, T1–T16).
//!
//! The index and JSON/pipe output keep the raw text; sanitizing happens only at the model → view
//! boundary. Rules, in the order they apply:
//!
//! 1. Per char ([`to_display`] documents each stand-in): C0/DEL become Control Pictures (`␛`,
//!    `␇`, `␍`, `␡`, …), C1 becomes `U+FFFD`, tabs become spaces, line breaks follow [`Mode`],
//!    bidi controls and invisible format characters are removed. Replacing instead of deleting
//!    keeps two words from merging into a new one.
//! 2. Per grapheme: the first char plus at most [`MAX_MARKS_PER_GRAPHEME`] zero-width marks and
//!    at most [`MAX_GRAPHEME_BYTES`] bytes are kept (one terminal cell never carries kilobytes),
//!    without letting a cut grapheme swallow the text after it.
//! 3. Per line: at most [`DEFAULT_MAX_LINE_GRAPHEMES`] graphemes, then `… (+N chars)`.
//!
//! The result is a fixed point: sanitizing it again returns it unchanged (and borrowed).

use std::borrow::Cow;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::invisible::{is_bidi_control, is_invisible_format};

mod caps;
mod width;

use caps::{cap_graphemes, cap_lines, scan_graphemes};
pub use width::{display_width, truncate_width};

/// How a string will be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Lists, table cells, pane and window titles, status lines: the result never contains `\n`.
    OneLine,
    /// Message views and CLI output: `\n` stays a line break.
    MultiLine,
}

/// Zero-width characters kept per grapheme after its first char (ZWJ and VS16 are not counted).
pub const MAX_MARKS_PER_GRAPHEME: usize = 8;
/// Bytes kept per grapheme, i.e. per terminal cell. The longest RGI emoji sequences are ~41 bytes.
pub const MAX_GRAPHEME_BYTES: usize = 64;
/// Graphemes per displayed line before it is cut with `… (+N chars)`.
pub const DEFAULT_MAX_LINE_GRAPHEMES: usize = 4096;
/// Smallest line cap [`to_display_capped`] accepts: the cut marker itself must fit in a line.
pub const MIN_LINE_GRAPHEMES: usize = 32;
/// Appended by [`truncate_width`] and at the start of the line-cut marker.
pub const ELLIPSIS: char = '…';

/// Stand-in for a line break in [`Mode::OneLine`] (U+23CE RETURN SYMBOL).
const NEWLINE_STAND_IN: &str = "\u{23CE}";
const TAB_MULTI_LINE: &str = "    ";
const TAB_ONE_LINE: &str = " ";
/// U+2421 SYMBOL FOR DELETE.
const DEL_STAND_IN: &str = "\u{2421}";
/// C1 controls have no Control Picture; U+FFFD REPLACEMENT CHARACTER stands in.
const C1_STAND_IN: &str = "\u{FFFD}";
const ZWJ: char = '\u{200D}';
const VS16: char = '\u{FE0F}';
/// Put after a cut grapheme when the next one would otherwise join it (see `cap_graphemes`).
const CUT_SEPARATOR: &str = "\u{FFFD}";
/// Graphemes of the line-cut marker besides the digits: `…`, ` `, `(`, `+`, ` chars)`.
const MARKER_FIXED_GRAPHEMES: usize = 11;

/// Control Pictures U+2400–U+241F for C0 U+0000–U+001F (`␀`, …, `␛` for ESC, …, `␟`).
const C0_STAND_INS: [&str; 32] = [
    "\u{2400}", "\u{2401}", "\u{2402}", "\u{2403}", "\u{2404}", "\u{2405}", "\u{2406}", "\u{2407}",
    "\u{2408}", "\u{2409}", "\u{240A}", "\u{240B}", "\u{240C}", "\u{240D}", "\u{240E}", "\u{240F}",
    "\u{2410}", "\u{2411}", "\u{2412}", "\u{2413}", "\u{2414}", "\u{2415}", "\u{2416}", "\u{2417}",
    "\u{2418}", "\u{2419}", "\u{241A}", "\u{241B}", "\u{241C}", "\u{241D}", "\u{241E}", "\u{241F}",
];

/// Text made safe for a terminal, with the default line cap ([`DEFAULT_MAX_LINE_GRAPHEMES`]).
///
/// Per char:
/// * C0 controls U+0000–U+001F → Control Pictures (`\x1b` → `␛`, `\x07` → `␇`, `\x08` → `␈`,
///   `\0` → `␀`), except:
///   * `\t` → four spaces in [`Mode::MultiLine`], one space in [`Mode::OneLine`];
///   * `\n` (and U+2028/U+2029) → kept as `\n` in `MultiLine`, `⏎` in `OneLine`;
///   * `\r` directly before `\n` → removed (CRLF line endings are ordinary); any other `\r` →
///     `␍`, so `Pay 10\rPay 9999` cannot overwrite what was printed.
/// * DEL U+007F → `␡`; C1 controls U+0080–U+009F → `U+FFFD`.
/// * Bidi controls ([`crate::invisible::is_bidi_control`]: U+202A–U+202E, U+2066–U+2069, U+061C,
///   LRM/RLM U+200E/U+200F) → removed.
/// * Invisible format characters ([`crate::invisible::is_invisible_format`]) → removed: U+00AD, U+180E, U+200B, U+2060–U+2065,
///   U+206A–U+206F, U+FEFF, U+FFF0–U+FFFB, U+13430–U+1343F, U+1BCA0–U+1BCA3, U+1D173–U+1D17A,
///   tags and other ignorables U+E0000–U+E00FF and U+E01F0–U+E0FFF. Subdivision flags
///   (🏴 + tags) therefore show as a plain 🏴. Kept on purpose: ZWJ U+200D inside a
///   grapheme, joining a visible char to what is before it (emoji sequences such as `👩‍🔬`,
///   Indic conjuncts), VS16 U+FE0F (emoji), ZWNJ U+200C (Persian and Indic spelling); none of
///   them can reorder or control anything. A ZWJ that joins nothing (at a grapheme's start or
///   end, or before only zero-width chars) is removed: terminals disagree on drawing it, which
///   shifts the columns after it.
/// * A run of Prepend chars (U+0600–U+0605 and the like, which join whatever follows) keeps
///   only its first, so a grapheme can always be cut after its base.
///
/// Then per grapheme the first char, at most [`MAX_MARKS_PER_GRAPHEME`] further zero-width chars
/// and at most [`MAX_GRAPHEME_BYTES`] bytes are kept (the rest of the grapheme is dropped; if
/// the next grapheme would then join the cut one, a `U+FFFD` goes between them), and each line
/// keeps at most [`DEFAULT_MAX_LINE_GRAPHEMES`] graphemes including a trailing `… (+N chars)`,
/// N counting the graphemes cut. Text is never byte-sliced.
///
/// Returns `Cow::Borrowed` when nothing changes; that check is a single scan.
pub fn to_display(s: &str, mode: Mode) -> Cow<'_, str> {
    to_display_capped(s, mode, DEFAULT_MAX_LINE_GRAPHEMES)
}

/// [`to_display`] with another line cap (graphemes per line, marker included). Caps below
/// [`MIN_LINE_GRAPHEMES`] are raised to it.
pub fn to_display_capped(s: &str, mode: Mode, max_line_graphemes: usize) -> Cow<'_, str> {
    let cap = max_line_graphemes.max(MIN_LINE_GRAPHEMES);
    if is_clean(s, mode, cap) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(sanitize(s, mode, cap, None))
    }
}

/// [`to_display`] that also carries highlight ranges over.
///
/// `ranges` are byte ranges into `s`; the result holds one range per input range, in the same
/// order, as byte ranges into the returned string, always on its char boundaries. An input
/// range is first clamped to `s` and widened to whole chars; a range over removed or cut chars
/// becomes empty; a replaced char maps to its whole stand-in.
pub fn to_display_with_ranges(
    s: &str,
    mode: Mode,
    ranges: &[Range<usize>],
) -> (String, Vec<Range<usize>>) {
    let mut mapped: Vec<Range<usize>> = ranges.iter().map(|r| snap_to_chars(s, r)).collect();
    let cap = DEFAULT_MAX_LINE_GRAPHEMES;
    if is_clean(s, mode, cap) {
        return (s.to_owned(), mapped);
    }
    let out = sanitize(s, mode, cap, Some(&mut mapped));
    (out, mapped)
}

/// Convenience used by CLI output: sanitize ([`Mode::MultiLine`]) only when `for_terminal` is
/// true (stdout/stderr is a tty); otherwise return `s` unchanged, so JSON and pipes keep raw text.
pub fn for_output(s: &str, for_terminal: bool) -> Cow<'_, str> {
    if for_terminal {
        to_display(s, Mode::MultiLine)
    } else {
        Cow::Borrowed(s)
    }
}

/// True when `s` holds nothing a terminal would interpret: no C0 control except `\n` (so no ESC,
/// BEL, CR, BS or TAB), no DEL, no C1, no bidi control. Never panics.
pub fn is_terminal_safe(s: &str) -> bool {
    !s.chars()
        .any(|c| (c.is_control() && c != '\n') || is_bidi_control(c))
}

// ---------------------------------------------------------------------------------------------
// Char rules

/// What the first stage does with one char.
enum Edit {
    Keep,
    Drop,
    Put(&'static str),
}

fn edit(c: char, next: Option<char>, mode: Mode) -> Edit {
    match c {
        '\n' => match mode {
            Mode::MultiLine => Edit::Keep,
            Mode::OneLine => Edit::Put(NEWLINE_STAND_IN),
        },
        '\u{2028}' | '\u{2029}' => match mode {
            Mode::MultiLine => Edit::Put("\n"),
            Mode::OneLine => Edit::Put(NEWLINE_STAND_IN),
        },
        '\r' if next == Some('\n') => Edit::Drop,
        '\t' => match mode {
            Mode::MultiLine => Edit::Put(TAB_MULTI_LINE),
            Mode::OneLine => Edit::Put(TAB_ONE_LINE),
        },
        '\u{0}'..='\u{1F}' => {
            Edit::Put(C0_STAND_INS.get(c as usize).copied().unwrap_or(C1_STAND_IN))
        }
        '\u{7F}' => Edit::Put(DEL_STAND_IN),
        '\u{80}'..='\u{9F}' => Edit::Put(C1_STAND_IN),
        c if is_bidi_control(c) || is_invisible_format(c) => Edit::Drop,
        _ => Edit::Keep,
    }
}

/// Whether the first stage leaves `c` as it is, whatever follows it.
fn is_kept(c: char, mode: Mode) -> bool {
    matches!(edit(c, None, mode), Edit::Keep)
}

/// A combining mark or other zero-width char that stacks on its grapheme's first char. ZWJ and
/// VS16 are structure of emoji sequences, not marks.
fn is_mark(c: char) -> bool {
    c != ZWJ && c != VS16 && c.width() == Some(0)
}

/// Grapheme_Cluster_Break=Prepend (unicode-segmentation 1.13 tables): joins whatever follows.
fn is_prepend(c: char) -> bool {
    matches!(
        c,
        '\u{0600}'..='\u{0605}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{0D4E}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{111C2}'..='\u{111C3}'
            | '\u{113D1}'
            | '\u{1193F}'
            | '\u{11941}'
            | '\u{11A84}'..='\u{11A89}'
            | '\u{11D46}'
            | '\u{11F02}'
    )
}

/// Two Prepend chars in a row: stage 1 keeps only the first of such a run, so that a grapheme
/// holds at most one before its base.
fn has_prepend_pair(s: &str) -> bool {
    let mut prev = false;
    s.chars().any(|c| {
        let p = is_prepend(c);
        let pair = p && prev;
        prev = p;
        pair
    })
}

fn grapheme_within_caps(g: &str) -> bool {
    g.len() <= MAX_GRAPHEME_BYTES
        && g.chars().skip(1).filter(|&c| is_mark(c)).count() <= MAX_MARKS_PER_GRAPHEME
}

// ---------------------------------------------------------------------------------------------
// Fast path

/// True when [`sanitize`] would return `s` unchanged. One scan: bytes while the text is ASCII,
/// graphemes from the first line holding a non-ASCII byte on.
fn is_clean(s: &str, mode: Mode, cap: usize) -> bool {
    let mut line = 0usize;
    let mut line_start = 0usize;
    for (i, &byte) in s.as_bytes().iter().enumerate() {
        match byte {
            0x20..=0x7E => {
                line += 1;
                if line > cap {
                    return false;
                }
            }
            b'\n' if mode == Mode::MultiLine => {
                line = 0;
                line_start = i + 1;
            }
            0x80..=0xFF => {
                return s
                    .get(line_start..)
                    .is_some_and(|rest| is_clean_unicode(rest, mode, cap));
            }
            _ => return false,
        }
    }
    true
}

fn is_clean_unicode(s: &str, mode: Mode, cap: usize) -> bool {
    let mut line = 0usize;
    for g in s.graphemes(true) {
        if g == "\n" && mode == Mode::MultiLine {
            line = 0;
            continue;
        }
        line += 1;
        if line > cap
            || !g.chars().all(|c| is_kept(c, mode))
            || !grapheme_within_caps(g)
            || has_prepend_pair(g)
            || has_lone_zwj(g)
        {
            return false;
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Slow path

/// Where each char of a stage's input went in its output, for carrying ranges over.
struct OffsetMap {
    /// `start[a]`: output offset where the char starting at input offset `a` begins.
    start: Vec<usize>,
    /// `end[b]`: output offset where the char ending at input offset `b` ends.
    end: Vec<usize>,
}

impl OffsetMap {
    fn apply(&self, r: &Range<usize>) -> Range<usize> {
        let start = self.start.get(r.start).copied().unwrap_or(0);
        if r.start >= r.end {
            return start..start;
        }
        let end = self.end.get(r.end).copied().unwrap_or(start).max(start);
        start..end
    }
}

/// Output of one stage, optionally recording an [`OffsetMap`].
struct Builder {
    out: String,
    map: Option<OffsetMap>,
}

impl Builder {
    fn new(input_len: usize, track: bool) -> Self {
        Builder {
            out: String::with_capacity(input_len + input_len / 8 + 16),
            map: track.then(|| OffsetMap {
                start: vec![0; input_len + 1],
                end: vec![0; input_len + 1],
            }),
        }
    }

    fn tracking(&self) -> bool {
        self.map.is_some()
    }

    /// Emit `text` for the input char at `a..b` (`""` drops it).
    fn push(&mut self, a: usize, b: usize, text: &str) {
        if let Some(slot) = self.map.as_mut().and_then(|m| m.start.get_mut(a)) {
            *slot = self.out.len();
        }
        self.out.push_str(text);
        if let Some(slot) = self.map.as_mut().and_then(|m| m.end.get_mut(b)) {
            *slot = self.out.len();
        }
    }

    fn push_char(&mut self, a: usize, c: char) {
        let mut buf = [0u8; 4];
        self.push(a, a + c.len_utf8(), c.encode_utf8(&mut buf));
    }

    fn drop_char(&mut self, a: usize, c: char) {
        self.push(a, a + c.len_utf8(), "");
    }

    /// Emit input text starting at input offset `at` unchanged.
    fn push_str_at(&mut self, at: usize, text: &str) {
        if self.tracking() {
            for (off, c) in text.char_indices() {
                self.push_char(at + off, c);
            }
        } else {
            self.out.push_str(text);
        }
    }

    /// Drop input text starting at input offset `at`.
    fn drop_str_at(&mut self, at: usize, text: &str) {
        if self.tracking() {
            for (off, c) in text.char_indices() {
                self.drop_char(at + off, c);
            }
        }
    }

    /// Emit text that stands for no input char (the line-cut marker).
    fn push_unmapped(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn finish(mut self, input_len: usize) -> (String, Option<OffsetMap>) {
        if let Some(slot) = self.map.as_mut().and_then(|m| m.start.get_mut(input_len)) {
            *slot = self.out.len();
        }
        (self.out, self.map)
    }
}

fn sanitize(s: &str, mode: Mode, cap: usize, mut ranges: Option<&mut Vec<Range<usize>>>) -> String {
    let track = ranges.is_some();
    let mut cur = Cow::Borrowed(s);
    // Stages 1 and 1b until neither changes anything: a ZWJ removed can leave two Prepend
    // chars side by side or another ZWJ at a grapheme's start. Each round removes a char,
    // so this ends.
    loop {
        if let Some((out, map)) = map_chars(&cur, mode, track) {
            carry(&mut ranges, map.as_ref());
            cur = Cow::Owned(out);
        }
        let Some((out, map)) = drop_lone_zwjs(&cur, track) else {
            break;
        };
        carry(&mut ranges, map.as_ref());
        cur = Cow::Owned(out);
    }
    let (graphemes_ok, mut longest_line) = scan_graphemes(&cur);
    if !graphemes_ok {
        let (out, map, longest) = cap_graphemes(&cur, track);
        carry(&mut ranges, map.as_ref());
        cur = Cow::Owned(out);
        longest_line = longest;
    }
    if longest_line > cap {
        let (out, map) = cap_lines(&cur, cap, track);
        carry(&mut ranges, map.as_ref());
        cur = Cow::Owned(out);
    }
    cur.into_owned()
}

fn carry(ranges: &mut Option<&mut Vec<Range<usize>>>, map: Option<&OffsetMap>) {
    if let (Some(ranges), Some(map)) = (ranges.as_deref_mut(), map) {
        for r in ranges.iter_mut() {
            *r = map.apply(r);
        }
    }
}

/// Stage 1: the per-char rules. `None` when no char changes.
fn map_chars(s: &str, mode: Mode, track: bool) -> Option<(String, Option<OffsetMap>)> {
    if s.chars().all(|c| is_kept(c, mode)) && !has_prepend_pair(s) {
        return None;
    }
    let mut b = Builder::new(s.len(), track);
    let mut chars = s.char_indices().peekable();
    let mut after_prepend = false;
    while let Some((a, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        match edit(c, next, mode) {
            Edit::Keep if after_prepend && is_prepend(c) => b.drop_char(a, c),
            Edit::Keep => {
                after_prepend = is_prepend(c);
                b.push_char(a, c);
            }
            Edit::Drop => b.drop_char(a, c),
            Edit::Put(text) => {
                after_prepend = false;
                b.push(a, a + c.len_utf8(), text);
            }
        }
    }
    Some(b.finish(s.len()))
}

/// Whether the ZWJ at char `k` of a grapheme whose next char is `next` joins nothing: it
/// starts or ends its grapheme, or only zero-width chars follow it. Such a ZWJ outside an
/// emoji sequence (or an Indic conjunct) is drawn by some terminals and not by others, so
/// the columns after it shift (issue 13 A10); inside `👩‍🔬` it is structure and stays.
fn zwj_is_lone(k: usize, next: Option<char>) -> bool {
    k == 0 || next.is_none_or(|n| n.width().unwrap_or(0) == 0)
}

/// Whether the grapheme `g` holds a ZWJ that joins nothing (see [`zwj_is_lone`]).
fn has_lone_zwj(g: &str) -> bool {
    if !g.contains(ZWJ) {
        return false;
    }
    let mut chars = g.chars().enumerate().peekable();
    while let Some((k, c)) = chars.next() {
        if c == ZWJ && zwj_is_lone(k, chars.peek().map(|&(_, n)| n)) {
            return true;
        }
    }
    false
}

/// Stage 1b: ZWJs that join nothing removed, on stage 1's output (so chars removed there
/// cannot hide a ZWJ's neighbour). `None` when there is none.
fn drop_lone_zwjs(s: &str, track: bool) -> Option<(String, Option<OffsetMap>)> {
    if !s.contains(ZWJ) || !s.graphemes(true).any(has_lone_zwj) {
        return None;
    }
    let mut b = Builder::new(s.len(), track);
    for (off, g) in s.grapheme_indices(true) {
        if !has_lone_zwj(g) {
            b.push_str_at(off, g);
            continue;
        }
        let mut chars = g.char_indices().enumerate().peekable();
        while let Some((k, (at, c))) = chars.next() {
            if c == ZWJ && zwj_is_lone(k, chars.peek().map(|&(_, (_, n))| n)) {
                b.drop_char(off + at, c);
            } else {
                b.push_char(off + at, c);
            }
        }
    }
    Some(b.finish(s.len()))
}

/// Clamp `r` to `s`, order it, and widen it to whole chars.
fn snap_to_chars(s: &str, r: &Range<usize>) -> Range<usize> {
    let mut start = r.start.min(s.len());
    let mut end = r.end.min(s.len()).max(start);
    while !s.is_char_boundary(start) {
        start -= 1;
    }
    while !s.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests;
