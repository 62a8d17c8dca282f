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

/// Truncate to a display width on grapheme boundaries, appending `…` when cut; the `…` counts
/// toward `max_width`. Each line of a multi-line string is truncated on its own, so
/// `display_width(truncate_width(s, w)) <= w` always holds. Meant for sanitized text.
pub fn truncate_width(s: &str, max_width: usize) -> Cow<'_, str> {
    if display_width(s) <= max_width {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(max_width.saturating_mul(4)) + 4);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        truncate_line(line, max_width, &mut out);
    }
    Cow::Owned(out)
}

/// Display width of a (sanitized) string in terminal cells, as ratatui lays it out: the sum of
/// its graphemes' widths, or for a multi-line string the width of its widest line. Graphemes
/// holding a control char count 0 (ratatui drops them).
pub fn display_width(s: &str) -> usize {
    s.split('\n').map(line_width).max().unwrap_or(0)
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

/// Whether every grapheme is within the caps, and the most graphemes on one line.
fn scan_graphemes(s: &str) -> (bool, usize) {
    let mut ok = true;
    let (mut line, mut longest) = (0usize, 0usize);
    for g in s.graphemes(true) {
        if g == "\n" {
            line = 0;
        } else {
            line += 1;
            longest = longest.max(line);
            ok &= grapheme_within_caps(g);
        }
    }
    (ok, longest)
}

/// Stage 2: per-grapheme caps, on stage 1's output (so chars removed there cannot split a run of
/// marks into separately counted pieces). Returns the output and its longest line in graphemes.
///
/// A cut grapheme keeps a prefix, which is still one grapheme. But the cut changes the context
/// of what follows: after a prefix ending in a Hangul leading consonant, a lone regional
/// indicator, a virama or a ZWJ, the next grapheme would join it, and cutting that one would
/// cascade through the line. In that case [`CUT_SEPARATOR`] is put between them: it joins
/// neither side, so the output's graphemes are exactly the ones capped here and the result is a
/// fixed point.
fn cap_graphemes(s: &str, track: bool) -> (String, Option<OffsetMap>, usize) {
    let mut b = Builder::new(s.len(), track);
    let mut scratch = String::new();
    let (mut line, mut longest) = (0usize, 0usize);
    let mut graphemes = s.grapheme_indices(true).peekable();
    while let Some((off, g)) = graphemes.next() {
        if g == "\n" {
            line = 0;
            b.push_char(off, '\n');
            continue;
        }
        line += 1;
        if grapheme_within_caps(g) {
            b.push_str_at(off, g);
        } else {
            let start = b.out.len();
            push_capped(&mut b, g, off);
            let next = graphemes.peek().and_then(|&(_, n)| n.chars().next());
            let kept = b.out.get(start..).unwrap_or("");
            if next.is_some_and(|h| joins(kept, h, &mut scratch)) {
                b.push_unmapped(CUT_SEPARATOR);
                line += 1;
            }
        }
        longest = longest.max(line);
    }
    let (out, map) = b.finish(s.len());
    (out, map, longest)
}

/// Keep the grapheme's first char, then chars until the mark or byte cap is reached; the rest
/// is dropped. Stage 1 leaves at most one Prepend char before a base, so the kept prefix always
/// includes the base.
fn push_capped(b: &mut Builder, g: &str, at: usize) {
    let keep = capped_char_count(g);
    for (i, (off, c)) in g.char_indices().enumerate() {
        if i >= keep {
            if !b.tracking() {
                return;
            }
            b.drop_char(at + off, c);
        } else {
            b.push_char(at + off, c);
        }
    }
}

/// How many chars of the grapheme `g` [`push_capped`] keeps: up to the mark and byte caps,
/// and never a ZWJ that the cut leaves joining nothing (see [`zwj_is_lone`]), so that the
/// result is a fixed point.
fn capped_char_count(g: &str) -> usize {
    let (mut marks, mut bytes) = (0usize, 0usize);
    let mut keep = 0usize;
    let mut last_visible = 0usize;
    for (i, c) in g.chars().enumerate() {
        if i > 0 {
            let mark = is_mark(c);
            if (mark && marks >= MAX_MARKS_PER_GRAPHEME)
                || bytes + c.len_utf8() > MAX_GRAPHEME_BYTES
            {
                break;
            }
            marks += usize::from(mark);
        }
        bytes += c.len_utf8();
        keep = i + 1;
        if c.width().unwrap_or(0) > 0 {
            last_visible = i;
        }
    }
    // A ZWJ after the last visible char kept would join nothing once the rest is cut.
    g.chars()
        .enumerate()
        .take(keep)
        .skip(last_visible + 1)
        .find(|&(_, c)| c == ZWJ)
        .map_or(keep, |(i, _)| i)
}

/// Whether `c` right after the grapheme `g` extends it. Boundary rules look back no further than
/// the grapheme in progress, so `g` alone is enough context.
fn joins(g: &str, c: char, scratch: &mut String) -> bool {
    if g.is_empty() {
        return false;
    }
    scratch.clear();
    scratch.push_str(g);
    scratch.push(c);
    scratch.graphemes(true).nth(1).is_none()
}

/// Stage 3: lines longer than `cap` graphemes keep their start plus `… (+N chars)`.
fn cap_lines(s: &str, cap: usize, track: bool) -> (String, Option<OffsetMap>) {
    let mut b = Builder::new(s.len(), track);
    let mut scratch = String::new();
    let mut at = 0usize;
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            b.push(at - 1, at, "\n");
        }
        cap_line(&mut b, line, at, cap, &mut scratch);
        at += line.len() + 1;
    }
    b.finish(s.len())
}

