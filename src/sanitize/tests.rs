//! Unit tests of terminal-safe display: the char rules, the caps, widths, ranges and the fixed point.

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
