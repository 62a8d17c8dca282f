//! What each fuzz target checks, in one place: the targets in `fuzz_targets/` and the CI-safe
//! replays in `tests/it/reliability/fuzz_props.rs` both `#[path]`-include this file, so `cargo test`
//! runs exactly the assertions the fuzzer runs (docs/reliability.md: "replay the corpus as a
//! regression suite"). Every function panics on a violated invariant and ignores errors: an
//! input being rejected is fine, a panic, timeout or runaway memory is not.
//!
//! Only `whatscope`, `unicode-segmentation` and `unicode-width` may be used here: they are
//! dependencies of both the main crate and the fuzz crate.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;
use whatscope::import::{self, dates, decode, header, DateOrder, ParseOptions};
use whatscope::sanitize::{
    display_width, is_terminal_safe, to_display_capped, to_display_with_ranges, truncate_width,
    Mode, DEFAULT_MAX_LINE_GRAPHEMES, MAX_GRAPHEME_BYTES, MAX_MARKS_PER_GRAPHEME,
    MIN_LINE_GRAPHEMES,
};

// ---------------------------------------------------------------------------------------------
// F1: parse_export

/// F1: arbitrary bytes through encoding detection and parsing, as `whatscope parse` does, with
/// the inferred date order and each forced one. Beyond "no panic" it checks the NO-LOSS
/// accounting: every line the decoder names as repaired holds the U+FFFD that replaced the bad
/// input, and messages tile the file from the first header on, with nothing left over.
pub fn parse_export(data: &[u8]) {
    let Ok(decoded) = decode::decode(data.to_vec()) else {
        return;
    };
    let holding = lines_holding_replacement(&decoded.text);
    for l in decoded.repaired_lines.iter().chain(&decoded.nul_lines) {
        assert!(
            holding.binary_search(l).is_ok(),
            "line {l} reported as repaired holds no U+FFFD (repaired {:?}, NUL {:?}, holding {holding:?})",
            decoded.repaired_lines,
            decoded.nul_lines
        );
    }
    for date_order in [
        None,
        Some(DateOrder::Dmy),
        Some(DateOrder::Mdy),
        Some(DateOrder::Ymd),
    ] {
        let opts = ParseOptions {
            date_order,
            ..ParseOptions::default()
        };
        let Ok(parsed) = import::parse(&decoded.text, &opts) else {
            continue;
        };
        let before = parsed
            .message(0)
            .map_or(parsed.physical_lines, |m| m.line - 1);
        let spanned: usize = parsed.messages().map(|m| m.lines).sum();
        assert_eq!(
            before + spanned,
            parsed.physical_lines,
            "lines unaccounted for"
        );
        assert!(parsed.orphan_lines.iter().all(|l| *l <= before));
        let _ = parsed.ids("chat");
        let _ = parsed.skipped_lines();
    }
}

/// 1-based lines that hold a U+FFFD, as the parser splits lines (LF, CRLF, CR CR LF, lone
/// CR): the decoder's line numbers must name the lines the parser reports.
fn lines_holding_replacement(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line = 0;
    let never_fails = import::lines::for_each_line(text, |start, end, _| {
        line += 1;
        if text[start..end].contains('\u{FFFD}') {
            out.push(line);
        }
        Ok::<(), std::convert::Infallible>(())
    });
    match never_fails {
        Ok(()) => out,
    }
}

// ---------------------------------------------------------------------------------------------
// F5: header

