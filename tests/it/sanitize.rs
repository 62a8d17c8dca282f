//! Tests for `whatscope::sanitize`: the docs/reliability.md terminal cases a string sanitizer can
//! answer (T1–T13, T16), rendering into ratatui buffers, and the property tests (terminal-safe
//! output, no panic, idempotence) over arbitrary and escape-rich strings.

use std::borrow::Cow;
use std::ops::Range;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use ratatui::buffer::Buffer;
use ratatui::layout::Constraint;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph, Row, Table, Tabs, Widget, Wrap};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;
use whatscope::sanitize::{
    display_width, for_output, is_terminal_safe, to_display, to_display_capped,
    to_display_with_ranges, truncate_width, Mode, DEFAULT_MAX_LINE_GRAPHEMES, MAX_GRAPHEME_BYTES,
    MAX_MARKS_PER_GRAPHEME, MIN_LINE_GRAPHEMES,
};

const MODES: [Mode; 2] = [Mode::OneLine, Mode::MultiLine];

/// T1's body plus the other payloads of docs/reliability.md, catalog T.
const T1_BODY: &str = "hi\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZWNobyBwd25lZA==\x07there";

/// Fragments a hostile participant would send, for the generators and the golden set.
const HOSTILE: &[&str] = &[
    "\x1b]0;title\x07",
    "\x1b[2J",
    "\x1b[H",
    "\x1b[31m",
    "\x1b[?1049l",
    "\x1b[5b",
    "\x1b[21t",
    "\x1b[6n",
    "\x1bG Q",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "\x1b]8;;http://evil.example\x1b\\bank.com\x1b]8;;\x1b\\",
    "\x1bP$q m\x1b\\",
    "\x1b_apc payload\x1b\\",
    "\x1b^pm\x1b\\",
    "\x1bXsos\x1b\\",
    "\u{9b}2J",
    "\u{9d}0;title\u{9c}",
    "\u{90}$q m\u{9c}",
    "\u{85}",
    "\u{9f}",
    "\u{202a}",
    "\u{202b}",
    "\u{202c}",
    "\u{202d}",
    "\u{202e}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{200e}",
    "\u{200f}",
    "\u{61c}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{2060}",
    "\u{2064}",
    "\u{feff}",
    "\u{ad}",
    "\u{e0001}",
    "\u{e0041}",
    "\u{e007f}",
    "\u{fe0f}",
    "\u{fe0e}",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\x08",
    "\0",
    "\x7f",
    "\x0b",
    "\x0c",
    "\u{2028}",
    "\u{2029}",
    "\u{600}",
    "\u{94d}",
    "क्ष",
    "\u{1161}",
    "\u{11a8}",
    "\u{1f469}\u{200d}\u{1f52c}",
    "\u{1f44d}\u{1f3fd}",
    "\u{1f1e9}",
    "\u{1f3f4}",
    "\u{2764}\u{fe0f}",
    "e\u{301}",
    "İ",
    "ß",
    "日本",
    "مرحبا",
    "שלום",
    " ",
    "a",
    "Pay 10 EUR\rPay 9999 EUR",
];

// ---------------------------------------------------------------------------------------------
// Oracles

