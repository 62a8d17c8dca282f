//! Display widths in terminal cells, as ratatui lays text out, and truncation to a width.

use super::*;

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