/// F5: the header scanner on one line. Whatever it accepts must leave the body start on a
/// character boundary inside the line, and its numbers must turn into a timestamp or `None`
/// under every date order, never a panic.
pub fn header_line(line: &str) {
    let Some(h) = header::scan(line) else {
        return;
    };
    assert!(h.body_start <= line.len(), "body starts past the line");
    assert!(
        line.is_char_boundary(h.body_start),
        "body starts inside a character"
    );
    for order in [DateOrder::Dmy, DateOrder::Mdy, DateOrder::Ymd] {
        if let Some(ts) = dates::timestamp(&h, order) {
            assert_eq!(whatscope::timestamp::format_ts(&ts).len(), 19);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// F3: to_display

/// F3: the display sanitizer (docs/reliability.md) on an arbitrary string, in both modes, with
/// the default line cap and the smallest one (so that short inputs reach the line cut too):
/// the output passes [`check_display_clean`], sanitizing it again returns it unchanged and
/// borrowed (idempotence), the range-tracking path builds the very same string (a
/// differential oracle: it is a separate code path), mapped ranges land on char boundaries,
/// and width truncation of the output respects the width.
pub fn to_display(s: &str) {
    for mode in [Mode::OneLine, Mode::MultiLine] {
        for cap in [DEFAULT_MAX_LINE_GRAPHEMES, MIN_LINE_GRAPHEMES] {
            let once = to_display_capped(s, mode, cap);
            check_display_clean(&once, mode, cap);
            let twice = to_display_capped(&once, mode, cap);
            assert!(
                matches!(twice, Cow::Borrowed(_)) && twice == once,
                "not idempotent ({mode:?}, cap {cap}): {once:?} became {twice:?}"
            );
        }

        let plain = to_display_capped(s, mode, DEFAULT_MAX_LINE_GRAPHEMES);
        let mid = s.len() / 2; // may fall inside a char: ranges are widened to whole chars
        let (tracked, ranges) =
            to_display_with_ranges(s, mode, &[0..s.len(), mid..s.len(), 0..mid]);
        assert_eq!(
            tracked, plain,
            "range tracking changed the output ({mode:?})"
        );
        for r in &ranges {
            assert!(
                r.start <= r.end
                    && r.end <= tracked.len()
                    && tracked.is_char_boundary(r.start)
                    && tracked.is_char_boundary(r.end),
                "range {r:?} not on char boundaries of {tracked:?}"
            );
        }

        for width in [0, 1, 2, 7, 80] {
            let cut = truncate_width(&plain, width);
            assert!(
                display_width(&cut) <= width,
                "truncate_width({width}) gave {cut:?}"
            );
        }
    }

    // Ordinary printable ASCII below every cap is shown exactly as typed.
    if s.len() <= MIN_LINE_GRAPHEMES && s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        for mode in [Mode::OneLine, Mode::MultiLine] {
            assert!(matches!(
                to_display_capped(s, mode, MIN_LINE_GRAPHEMES),
                Cow::Borrowed(t) if t == s
            ));
        }
    }
}

/// Chars the sanitizer documents as removed that must never reach a terminal: bidi controls
/// (U+202A–U+202E, U+2066–U+2069, U+061C, LRM/RLM) and invisible format chars (U+200B,
/// U+2060–U+2064, U+FEFF, soft hyphen, tags). ZWNJ U+200C and ZWJ U+200D are kept on purpose
/// (Persian/Indic spelling, emoji sequences; see `whatscope::sanitize::to_display`): they can
/// neither reorder nor control anything.
pub fn is_forbidden_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{00AD}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Zero-width chars after a grapheme's first one, as the cap counts them (ZWJ and VS16 are
/// structure of emoji sequences, not marks).
fn marks_after_first(g: &str) -> usize {
    g.chars()
        .skip(1)
        .filter(|&c| c != '\u{200D}' && c != '\u{FE0F}' && c.width() == Some(0))
        .count()
}

/// Everything `to_display` promises about its output in `mode` with line cap `cap`: no Cc
/// except `\n` in multi-line mode, no forbidden format char, at most
/// [`MAX_MARKS_PER_GRAPHEME`] marks and [`MAX_GRAPHEME_BYTES`] bytes per grapheme, at most
/// `max(cap, MIN_LINE_GRAPHEMES)` graphemes per line. Public so the tests can show that it
/// rejects unsafe text.
pub fn check_display_clean(out: &str, mode: Mode, cap: usize) {
    let cap = cap.max(MIN_LINE_GRAPHEMES);
    assert!(is_terminal_safe(out), "not terminal-safe: {out:?}");
    for c in out.chars() {
        assert!(
            !c.is_control() || (c == '\n' && mode == Mode::MultiLine),
            "control {c:?} in {mode:?} output"
        );
        assert!(!is_forbidden_format_char(c), "format char {c:?} kept");
    }
    for line in out.split('\n') {
        let mut n = 0usize;
        for g in line.graphemes(true) {
            n += 1;
            assert!(
                g.len() <= MAX_GRAPHEME_BYTES,
                "grapheme of {} bytes",
                g.len()
            );
            assert!(
                marks_after_first(g) <= MAX_MARKS_PER_GRAPHEME,
                "grapheme with {} marks: {g:?}",
                marks_after_first(g)
            );
        }
        assert!(n <= cap, "line of {n} graphemes over the cap {cap}");
    }
}