fn is_removed_char(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

fn marks_after_first(g: &str) -> usize {
    g.chars()
        .skip(1)
        .filter(|&c| c != '\u{200D}' && c != '\u{FE0F}' && c.width() == Some(0))
        .count()
}

/// Everything `to_display` promises about its output.
fn assert_display_clean(out: &str, mode: Mode, cap: usize) {
    assert!(is_terminal_safe(out), "not terminal-safe: {out:?}");
    for c in out.chars() {
        assert!(
            !c.is_control() || (c == '\n' && mode == Mode::MultiLine),
            "control {c:?}"
        );
        assert!(!is_removed_char(c), "format char {c:?} kept");
    }
    for line in out.split('\n') {
        let mut n = 0;
        for g in line.graphemes(true) {
            n += 1;
            assert!(
                g.len() <= MAX_GRAPHEME_BYTES,
                "grapheme of {} bytes",
                g.len()
            );
            assert!(
                marks_after_first(g) <= MAX_MARKS_PER_GRAPHEME,
                "grapheme {g:?}"
            );
        }
        assert!(n <= cap, "line of {n} graphemes");
    }
}

/// What must hold for every cell a widget wrote: nothing a terminal interprets, nothing hidden,
/// no oversized cell (ratatui's crossterm backend prints `cell.symbol()` verbatim).
fn assert_buffer_safe(buf: &Buffer) {
    for cell in buf.content() {
        let sym = cell.symbol();
        assert!(
            sym.len() <= MAX_GRAPHEME_BYTES,
            "cell of {} bytes",
            sym.len()
        );
        for c in sym.chars() {
            assert!(!c.is_control(), "control {c:?} in cell {sym:?}");
            assert!(!is_removed_char(c), "format char {c:?} in cell {sym:?}");
        }
    }
}

fn row_text(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol())
        .collect::<String>()
}

