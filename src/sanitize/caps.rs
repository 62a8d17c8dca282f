//! Stages 2 and 3 of sanitizing: per-grapheme caps (marks and bytes per terminal cell) and
//! per-line caps (`… (+N chars)`), keeping the output a fixed point.

use super::*;

/// Whether every grapheme is within the caps, and the most graphemes on one line.
pub(super) fn scan_graphemes(s: &str) -> (bool, usize) {
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
pub(super) fn cap_graphemes(s: &str, track: bool) -> (String, Option<OffsetMap>, usize) {
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
pub(super) fn joins(g: &str, c: char, scratch: &mut String) -> bool {
    if g.is_empty() {
        return false;
    }
    scratch.clear();
    scratch.push_str(g);
    scratch.push(c);
    scratch.graphemes(true).nth(1).is_none()
}

/// Stage 3: lines longer than `cap` graphemes keep their start plus `… (+N chars)`.
pub(super) fn cap_lines(s: &str, cap: usize, track: bool) -> (String, Option<OffsetMap>) {
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