fn cap_line(b: &mut Builder, line: &str, at: usize, cap: usize, scratch: &mut String) {
    // A line of at most `cap` bytes has at most `cap` graphemes: no need to count.
    let total = if line.len() > cap {
        line.graphemes(true).count()
    } else {
        0
    };
    if total <= cap {
        b.push_str_at(at, line);
        return;
    }
    let keep = cap.saturating_sub(MARKER_FIXED_GRAPHEMES + decimal_digits(total));
    let mut kept: Vec<(usize, &str)> = line.grapheme_indices(true).take(keep).collect();
    // The marker must start a grapheme of its own, or the line would lose its count.
    while kept
        .last()
        .is_some_and(|&(_, g)| joins(g, ELLIPSIS, scratch))
    {
        kept.pop();
    }
    let cut = kept.last().map_or(0, |&(off, g)| off + g.len());
    let (head, tail) = line.split_at_checked(cut).unwrap_or((line, ""));
    b.push_str_at(at, head);
    b.drop_str_at(at + cut, tail);
    let dropped = total - kept.len();
    b.push_unmapped(&format!("{ELLIPSIS} (+{dropped} chars)"));
}

fn decimal_digits(mut n: usize) -> usize {
    let mut digits = 1;
    while n >= 10 {
        n /= 10;
        digits += 1;
    }
    digits
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

// ---------------------------------------------------------------------------------------------
// Width

/// Cells ratatui gives a grapheme: its unicode-width, plus one per halfwidth (han)dakuten
/// U+FF9E/U+FF9F (ratatui-core 0.1 `cell_width`). Mirrors ratatui so that widths computed here
/// match the cells a widget uses; the buffer tests catch a change on either side.
fn grapheme_width(g: &str) -> usize {
    if g.chars().any(char::is_control) {
        0
    } else {
        g.width()
            + g.chars()
                .filter(|c| matches!(c, '\u{FF9E}' | '\u{FF9F}'))
                .count()
    }
}

fn line_width(line: &str) -> usize {
    if line.bytes().all(|b| (0x20..=0x7E).contains(&b)) {
        return line.len();
    }
    line.graphemes(true).map(grapheme_width).sum()
}

fn truncate_line(line: &str, max_width: usize, out: &mut String) {
    if line_width(line) <= max_width {
        out.push_str(line);
        return;
    }
    if max_width == 0 {
        return;
    }
    let budget = max_width - 1; // room for the ellipsis
    let mut used = 0usize;
    for g in line.graphemes(true) {
        let w = grapheme_width(g);
        if used + w > budget {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push(ELLIPSIS);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> String {
        to_display(s, Mode::OneLine).into_owned()
    }

    fn multi(s: &str) -> String {
        to_display(s, Mode::MultiLine).into_owned()
    }

    fn is_borrowed(c: Cow<'_, str>) -> bool {
        matches!(c, Cow::Borrowed(_))
    }

    #[test]
    fn clean_text_is_borrowed() {
        for s in [
            "",
            "hello world",
            "Grüße aus Köln 👋",
            "👩\u{200D}🔬 and ❤\u{FE0F} and 🇩🇪",
            "مرحبا بالعالم",
            "日本語のテキスト",
            "e\u{301}\u{302}",
            "می\u{200C}خواهم",
        ] {
            assert!(is_borrowed(to_display(s, Mode::OneLine)), "{s:?}");
            assert!(is_borrowed(to_display(s, Mode::MultiLine)), "{s:?}");
        }
        assert!(is_borrowed(to_display("a\nb\n", Mode::MultiLine)));
        assert!(!is_borrowed(to_display("a\nb", Mode::OneLine)));
    }

    #[test]
    fn ascii_c0_controls_become_control_pictures() {
        assert_eq!(multi("\x1b[2J"), "\u{241B}[2J");
        assert_eq!(multi("a\x07b"), "a\u{2407}b");
        assert_eq!(multi("\0"), "\u{2400}");
        assert_eq!(multi("\x08"), "\u{2408}");
        assert_eq!(multi("\x0b\x0c"), "\u{240B}\u{240C}");
        assert_eq!(multi("\x1f"), "\u{241F}");
        assert_eq!(one("\x1b]0;t\x07"), "\u{241B}]0;t\u{2407}");
    }

    #[test]
    fn del_becomes_symbol_for_delete() {
        assert_eq!(multi("a\x7fb"), "a\u{2421}b");
    }

    #[test]
    fn latin1_c1_controls_become_replacement_char() {
        for c in [
            '\u{80}', '\u{85}', '\u{90}', '\u{9B}', '\u{9C}', '\u{9D}', '\u{9F}',
        ] {
            assert_eq!(multi(&format!("a{c}b")), "a\u{FFFD}b", "{c:?}");
        }
    }

    #[test]
    fn tab_becomes_spaces() {
        assert_eq!(multi("a\tb"), "a    b");
        assert_eq!(one("a\tb"), "a b");
    }

    #[test]
    fn newline_kept_in_multi_line_and_shown_in_one_line() {
        assert_eq!(multi("a\nb"), "a\nb");
        assert_eq!(one("a\nb"), "a\u{23CE}b");
        assert_eq!(multi("a\u{2028}b\u{2029}c"), "a\nb\nc");
        assert_eq!(one("a\u{2028}b"), "a\u{23CE}b");
    }

    #[test]
    fn carriage_return_removed_before_newline_and_shown_otherwise() {
        assert_eq!(multi("a\r\nb"), "a\nb");
        assert_eq!(one("a\r\nb"), "a\u{23CE}b");
        assert_eq!(multi("Pay 10\rPay 9999"), "Pay 10\u{240D}Pay 9999");
        assert_eq!(multi("a\r\r\n"), "a\u{240D}\n");
        assert_eq!(multi("a\r"), "a\u{240D}");
    }

    #[test]
    fn bidi_controls_removed() {
        for c in [
            '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
            '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ] {
            assert_eq!(one(&format!("a{c}b")), "ab", "{c:?}");
            assert_eq!(multi(&format!("a{c}b")), "ab", "{c:?}");
        }
    }

    #[test]
    fn invisible_format_chars_removed() {
        for c in [
            '\u{00AD}',
            '\u{180E}',
            '\u{200B}',
            '\u{2060}',
            '\u{2061}',
            '\u{2064}',
            '\u{206A}',
            '\u{206F}',
            '\u{FEFF}',
            '\u{FFF9}',
            '\u{1D173}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{E0FFF}',
        ] {
            assert_eq!(one(&format!("a{c}b")), "ab", "{c:?}");
        }
        // Tag characters after a black flag go too: the flag stays.
        assert_eq!(
            one("\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"),
            "\u{1F3F4}"
        );
    }

    #[test]
    fn emoji_joiners_and_zwnj_kept() {
        for s in [
            "\u{1F469}\u{200D}\u{1F52C}",
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}",
            "\u{1F469}\u{1F3FD}\u{200D}\u{1F469}\u{1F3FD}\u{200D}\u{1F467}\u{1F3FD}\u{200D}\u{1F466}\u{1F3FD}",
            "\u{2764}\u{FE0F}",
            "\u{1F9D1}\u{1F3FF}\u{200D}\u{2764}\u{FE0F}\u{200D}\u{1F48B}\u{200D}\u{1F9D1}\u{1F3FB}",
            "a\u{200C}b",
        ] {
            assert_eq!(one(s), s);
        }
    }

    #[test]
    fn combining_marks_capped_per_grapheme() {
        let zalgo = format!("Z{}", "\u{301}".repeat(10_000));
        assert_eq!(one(&zalgo), format!("Z{}", "\u{301}".repeat(8)));
        let two = format!("a{m}b{m}", m = "\u{300}".repeat(20));
        let m8 = "\u{300}".repeat(8);
        assert_eq!(multi(&two), format!("a{m8}b{m8}"));
        // Exactly at the cap: unchanged.
        let at_cap = format!("e{}", "\u{301}".repeat(8));
        assert!(is_borrowed(to_display(&at_cap, Mode::OneLine)));
        // Marks without a base form one grapheme: its first mark plus 8.
        assert_eq!(one(&"\u{301}".repeat(50)), "\u{301}".repeat(9));
    }

    #[test]
    fn marks_split_by_a_removed_char_are_counted_together() {
        let m8 = "\u{301}".repeat(8);
        assert_eq!(one(&format!("a{m8}\u{200B}{m8}")), format!("a{m8}"));
        assert_eq!(
            one(&format!("a{m8}\u{202E}{m8}\u{FEFF}{m8}")),
            format!("a{m8}")
        );
    }

    #[test]
    fn grapheme_bytes_capped() {
        let zwj_run = format!("A{}", "\u{200D}".repeat(1000));
        let out = one(&zwj_run);
        assert!(
            out.len() <= MAX_GRAPHEME_BYTES && out.starts_with('A'),
            "{out:?}"
        );
        // Hangul leading consonants join into one grapheme without limit.
        let jamo = "\u{1100}".repeat(1000);
        let out = one(&jamo);
        assert_eq!(out.graphemes(true).count(), 1);
        assert!(out.len() <= MAX_GRAPHEME_BYTES);
        // A long emoji ZWJ chain.
        let chain = vec!["\u{1F468}"; 200].join("\u{200D}");
        assert!(one(&chain).len() <= MAX_GRAPHEME_BYTES);
    }

    #[test]
    fn long_line_cut_with_marker() {
        let s = "x".repeat(5000);
        let out = one(&s);
        // 4096 - 11 - 4 digits = 4081 kept, 919 cut.
        assert_eq!(out, format!("{}… (+919 chars)", "x".repeat(4081)));
        assert!(out.graphemes(true).count() <= DEFAULT_MAX_LINE_GRAPHEMES);
        assert!(is_borrowed(to_display(&out, Mode::OneLine)));
        // Exactly the cap: unchanged.
        let at_cap = "y".repeat(DEFAULT_MAX_LINE_GRAPHEMES);
        assert!(is_borrowed(to_display(&at_cap, Mode::OneLine)));
    }

    #[test]
    fn line_cap_counts_graphemes_per_line() {
        let long = "é".repeat(5000); // 5000 graphemes, 10000 bytes
        let s = format!("short\n{long}\nend");
        let out = multi(&s);
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], "short");
        assert!(lines[1].ends_with("… (+919 chars)"));
        assert_eq!(lines[2], "end");
        // In one-line mode the whole string is one line.
        let out = one(&s);
        assert!(out.ends_with(" chars)"));
        assert!(out.graphemes(true).count() <= DEFAULT_MAX_LINE_GRAPHEMES);
        // Tabs count as the spaces they become.
        let tabs = "\t".repeat(2000);
        assert!(multi(&tabs).ends_with(" chars)"));
    }

    #[test]
    fn custom_line_cap_is_raised_to_minimum() {
        let s = "z".repeat(100);
        // Cap 32 for 100 graphemes: 32 - 11 - 3 digits = 18 kept, 82 cut.
        let out = to_display_capped(&s, Mode::OneLine, 0);
        assert!(out.graphemes(true).count() <= MIN_LINE_GRAPHEMES);
        assert_eq!(out, format!("{}… (+82 chars)", "z".repeat(18)));
        let out = to_display_capped(&s, Mode::OneLine, 50);
        assert_eq!(out, format!("{}… (+64 chars)", "z".repeat(36)));
    }

    #[test]
    fn sanitizing_twice_equals_once() {
        for s in [
            "hi\x1b[2J\x1b]0;pwned\x07there",
            "a\r\nb\rc\td\u{202E}e\u{200B}f",
            &format!("Z{}", "\u{301}".repeat(100)),
            &"\u{1100}".repeat(300),
            &"w".repeat(9000),
        ] {
            for mode in [Mode::OneLine, Mode::MultiLine] {
                let once = to_display(s, mode).into_owned();
                assert!(is_borrowed(to_display(&once, mode)), "{s:?} {mode:?}");
            }
        }
    }

    #[test]
    fn ranges_on_clean_text_are_unchanged() {
        let (out, r) = to_display_with_ranges("hello world", Mode::OneLine, &[6..11, 0..5]);
        assert_eq!(out, "hello world");
        assert_eq!(r, vec![6..11, 0..5]);
    }

    #[test]
    fn ranges_shift_over_stand_ins_and_shrink_over_removed_chars() {
        let s = "a\x1bb\u{202E}cd";
        let (out, r) = to_display_with_ranges(s, Mode::OneLine, &[2..3, 1..2, 3..6, 6..8]);
        assert_eq!(out, "a\u{241B}bcd");
        assert_eq!(&out[r[0].clone()], "b");
        assert_eq!(&out[r[1].clone()], "\u{241B}");
        assert!(r[2].is_empty(), "{:?}", r[2]); // exactly the RLO
        assert_eq!(&out[r[3].clone()], "cd");
    }

    #[test]
    fn ranges_follow_tabs_and_crlf() {
        let s = "x\ty\r\nz";
        let (out, r) = to_display_with_ranges(s, Mode::MultiLine, &[2..3, 5..6, 1..2]);
        assert_eq!(out, "x    y\nz");
        assert_eq!(&out[r[0].clone()], "y");
        assert_eq!(&out[r[1].clone()], "z");
        assert_eq!(&out[r[2].clone()], "    ");
    }

    #[test]
    fn ranges_snap_to_chars_and_clamp() {
        let s = "aé\x07";
        // 2 is inside 'é' (bytes 1..3): the range widens to the whole char.
        let (out, r) = to_display_with_ranges(
            s,
            Mode::OneLine,
            &[2..3, 3..99, Range { start: 5, end: 1 }, 50..60],
        );
        assert_eq!(out, "aé\u{2407}");
        assert_eq!(&out[r[0].clone()], "é");
        assert_eq!(&out[r[1].clone()], "\u{2407}");
        assert!(r[2].is_empty() && out.is_char_boundary(r[2].start));
        assert_eq!(r[3], out.len()..out.len());
    }

    #[test]
    fn ranges_over_cut_text_become_empty() {
        let marks = "\u{301}".repeat(20);
        let s = format!("a{marks}b");
        let last_mark = 1 + 19 * 2..1 + 20 * 2;
        let (out, r) = to_display_with_ranges(&s, Mode::OneLine, &[last_mark, 0..s.len()]);
        assert_eq!(out, format!("a{}b", "\u{301}".repeat(8)));
        assert!(r[0].is_empty());
        assert_eq!(r[1], 0..out.len());

        let long = "q".repeat(5000);
        let (out, r) = to_display_with_ranges(&long, Mode::OneLine, &[4500..4510, 10..20]);
        assert!(r[0].is_empty() && r[0].start == 4081);
        assert_eq!(&out[r[1].clone()], "qqqqqqqqqq");
    }

    #[test]
    fn lone_zwj_removed_emoji_and_conjunct_zwj_kept() {
        for (raw, shown) in [
            ("Ann\u{200D}", "Ann"),
            ("pass\u{200D}word", "password"),
            ("\u{200D}lead", "lead"),
            ("a\u{200D}\u{200D}b", "ab"),
            ("x\u{200D}\u{1F52C}", "x\u{1F52C}"),
            ("\u{1F469}\u{200D}", "\u{1F469}"),
            // Two ZWJs join nothing (Unicode: a ZWJ only joins after a pictograph).
            ("\u{1F469}\u{200D}\u{200D}\u{1F52C}", "\u{1F469}\u{1F52C}"),
        ] {
            assert_eq!(to_display(raw, Mode::OneLine), shown, "{raw:?}");
            assert_eq!(
                to_display(shown, Mode::OneLine),
                shown,
                "fixed point of {raw:?}"
            );
        }
        for kept in [
            "\u{1F469}\u{200D}\u{1F52C}",
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
            "\u{0915}\u{094D}\u{200D}\u{0937}",
        ] {
            assert!(is_borrowed(to_display(kept, Mode::OneLine)), "{kept:?}");
        }
        // A long ZWJ chain cut at the byte cap never ends in a ZWJ.
        let chain = ["\u{1F469}"; 20].join("\u{200D}");
        let once = to_display(&chain, Mode::OneLine).into_owned();
        assert!(!once.ends_with('\u{200D}'), "{once:?}");
        assert_eq!(to_display(&once, Mode::OneLine), once);
        let (out, ranges) = to_display_with_ranges("ab\u{200D}cd", Mode::OneLine, &[2..6, 2..5]);
        assert_eq!((out.as_str(), ranges), ("abcd", vec![2..3, 2..2]));
    }

    #[test]
    fn for_output_sanitizes_only_for_a_terminal() {
        let s = "x\x1b[31my\tz";
        assert!(is_borrowed(for_output(s, false)));
        assert_eq!(for_output(s, false), s);
        assert_eq!(for_output(s, true), "x\u{241B}[31my    z");
    }

    #[test]
    fn display_width_counts_cells() {
        assert_eq!(display_width(""), 0);
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("日本"), 4);
        assert_eq!(display_width("e\u{301}"), 1);
        assert_eq!(display_width("\u{1F469}\u{200D}\u{1F52C}"), 2);
        assert_eq!(display_width("\u{1F1E9}\u{1F1EA}"), 2);
        assert_eq!(display_width("ab\nabcd\nc"), 4);
        assert_eq!(display_width("a\x1bb"), 2);
        // Halfwidth katakana + halfwidth dakuten: ratatui-core 0.1.2 adds a cell per sound mark
        // on top of unicode-width 0.2 (which already counts it), and layout must agree with it.
        assert_eq!(display_width("\u{FF76}\u{FF9E}"), 3);
    }

    #[test]
    fn truncate_width_cuts_on_graphemes() {
        assert!(is_borrowed(truncate_width("hello", 5)));
        assert_eq!(truncate_width("hello", 4), "hel…");
        assert_eq!(truncate_width("hello", 1), "…");
        assert_eq!(truncate_width("hello", 0), "");
        assert_eq!(truncate_width("日本語", 4), "日…");
        assert_eq!(truncate_width("日本語", 3), "日…");
        assert_eq!(truncate_width("日本語", 2), "…");
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(
            truncate_width(&format!("{family}{family}"), 3),
            format!("{family}…")
        );
        assert_eq!(truncate_width("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
        assert_eq!(truncate_width("abcdef\nab", 3), "ab…\nab");
    }

    #[test]
    fn is_terminal_safe_detects_interpretable_chars() {
        assert!(is_terminal_safe("plain\ntext ␛ ⏎ 👩\u{200D}🔬"));
        for bad in [
            "\x1b", "\x07", "\r", "\t", "\0", "\x7f", "\u{9b}", "\u{85}", "\u{202E}", "\u{2066}",
            "\u{200F}", "\u{61C}",
        ] {
            assert!(!is_terminal_safe(bad), "{bad:?}");
        }
    }

    #[test]
    fn prepend_table_matches_segmentation() {
        // A Prepend char is exactly one that joins a following letter.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let joins_letter = format!("{c}a").graphemes(true).nth(1).is_none();
            assert_eq!(is_prepend(c), joins_letter, "{c:?}");
        }
    }

    #[test]
    fn prepend_runs_keep_one() {
        assert_eq!(one("\u{600}\u{600}\u{600}1"), "\u{600}1");
        // Also when a removed char sat between them.
        assert_eq!(one("\u{600}\u{200B}\u{601}1"), "\u{600}1");
        let flood = format!("{}hello world", "\u{600}".repeat(40));
        assert_eq!(one(&flood), "\u{600}hello world");
    }

    #[test]
    fn cut_grapheme_does_not_swallow_what_follows() {
        let sep = CUT_SEPARATOR;
        // Hangul leading consonants cut at 21 (64 bytes): the next syllable would join them.
        let l = "\u{1100}";
        let s = format!("{}\u{1161}\u{1100}\u{1161}", l.repeat(30));
        assert_eq!(one(&s), format!("{}{sep}\u{1100}\u{1161}", l.repeat(21)));
        let korean = format!("{}\u{1161}\u{C548}\u{B155}", l.repeat(30));
        assert_eq!(
            one(&korean),
            format!("{}{sep}\u{C548}\u{B155}", l.repeat(21))
        );
        // Found by proptest: a Prepend run in front of flags used to shift every later pair.
        let flags = "\u{1F1E9}".repeat(18);
        let ri = format!("{}{flags}", "\u{600}".repeat(29));
        assert_eq!(one(&ri), format!("\u{600}{flags}"));
        // Consonant + virama + nuktas beyond the cap, ended by a vowel sign; the next consonant
        // would join the cut prefix through the Indic conjunct rule (GB9c).
        let nuktas = "\u{93C}".repeat(9);
        let virama = format!("\u{915}\u{94D}{nuktas}\u{93E}\u{915}");
        let seven = "\u{93C}".repeat(7);
        assert_eq!(one(&virama), format!("\u{915}\u{94D}{seven}{sep}\u{915}"));
        for s in [s, korean, virama, ri] {
            for g in one(&s).graphemes(true) {
                assert!(grapheme_within_caps(g), "{g:?}");
            }
        }
    }
}