fn buffer_text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| row_text(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Draw `s` with every widget path ratatui offers for text: `List`, `Table`, `Tabs` and
/// `Block` titles emit format chars that `Paragraph` drops (measured for the T cases of
/// docs/reliability.md).
fn render_everywhere(one_line: &str, multi_line: &str) -> Vec<Buffer> {
    let area = Rect::new(0, 0, 80, 6);
    let mut out = Vec::new();

    let mut buf = Buffer::empty(area);
    buf.set_string(0, 0, one_line, Style::default());
    out.push(buf);

    let mut buf = Buffer::empty(area);
    Paragraph::new(multi_line.to_owned())
        .wrap(Wrap { trim: false })
        .render(area, &mut buf);
    out.push(buf);

    let mut buf = Buffer::empty(area);
    List::new([ListItem::new(one_line.to_owned()), ListItem::new("next")]).render(area, &mut buf);
    out.push(buf);

    let mut buf = Buffer::empty(area);
    Table::new(
        [Row::new([one_line.to_owned(), "42".to_owned()])],
        [Constraint::Length(60), Constraint::Length(10)],
    )
    .render(area, &mut buf);
    out.push(buf);

    let mut buf = Buffer::empty(area);
    Tabs::new([one_line.to_owned(), "Stats".to_owned()]).render(area, &mut buf);
    out.push(buf);

    let mut buf = Buffer::empty(area);
    Block::default()
        .borders(Borders::ALL)
        .title(Line::from(one_line.to_owned()))
        .render(area, &mut buf);
    out.push(buf);

    out
}

// ---------------------------------------------------------------------------------------------
// T cases (docs/reliability.md)

#[test]
fn t1_escape_sequences_become_visible_placeholders() {
    for mode in MODES {
        let out = to_display(T1_BODY, mode);
        assert_eq!(
            out,
            "hi\u{241B}[2J\u{241B}]0;pwned\u{2407}\u{241B}]52;c;ZWNobyBwd25lZA==\u{2407}there"
        );
        assert!(!out.contains('\x1b') && !out.contains('\x07'));
    }
    let one = to_display(T1_BODY, Mode::OneLine);
    let mut buf = Buffer::empty(Rect::new(0, 0, 80, 1));
    buf.set_string(0, 0, &one, Style::default());
    assert_buffer_safe(&buf);
    let row = row_text(&buf, 0);
    assert!(
        row.starts_with("hi\u{241B}[2J\u{241B}]0;pwned\u{2407}"),
        "{row:?}"
    );
    assert!(row.contains("there"));
}

#[test]
fn t2_latin1_c1_controls_replaced_in_every_field() {
    let c1 = ["\u{9b}", "\u{9d}", "\u{90}", "\u{9c}"];
    let fields = [
        "body {} text",
        "Alice{}",
        "Group {} subject",
        "IMG-20240101-WA0001{}.jpg",
    ];
    for field in fields {
        for c in c1 {
            let s = field.replace("{}", c);
            for mode in MODES {
                let out = to_display(&s, mode);
                for bad in [[0xC2, 0x9B], [0xC2, 0x9D], [0xC2, 0x90], [0xC2, 0x9C]] {
                    assert!(!out.as_bytes().windows(2).any(|w| w == bad), "{out:?}");
                }
                assert!(out.contains('\u{FFFD}'));
            }
        }
    }
}

#[test]
fn t3_window_title_payload_has_no_control_bytes() {
    let subject = "Team\x07\x1b]52;c;QUJD\x07";
    let title = to_display(subject, Mode::OneLine);
    // What crossterm's SetTitle would write: ESC ] 0 ; {title} BEL.
    let osc = format!("\x1b]0;{title}\x07");
    let payload = &osc[4..osc.len() - 1];
    assert_eq!(payload, title);
    assert!(
        !payload
            .chars()
            .any(|c| (c as u32) < 0x20 || (0x7F..=0x9F).contains(&(c as u32))),
        "{payload:?}"
    );
    assert_eq!(title, "Team\u{2407}\u{241B}]52;c;QUJD\u{2407}");
}

#[test]
fn t4_bidi_controls_removed_on_every_widget_path() {
    assert_eq!(
        to_display("Alice\u{202E}gnp.exe", Mode::OneLine),
        "Alicegnp.exe"
    );
    assert_eq!(to_display("a\u{2066}b\u{2069}c", Mode::OneLine), "abc");
    for s in [
        "Alice\u{202E}gnp.exe",
        "a\u{2066}b\u{2069}c",
        "\u{200F}Bob\u{200E}",
        "x\u{061C}y",
    ] {
        let one = to_display(s, Mode::OneLine);
        let multi = to_display(s, Mode::MultiLine);
        for buf in render_everywhere(&one, &multi) {
            assert_buffer_safe(&buf);
        }
    }
}

#[test]
fn t5_zero_width_chars_not_emitted() {
    assert_eq!(to_display("pass\u{200B}word", Mode::OneLine), "password");
    assert_eq!(to_display("mid\u{FEFF}text", Mode::OneLine), "midtext");
    assert_eq!(
        to_display("word\u{2060}joiner", Mode::OneLine),
        "wordjoiner"
    );
    assert_eq!(to_display("tag\u{E0041}\u{E0042}s", Mode::OneLine), "tags");
    assert_eq!(to_display("soft\u{AD}hyphen", Mode::OneLine), "softhyphen");
    assert_eq!(
        to_display("+49\u{200B}1512\u{2063}3456", Mode::MultiLine),
        "+4915123456"
    );
}

#[test]
fn t6_combining_floods_capped_per_cell() {
    let zalgo = format!("Z{}", "\u{301}".repeat(10_000));
    let out = to_display(&zalgo, Mode::OneLine);
    assert_eq!(
        out,
        format!("Z{}", "\u{301}".repeat(MAX_MARKS_PER_GRAPHEME))
    );

    // ~1 MB body of `a` + 200 marks, repeated.
    let unit = format!("a{}", "\u{300}".repeat(200));
    let body = unit.repeat(1_000_000 / unit.len() + 1);
    assert!(body.len() >= 1_000_000);
    for mode in MODES {
        let out = to_display(&body, mode);
        assert_display_clean(&out, mode, DEFAULT_MAX_LINE_GRAPHEMES);
        assert!(out
            .graphemes(true)
            .all(|g| g.chars().count() <= 1 + MAX_MARKS_PER_GRAPHEME));
        // 80×24 cells of at most base + 8 marks (17 bytes) each.
        let area = Rect::new(0, 0, 80, 24);
        let mut buf = Buffer::empty(area);
        Paragraph::new(out.into_owned())
            .wrap(Wrap { trim: false })
            .render(area, &mut buf);
        assert_buffer_safe(&buf);
        let frame_bytes: usize = buf.content().iter().map(|c| c.symbol().len()).sum();
        assert!(frame_bytes < 64 * 1024, "{frame_bytes} bytes in one frame");
    }
}

#[test]
fn t7_huge_lines_cut_with_marker() {
    let no_spaces = "a".repeat(1_000_000);
    let out = to_display(&no_spaces, Mode::MultiLine);
    let keep = DEFAULT_MAX_LINE_GRAPHEMES - 11 - 7; // 7 digits in 1_000_000
    assert_eq!(
        out,
        format!("{}… (+{} chars)", "a".repeat(keep), 1_000_000 - keep)
    );

    let emoji = "\u{1F600}".repeat(100_000);
    for mode in MODES {
        let out = to_display(&emoji, mode);
        assert!(out.ends_with(" chars)"), "{}", &out[out.len() - 20..]);
        assert!(out.graphemes(true).count() <= DEFAULT_MAX_LINE_GRAPHEMES);
        assert_display_clean(&out, mode, DEFAULT_MAX_LINE_GRAPHEMES);
    }
}

#[test]
fn t8_cr_and_backspace_shown_nothing_overwritten() {
    let cr = to_display("Pay 10 EUR\rPay 9999 EUR", Mode::OneLine);
    assert_eq!(cr, "Pay 10 EUR\u{240D}Pay 9999 EUR");
    let bs = to_display("abc\x08\x08\x08xyz", Mode::OneLine);
    assert_eq!(bs, "abc\u{2408}\u{2408}\u{2408}xyz");

    let mut buf = Buffer::empty(Rect::new(0, 0, 40, 2));
    buf.set_string(0, 0, &cr, Style::default());
    buf.set_string(0, 1, &bs, Style::default());
    assert_buffer_safe(&buf);
    assert!(row_text(&buf, 0).starts_with("Pay 10 EUR\u{240D}Pay 9999 EUR"));
    assert!(row_text(&buf, 1).starts_with("abc\u{2408}\u{2408}\u{2408}xyz"));
}

#[test]
fn t9_one_line_widgets_stay_one_row() {
    let names = [
        "Alice\nBob",
        "tab\there",
        "windows\r\nline",
        "\n\n\n",
        "para\u{2029}graph",
    ];
    let items: Vec<ListItem> = names
        .iter()
        .map(|n| {
            let one = to_display(n, Mode::OneLine);
            assert!(!one.contains(['\n', '\r', '\t']), "{one:?}");
            ListItem::new(one.into_owned())
        })
        .collect();
    assert!(items.iter().all(|i| i.height() == 1));
    assert_eq!(to_display("tab\there", Mode::OneLine), "tab here");
    assert_eq!(
        to_display("windows\r\nline", Mode::OneLine),
        "windows\u{23CE}line"
    );

    let area = Rect::new(0, 0, 30, 10);
    let mut buf = Buffer::empty(area);
    List::new(items).render(area, &mut buf);
    assert_buffer_safe(&buf);
    let used_rows = (0..area.height)
        .filter(|&y| !row_text(&buf, y).trim().is_empty())
        .count();
    assert_eq!(used_rows, names.len());
}

#[test]
fn t10_cli_output_sanitized_for_a_terminal_raw_for_pipes() {
    let payload = [
        T1_BODY,
        "\u{9b}31m\u{9d}0;x\u{9c}",
        "Alice\u{202E}gnp.exe",
        "pass\u{200B}word",
        &format!("Z{}", "\u{301}".repeat(100)),
        "Pay 10\rPay 9999\tEUR\n",
    ]
    .join("\n");
    let tty = for_output(&payload, true);
    assert_display_clean(&tty, Mode::MultiLine, DEFAULT_MAX_LINE_GRAPHEMES);
    assert_eq!(tty.lines().count(), payload.lines().count());
    // Not a terminal (JSON, pipe): the raw text, borrowed.
    let raw = for_output(&payload, false);
    assert!(matches!(raw, Cow::Borrowed(_)));
    assert_eq!(raw, payload);
}

#[test]
fn t11_error_text_quoting_input_is_sanitized() {
    let line = "12/31/24, 9:00 PM - \x1b[31mCANARY\x1b[0m\u{202E}";
    let message = format!("not a message header: {}", to_display(line, Mode::OneLine));
    assert!(is_terminal_safe(&message));
    assert!(!message.contains('\x1b') && !message.contains('\u{202E}'));
    assert!(message.contains("\u{241B}[31mCANARY"));
}

#[test]
fn t12_emoji_names_keep_table_borders_aligned() {
    let names = [
        "Alice",
        "\u{1F469}\u{200D}\u{1F52C} Scientist",
        "\u{1F44D}\u{1F3FD} Thumbs",
        "\u{1F1E9}\u{1F1EA}\u{1F1EB}\u{1F1F7} Flags",
        "\u{2764}\u{FE0F} Heart",
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466} Family",
        "日本語の名前がとても長い人です",
        "Ze\u{301}lie\u{202E}xyz",
    ];
    let col = 12usize;
    let mut buf = Buffer::empty(Rect::new(0, 0, 20, names.len() as u16));
    for (y, name) in names.iter().enumerate() {
        let shown = to_display(name, Mode::OneLine);
        let cell = truncate_width(&shown, col);
        let w = display_width(&cell);
        assert!(w <= col, "{cell:?}");
        let row = format!("{cell}{}│", " ".repeat(col - w));
        let (x, _) = buf.set_stringn(0, y as u16, &row, usize::MAX, Style::default());
        assert_eq!(x as usize, col + 1, "{row:?}");
        assert_eq!(buf[(col as u16, y as u16)].symbol(), "│", "{row:?}");
    }
    assert_buffer_safe(&buf);
}

#[test]
fn t13_turkish_and_sharp_s_truncate_and_highlight_on_char_boundaries() {
    for s in ["İstanbul", "Straße", "i\u{307}i\u{307}", "ŞİŞLİ ß SS"] {
        for w in 0..12 {
            let t = truncate_width(s, w);
            assert!(display_width(&t) <= w);
        }
        let ranges: Vec<Range<usize>> = (0..=s.len()).map(|i| i..(i + 2).min(s.len())).collect();
        let (out, mapped) = to_display_with_ranges(s, Mode::OneLine, &ranges);
        for r in mapped {
            assert!(out.is_char_boundary(r.start) && out.is_char_boundary(r.end));
        }
    }
}

#[test]
fn t16_golden_payloads_safe_on_every_widget_path() {
    let mut golden: Vec<String> = HOSTILE.iter().map(|s| (*s).to_owned()).collect();
    golden.push(T1_BODY.to_owned());
    golden.push(format!("Z{}", "\u{301}".repeat(10_000)));
    golden.push("\u{1100}".repeat(500));
    golden.push(HOSTILE.concat());
    for s in &golden {
        let one = to_display(s, Mode::OneLine);
        let multi = to_display(s, Mode::MultiLine);
        assert_display_clean(&one, Mode::OneLine, DEFAULT_MAX_LINE_GRAPHEMES);
        assert_display_clean(&multi, Mode::MultiLine, DEFAULT_MAX_LINE_GRAPHEMES);
        for buf in render_everywhere(&one, &multi) {
            assert_buffer_safe(&buf);
        }
    }
    // A control picture actually reaches the screen: nothing is silently swallowed.
    let all = HOSTILE.concat();
    let one = to_display(&all, Mode::OneLine);
    let bufs = render_everywhere(&one, &one);
    assert!(buffer_text(&bufs[0]).contains('\u{241B}'));
}

#[test]
fn printable_ascii_and_ordinary_text_borrowed() {
    for s in [
        "Hello, world! 123 ~`@#$%^&*()_+-=[]{}|;':\",./<>?",
        "Grüße, Ελληνικά, Русский, עברית, العربية, हिन्दी, 中文, 한국어",
        "\u{1F469}\u{1F3FD}\u{200D}\u{1F4BB} \u{1F3F3}\u{FE0F}\u{200D}\u{1F308}",
    ] {
        for mode in MODES {
            assert!(matches!(to_display(s, mode), Cow::Borrowed(_)), "{s:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Properties (docs/reliability.md)

fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..200).prop_map(String::from_iter)
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(HOSTILE).prop_map(str::to_owned),
        4 => any::<char>().prop_map(String::from),
        3 => "[a-zA-Z0-9 ]{1,12}",
        1 => (0usize..400).prop_map(|n| "\u{301}".repeat(n)),
        1 => (0usize..200).prop_map(|n| "\u{1100}".repeat(n)),
        1 => (0usize..100).prop_map(|n| "\u{200D}".repeat(n)),
        1 => (0usize..40).prop_map(|n| vec!["\u{1F468}"; n + 1].join("\u{200D}")),
        1 => (0usize..30).prop_map(|n| format!("क{}", "्क".repeat(n))),
        1 => (0usize..80).prop_map(|n| "\u{1F1E9}".repeat(n)),
        1 => (0usize..30).prop_map(|n| "\u{600}".repeat(n)),
        1 => (4000usize..6000).prop_map(|n| "x".repeat(n)),
        1 => (1000usize..2500).prop_map(|n| "\t".repeat(n)),
    ]
}

/// Chars whose grapheme rules join across neighbours: Hangul jamo and syllables, regional
/// indicators, Prepend, Indic consonant/virama/nukta/vowel sign, ZWJ emoji, marks.
const JOINERS: &[&str] = &[
    "\u{1100}",
    "\u{1161}",
    "\u{11A8}",
    "\u{AC00}",
    "\u{AC01}",
    "\u{1F1E9}",
    "\u{600}",
    "\u{915}",
    "\u{94D}",
    "\u{93C}",
    "\u{93E}",
    "\u{903}",
    "\u{200D}",
    "\u{200C}",
    "\u{1F468}",
    "\u{1F3FD}",
    "\u{FE0F}",
    "\u{301}",
    "\u{FF9E}",
    "a",
    " ",
    "\n",
    "\u{200B}",
];

fn joiner_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(JOINERS).prop_map(str::to_owned),
            1 => (prop::sample::select(JOINERS), 1usize..40).prop_map(|(j, n)| j.repeat(n)),
        ],
        0..120,
    )
    .prop_map(|v| v.concat())
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..24).prop_map(|v| v.concat())
}

fn check_sanitizer(s: &str, cap: usize) {
    for mode in MODES {
        let once = to_display_capped(s, mode, cap);
        let cap = cap.max(MIN_LINE_GRAPHEMES);
        assert_display_clean(&once, mode, cap);
        if mode == Mode::OneLine {
            assert!(!once.contains('\n'));
        }
        let twice = to_display_capped(&once, mode, cap);
        assert!(
            matches!(twice, Cow::Borrowed(_)),
            "not idempotent: {once:?}"
        );
        assert_eq!(twice, once);
    }
}

fn check_buffer(s: &str) {
    let one = to_display(s, Mode::OneLine);
    let width = display_width(&one);
    let Ok(area_width) = u16::try_from(width + 1) else {
        return;
    };
    let mut buf = Buffer::empty(Rect::new(0, 0, area_width, 1));
    let (x, _) = buf.set_stringn(0, 0, &one, usize::MAX, Style::default());
    assert_buffer_safe(&buf);
    // ratatui lays the text out over exactly `display_width` cells.
    assert_eq!(x as usize, width);
}

/// 512 cases; failures are recorded beside this file (`sanitize.proptest-regressions`) and
/// replayed first. Named explicitly: proptest's default would look for the folder holding
/// `main.rs` (tests/it) and write to `tests/proptest-regressions/` instead.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_strings_sanitize_safely(s in any_text()) {
        check_sanitizer(&s, DEFAULT_MAX_LINE_GRAPHEMES);
    }

    #[test]
    fn hostile_strings_sanitize_safely(s in hostile_text()) {
        check_sanitizer(&s, DEFAULT_MAX_LINE_GRAPHEMES);
    }

    #[test]
    fn hostile_strings_with_small_line_caps(s in hostile_text(), cap in 0usize..200) {
        check_sanitizer(&s, cap);
    }

    #[test]
    fn joining_scripts_sanitize_safely(s in joiner_soup(), cap in 0usize..300) {
        check_sanitizer(&s, DEFAULT_MAX_LINE_GRAPHEMES);
        check_sanitizer(&s, cap);
        check_buffer(&s);
    }

    #[test]
    fn sanitized_text_renders_into_clean_cells(s in hostile_text()) {
        check_buffer(&s);
    }

    #[test]
    fn arbitrary_text_renders_into_clean_cells(s in any_text()) {
        check_buffer(&s);
    }

    #[test]
    fn for_output_is_raw_or_sanitized(s in hostile_text()) {
        prop_assert_eq!(for_output(&s, false), s.as_str());
        prop_assert_eq!(for_output(&s, true), to_display(&s, Mode::MultiLine));
    }

    #[test]
    fn ranges_land_on_char_boundaries(
        s in hostile_text(),
        raw in prop::collection::vec((0usize..20_000, 0usize..20_000), 0..8),
    ) {
        let ranges: Vec<Range<usize>> = raw.iter().map(|&(a, b)| a..b).collect();
        for mode in MODES {
            let (out, mapped) = to_display_with_ranges(&s, mode, &ranges);
            prop_assert_eq!(&out, &to_display(&s, mode).into_owned());
            prop_assert_eq!(mapped.len(), ranges.len());
            for r in &mapped {
                prop_assert!(r.start <= r.end && r.end <= out.len(), "{:?} in {}", r, out.len());
                prop_assert!(out.is_char_boundary(r.start) && out.is_char_boundary(r.end));
            }
        }
    }

    #[test]
    fn ranges_keep_pointing_at_the_same_word(
        before in prop::collection::vec(prop::sample::select(HOSTILE), 0..12),
        word in "[a-zA-Z0-9]{1,10}",
        after in prop::collection::vec(prop::sample::select(HOSTILE), 0..12),
    ) {
        let prefix = format!("{} ", before.concat());
        let s = format!("{prefix}{word} {}", after.concat());
        let r = prefix.len()..prefix.len() + word.len();
        for mode in MODES {
            let (out, mapped) = to_display_with_ranges(&s, mode, std::slice::from_ref(&r));
            prop_assert_eq!(out.get(mapped[0].clone()), Some(word.as_str()));
        }
    }

    #[test]
    fn truncate_width_fits_and_keeps_a_grapheme_prefix(
        s in prop::collection::vec(
            prop::sample::select(&[
                "日", "本", "語", "a", "Z", " ", "\u{1F600}", "\u{1F469}\u{200D}\u{1F52C}",
                "e\u{301}", "\u{301}", "مرحبا", "שלום", "İ", "i\u{307}", "ß", "SS",
                "\u{1F1E9}\u{1F1EA}", "\u{2764}\u{FE0F}", "\u{200D}", "한", "\n",
            ][..]),
            0..60,
        ).prop_map(|v| v.concat()),
        w in 0usize..200,
    ) {
        let t = truncate_width(&s, w);
        prop_assert!(display_width(&t) <= w);
        if display_width(&s) <= w {
            prop_assert!(matches!(t, Cow::Borrowed(_)));
        }
        for (line, orig) in t.split('\n').zip(s.split('\n')) {
            let kept = line.strip_suffix('…').unwrap_or(line);
            prop_assert!(orig.starts_with(kept));
            let boundaries: Vec<usize> =
                orig.grapheme_indices(true).map(|(i, _)| i).chain([orig.len()]).collect();
            prop_assert!(boundaries.contains(&kept.len()), "cut inside a grapheme");
        }
    }

    #[test]
    fn is_terminal_safe_never_panics(s in any_text()) {
        let _ = is_terminal_safe(&s);
        let _ = display_width(&s);
    }
}
