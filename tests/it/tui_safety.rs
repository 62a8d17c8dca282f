//! Untrusted text never reaches the terminal as control (docs/reliability.md, T1–T9, T14):
//! the TUI is drawn through ratatui's real `CrosstermBackend` into a byte buffer, and the bytes
//! a terminal would receive are scanned; the cells of the same frame are checked too.
//!
//! Two sources of hostile text: a golden payload set imported as a real export (chat name,
//! sender names, bodies, attachment names) and walked through every pane, and a proptest that
//! puts generated payloads straight into the app's state (chat list, conversation, results,
//! query and status lines) and draws it.

use crate::support::tui::{buffer_text, Harness};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use whatscope::index::read::{ChatSummary, StoredMessage};
use whatscope::index::search::{Hit, SearchResult, MARK_CLOSE, MARK_OPEN};
use whatscope::model::{Kind, Message};
use whatscope::sanitize::{self, Mode, MAX_GRAPHEME_BYTES};
use whatscope::tui::app::{App, Conversation, Event, Pane};
use whatscope::tui::keymap::Keymap;
use whatscope::tui::theme::Theme;
use whatscope::tui::worker::ChatOrder;

// ---------------------------------------------------------------------------------------------
// Capturing what the terminal would receive

/// A writer the test keeps a handle on while the backend owns the other.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("writer lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One frame of the app drawn by the crossterm backend: the bytes written and the cells.
fn frame(app: &App, w: u16, h: u16) -> (Vec<u8>, Buffer) {
    let out = Shared::default();
    let backend = CrosstermBackend::new(out.clone());
    let opts = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
    };
    let mut term = Terminal::with_options(backend, opts).expect("terminal");
    let buffer = term
        .draw(|f| whatscope::tui::view::draw(app, f))
        .expect("draw")
        .buffer
        .clone();
    let bytes = out.0.lock().expect("writer lock").clone();
    (bytes, buffer)
}

/// Characters that must never reach a terminal from untrusted text. ZWJ (U+200D) and ZWNJ
/// (U+200C) are kept on purpose by the sanitizer (emoji sequences, Persian and Indic
/// spelling) and cannot reorder or control anything.
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E007F}')
}

/// Fails on anything in the byte stream but text and the CSI sequences the backend emits
/// itself: cursor moves (`H`), styles (`m`) and cursor show/hide (`?25h`, `?25l`). No OSC (so
/// no window title or clipboard write), no DCS, no BEL, no C1, no bidi or invisible format
/// characters.
fn assert_terminal_safe(out: &[u8], what: &str) {
    let s = std::str::from_utf8(out)
        .unwrap_or_else(|e| panic!("{what}: backend wrote invalid UTF-8: {e}"));
    let mut it = s.char_indices().peekable();
    while let Some((at, c)) = it.next() {
        let context = || {
            let mut start = at.saturating_sub(40);
            while !s.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (at + 40).min(s.len());
            while !s.is_char_boundary(end) {
                end += 1;
            }
            format!("{what}: at byte {at}: {:?}", &s[start..end])
        };
        if c == '\u{1b}' {
            assert_eq!(
                it.next().map(|(_, c)| c),
                Some('['),
                "non-CSI escape emitted ({})",
                context()
            );
            let mut params = String::new();
            loop {
                let (_, f) = it
                    .next()
                    .unwrap_or_else(|| panic!("unterminated CSI ({})", context()));
                if ('\u{40}'..='\u{7e}').contains(&f) {
                    let ok = match f {
                        'H' | 'm' => params
                            .chars()
                            .all(|p| p.is_ascii_digit() || p == ';' || p == ':'),
                        'h' | 'l' => params == "?25",
                        _ => false,
                    };
                    assert!(ok, "unexpected CSI {params:?}{f} ({})", context());
                    break;
                }
                params.push(f);
                assert!(params.len() < 64, "runaway CSI ({})", context());
            }
            continue;
        }
        assert!(!forbidden(c), "{c:?} emitted ({})", context());
    }
}

/// Every cell holds one bounded grapheme with nothing forbidden in it.
fn assert_cells_safe(buf: &Buffer, what: &str) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            assert!(
                sym.len() <= MAX_GRAPHEME_BYTES,
                "{what}: cell ({x},{y}) holds {} bytes",
                sym.len()
            );
            assert!(
                !sym.chars().any(forbidden),
                "{what}: cell ({x},{y}) holds {sym:?}"
            );
        }
    }
}

/// Draws at a size, checks bytes and cells, returns the screen text.
fn check(app: &App, w: u16, h: u16, what: &str) -> String {
    let (bytes, buf) = frame(app, w, h);
    let what = format!("{what} at {w}×{h}");
    assert_terminal_safe(&bytes, &what);
    assert_cells_safe(&buf, &what);
    if (w, h) == (80, 24) {
        // T6: a frame of hostile text stays small.
        assert!(
            bytes.len() < 64 * 1024,
            "{what}: {} bytes in one frame",
            bytes.len()
        );
    }
    buffer_text(&buf)
}

/// The oracles themselves: they pass what crossterm emits and catch what they are for.
#[test]
fn the_oracles_catch_what_they_should() {
    let fails = |bytes: &'static [u8]| {
        std::panic::catch_unwind(|| assert_terminal_safe(bytes, "probe")).is_err()
    };
    assert!(!fails(
        b"\x1b[1;1H\x1b[38;5;12;48;2;1;2;3;1mhi\x1b[0m\x1b[?25l ok"
    ));
    for bad in [
        &b"\x1b]0;title\x07"[..],
        b"\x1b[2J",
        b"\x1b[?1049l",
        b"\x1bP+q\x1b\\",
        b"\x07",
        b"\x08",
        b"a\rb",
        "\u{9b}31m".as_bytes(),
        "a\u{202e}b".as_bytes(),
        "a\u{2066}b".as_bytes(),
        "a\u{200b}b".as_bytes(),
        "a\u{feff}b".as_bytes(),
    ] {
        assert!(fails(bad), "{bad:?} passed the byte oracle");
    }
    for bad in ["\u{202e}", "a\u{1b}", "\u{9d}", "\u{2069}"] {
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 1));
        buf[(1, 0)].set_symbol(bad);
        let caught = std::panic::catch_unwind(|| assert_cells_safe(&buf, "probe")).is_err();
        assert!(caught, "{bad:?} passed the cell oracle");
    }
    let mut buf = Buffer::empty(Rect::new(0, 0, 2, 1));
    buf[(0, 0)].set_symbol(&format!("Z{}", "\u{301}".repeat(40)));
    assert!(std::panic::catch_unwind(|| assert_cells_safe(&buf, "probe")).is_err());
}

// ---------------------------------------------------------------------------------------------
// Golden payloads through a real import

/// The hostile group's name: OSC title and clipboard writes, BEL, C1 CSI, bidi, a newline and
/// a tab (T1–T4, T9).
const HOSTILE_CHAT: &str =
    "Team\u{7}\u{1b}]52;c;QUJD\u{7}\u{1b}]0;pwned\u{7} a\u{2066}b\u{2069}c \u{9b}31m\nsecond\tline";

/// Senders: escape sequences, bidi overrides, C1, zero-width (T1, T2, T4, T5).
const SENDERS: &[&str] = &[
    "Alice",
    "Eve\u{1b}[31mRed\u{1b}[0m",
    "Mallory\u{202E}gnp.exe",
    "\u{9b}2JTrudy\u{9d}0;x\u{9c}",
    "Zed\u{200B}\u{FEFF}\u{2060}Zero",
    "Oscar\u{1b}]0;title\u{7}",
];

/// T1: the body of docs/reliability.md, T1, shown as one run of placeholders between `hi` and `there`.
const T1: &str = "hi\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}there";

fn bodies() -> Vec<String> {
    vec![
        T1.to_string(),
        // T2: C1 controls.
        "canary c1 \u{9b}31m \u{9d}0;x\u{9c} \u{90}dcs\u{9c} \u{85}nel".to_string(),
        // T4: bidi overrides and isolates.
        "canary invoice\u{202E}fdp.exe \u{202A}\u{202B}\u{202C}\u{202D} \u{2066}\u{2067}\u{2068}\u{2069} \u{61C}".to_string(),
        // T5: zero-width and tags.
        "canary pass\u{200B}word \u{FEFF}bom \u{2060}wj \u{E0041}\u{E007F}tag \u{200E}\u{200F}".to_string(),
        // T6: one huge grapheme, then many marked letters.
        format!("canary Z{}", "\u{301}".repeat(10_000)),
        format!("canary {}", format!("a{}", "\u{301}".repeat(200)).repeat(400)),
        // T7: a very long line without spaces, and many emoji.
        format!("canary {}", "x".repeat(200_000)),
        format!("canary {}", "😀".repeat(20_000)),
        // T8: carriage return and backspaces must not overwrite anything.
        "canary Pay 10 EUR\rPay 9999 EUR".to_string(),
        "canary abc\u{8}\u{8}\u{8}xyz del\u{7f}".to_string(),
        // Tabs, an OSC 8 hyperlink, a DCS, a bracketed paste end, cursor save/restore.
        "canary tab\there \u{1b}]8;;http://evil\u{1b}\\bank.com\u{1b}]8;;\u{1b}\\ \u{1b}P+q\u{1b}\\ \u{1b}[201~ \u{1b}7\u{1b}8".to_string(),
        // Multi-line with escapes on the continuation lines.
        "canary first\n\u{1b}[1A\u{1b}[2Ksecond\n\u{1b}]0;x\u{7}third".to_string(),
    ]
}

/// An Android export of the bodies, each sent by one of the senders, plus a media line whose
/// file name is hostile.
fn hostile_export() -> String {
    let mut out = String::new();
    for (i, body) in bodies().iter().enumerate() {
        let sender = SENDERS[i % SENDERS.len()];
        let sender = if body.starts_with("hi") {
            "Alice"
        } else {
            sender
        };
        out.push_str(&format!(
            "0{}/03/2024, 1{}:{:02} - {sender}: {body}\n",
            1 + i % 9,
            i % 10,
            i
        ));
    }
    out.push_str(
        "09/03/2024, 19:59 - Mallory\u{202E}gnp.exe: evil\u{1b}]0;x\u{7}\u{202E}fdp.jpg (file attached)\ncanary caption\n",
    );
    out
}

fn hostile_harness(size: (u16, u16)) -> Harness {
    let mut h = Harness::from_exports(
        &[("WhatsApp Chat with Hostile.txt", &hostile_export())],
        Some(HOSTILE_CHAT),
        size,
    );
    h.app.theme = Theme { color: true };
    h
}

fn key(h: &mut Harness, code: KeyCode) {
    h.press(code);
}

/// The import kept the hostile text raw (so the test is testing something).
#[test]
fn the_archive_holds_the_raw_payloads() {
    let mut h = hostile_harness((120, 40));
    let chats = h.app.chats.clone().expect("chats");
    assert_eq!(chats.len(), 1);
    assert_eq!(chats[0].chat, HOSTILE_CHAT);
    h.open_chat(HOSTILE_CHAT);
    h.press(KeyCode::Char('g'));
    let conv = h.app.conv.as_ref().unwrap();
    let t1 = conv.messages.values().find(|m| m.message.text == T1);
    assert!(t1.is_some(), "T1 body stored raw");
    let senders: Vec<&str> = conv
        .messages
        .values()
        .filter_map(|m| m.message.sender.as_deref())
        .collect();
    assert!(
        senders.iter().any(|s| s.contains('\u{1b}')),
        "no sender kept an ESC: {senders:?}"
    );
}

#[test]
fn conversation_of_hostile_text_is_safe() {
    for (w, hgt) in [(120, 40), (80, 24), (60, 20), (40, 12)] {
        let mut h = hostile_harness((w, hgt));
        let s = check(&h.app, w, hgt, "chat list");
        assert!(s.contains("Team"), "{s}");
        h.open_chat(HOSTILE_CHAT);
        h.press(KeyCode::Char('g'));
        let len = h.app.conv.as_ref().unwrap().order.len();
        let mut screens = String::new();
        for step in 0..len + 2 {
            screens.push_str(&check(
                &h.app,
                w,
                hgt,
                &format!("conversation, message {step}"),
            ));
            key(&mut h, KeyCode::Char('j'));
        }
        // Walk back up a page at a time too.
        for step in 0..4 {
            key(&mut h, KeyCode::PageUp);
            check(&h.app, w, hgt, &format!("conversation, page up {step}"));
        }
        // T1: the escapes show as Control Pictures, in one piece between `hi` and `there`
        // (where the line is wide enough not to wrap it).
        if w >= 120 {
            let shown = sanitize::to_display(T1, Mode::OneLine);
            assert!(shown.contains('␛'));
            assert!(
                screens.contains(shown.as_ref()),
                "{w}×{hgt}: T1 not shown as {shown}"
            );
        }
        if w >= 80 {
            // T8: both amounts stay visible; nothing is overwritten.
            assert!(screens.contains("Pay 10 EUR"), "{screens}");
            assert!(screens.contains("Pay 9999 EUR"), "{screens}");
        }
    }
}

/// The frame bytes hold T1 as the very characters drawn: no byte of an escape sequence sits
/// between `hi` and `there` (docs/reliability.md, T1: no ESC between the payload's neighbouring cells).
#[test]
fn t1_reaches_the_terminal_as_placeholders_only() {
    let mut h = hostile_harness((120, 40));
    h.open_chat(HOSTILE_CHAT);
    h.press(KeyCode::Char('g'));
    let (bytes, _) = frame(&h.app, 120, 40);
    let out = String::from_utf8(bytes).expect("utf-8");
    let shown = sanitize::to_display(T1, Mode::OneLine).into_owned();
    assert!(
        out.contains(&shown),
        "T1 is not one run of placeholders in the frame bytes"
    );
    let at = out.find("hi␛").expect("hi␛ in the bytes");
    let run = &out[at..at + shown.len()];
    assert!(!run.contains('\u{1b}') && !run.contains('\u{7}'));
}

#[test]
fn results_of_hostile_text_are_safe() {
    for (w, hgt) in [(120, 40), (80, 24)] {
        let mut h = hostile_harness((w, hgt));
        h.search("canary");
        let total = h.app.results.result.as_ref().unwrap().total;
        assert!(total >= 10, "{total} hits");
        for step in 0..total {
            check(&h.app, w, hgt, &format!("results, hit {step}"));
            key(&mut h, KeyCode::Char('j'));
        }
        // Jump to each hit: highlighted matches inside hostile text, then n through them.
        key(&mut h, KeyCode::Char('g'));
        key(&mut h, KeyCode::Enter);
        check(&h.app, w, hgt, "jump to hit");
        for step in 0..total {
            key(&mut h, KeyCode::Char('n'));
            check(&h.app, w, hgt, &format!("match {step}"));
        }
        // Search for the hostile text itself, with escapes typed into the query line.
        h.press(KeyCode::Char('/'));
        h.ctrl('u');
        for c in "pwned \u{1b}]0;x\u{7} \u{9b} \u{202E}".chars() {
            h.event(Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
        h.settle();
        check(&h.app, w, hgt, "hostile query typed");
        h.press(KeyCode::Enter);
        check(&h.app, w, hgt, "hostile query results");
    }
}

#[test]
fn statistics_and_anonymized_view_of_hostile_text_are_safe() {
    for (w, hgt) in [(120, 40), (80, 24)] {
        let mut h = hostile_harness((w, hgt));
        h.open_chat(HOSTILE_CHAT);
        key(&mut h, KeyCode::Char('s'));
        assert!(h.app.stats.stats.is_some(), "stats computed");
        for step in 0..6 {
            check(&h.app, w, hgt, &format!("stats, page {step}"));
            key(&mut h, KeyCode::Char(']'));
            key(&mut h, KeyCode::PageDown);
        }
        key(&mut h, KeyCode::Char('a'));
        key(&mut h, KeyCode::Char('g'));
        check(&h.app, w, hgt, "anonymized stats");
        key(&mut h, KeyCode::Char('2'));
        key(&mut h, KeyCode::Char('g'));
        for step in 0..14 {
            check(&h.app, w, hgt, &format!("anonymized conversation {step}"));
            key(&mut h, KeyCode::Char('j'));
        }
        h.search("canary");
        check(&h.app, w, hgt, "anonymized results");
        key(&mut h, KeyCode::Char('?'));
        check(&h.app, w, hgt, "help over hostile text");
    }
}

/// The chat name goes into the status line while a chat opens ("opening …").
#[test]
fn status_line_with_the_hostile_chat_name_is_safe() {
    let mut h = hostile_harness((120, 40));
    let pending = h.app.update(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    assert!(h.app.status.as_deref().unwrap_or("").contains("Team"));
    let s = check(&h.app, 120, 40, "status: opening");
    assert!(s.contains("opening Team"), "{s}");
    h.run(pending);
    check(&h.app, 120, 40, "opened");
}

/// T14: resizing to anything, with hostile text open, never panics and stays safe.
#[test]
fn t14_any_size_with_hostile_text_open() {
    let mut h = hostile_harness((120, 40));
    h.open_chat(HOSTILE_CHAT);
    h.press(KeyCode::Char('g'));
    for _ in 0..5 {
        h.press(KeyCode::Char('j'));
    }
    // Sizes the app accepts: every reply settles (sizes below 40×12 are drawn without
    // touching the app's size, see tui_state's too_small test).
    for (w, hgt) in [
        (40, 12),
        (41, 13),
        (300, 5),
        (2, 80),
        (0, 0),
        (1, 1),
        (500, 200),
    ] {
        let (bytes, buf) = frame(&h.app, w, hgt);
        assert_terminal_safe(&bytes, &format!("{w}×{hgt}"));
        assert_cells_safe(&buf, &format!("{w}×{hgt}"));
    }
    for (w, hgt) in [(40, 12), (200, 60), (80, 24)] {
        h.event(Event::Resize(w, hgt));
        check(&h.app, w, hgt, "resized");
    }
}

/// T6/T7: hostile text does not make drawing slow (target 50 ms; asserted with slack for a
/// loaded machine).
#[test]
fn drawing_huge_messages_stays_fast() {
    let mut h = hostile_harness((80, 24));
    h.open_chat(HOSTILE_CHAT);
    h.press(KeyCode::Char('g'));
    let mut worst = Duration::ZERO;
    let len = h.app.conv.as_ref().unwrap().order.len();
    for _ in 0..len {
        let t = Instant::now();
        let (bytes, _) = frame(&h.app, 80, 24);
        worst = worst.max(t.elapsed());
        assert!(bytes.len() < 64 * 1024);
        h.press(KeyCode::Char('j'));
    }
    eprintln!("slowest frame over hostile messages: {worst:?}");
    assert!(worst < Duration::from_millis(500), "a frame took {worst:?}");
}

// ---------------------------------------------------------------------------------------------
// Generated payloads straight into the state

/// Pieces hostile text is made of.
fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\u{1b}".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{1b}]0;pwned\u{7}".to_string()),
        Just("\u{1b}]52;c;QUJD\u{7}".to_string()),
        Just("\u{1b}]8;;http://x\u{1b}\\".to_string()),
        Just("\u{1b}P+q\u{1b}\\".to_string()),
        Just("\u{7}".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{8}".to_string()),
        Just("\u{7f}".to_string()),
        Just("\r".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        (0x80u32..=0x9f).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        prop::sample::select(vec![
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{202E}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{061C}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{2060}',
            '\u{2061}',
            '\u{2062}',
            '\u{2063}',
            '\u{2064}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{2028}',
            '\u{2029}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{FE0F}',
            '\u{0600}',
        ])
        .prop_map(|c| c.to_string()),
        (0usize..3000).prop_map(|n| format!("Z{}", "\u{301}".repeat(n))),
        (1usize..60).prop_map(|n| "\u{0600}".repeat(n)),
        (1usize..5000).prop_map(|n| "a".repeat(n)),
        Just("👨‍👩‍👧‍👦🏳️‍🌈🇨🇦🏴󠁧󠁢󠁳󠁣󠁴󠁿".to_string()),
        Just("日本語 한국어 עברית العربية İ ß ﷽".to_string()),
        Just("pizza".to_string()),
        Just(" ".to_string()),
        any::<char>().prop_map(|c| c.to_string()),
        "\\PC{0,20}",
        ".{0,20}",
    ]
}

fn payload() -> impl Strategy<Value = String> {
    prop::collection::vec(atom(), 1..12).prop_map(|v| v.concat())
}

fn stored(
    i: usize,
    chat: &str,
    sender: &str,
    text: &str,
    attachment: Option<&str>,
) -> StoredMessage {
    StoredMessage {
        message: Message {
            id: format!("{i:016x}"),
            chat: chat.to_string(),
            ts: format!("2024-03-{:02}T12:{:02}:00", 1 + i % 28, i % 60),
            sender: Some(sender.to_string()),
            kind: if attachment.is_some() {
                Kind::Media
            } else {
                Kind::Text
            },
            text: text.to_string(),
            attachment: attachment.map(str::to_string),
            edited: i.is_multiple_of(2),
        },
        secs: 1_709_294_400 + i as i64 * 60,
        line: i as u64,
    }
}

/// An app whose chat list, open conversation, results, query and status all carry `p`.
fn app_with(p: &str, size: (u16, u16)) -> App {
    let mut app = App::new(Keymap::default(), size);
    app.theme = Theme { color: true };
    let chat = format!("chat {p}");
    app.chats = Some(vec![
        ChatSummary {
            chat: chat.clone(),
            messages: 3,
            system: 0,
            participants: 2,
            first: None,
            last: None,
        },
        ChatSummary {
            chat: p.to_string(),
            messages: 1,
            system: 0,
            participants: 1,
            first: None,
            last: None,
        },
    ]);
    let messages = [
        stored(0, &chat, p, &format!("before {p} after"), None),
        stored(1, &chat, "Ana", p, Some(p)),
        stored(
            2,
            &chat,
            &format!("{p}{p}"),
            &format!("{p}\n{p} pizza {p}"),
            None,
        ),
    ];
    let order = ChatOrder {
        chat: chat.clone(),
        docs: (0..3).map(|d| tantivy::DocAddress::new(0, d)).collect(),
        keys: (0..3).collect(),
        searcher: None,
    };
    let mut map = HashMap::new();
    for (i, m) in messages.iter().enumerate() {
        map.insert(i, m.clone());
    }
    app.conv = Some(Conversation {
        order: Arc::new(order),
        messages: map,
        sel: 1,
        top: 0,
        hit: Some(2),
        highlight: vec!["pizza".to_string(), p.to_lowercase()],
        matches: vec![2],
        pending: None,
    });
    app.results.result = Some(SearchResult {
        query: p.to_string(),
        total: 3,
        hits: messages
            .iter()
            .map(|m| Hit {
                message: m.clone(),
                score: 1.0,
                snippet: format!("{p} {MARK_OPEN}{p}{MARK_CLOSE} {MARK_OPEN}pizza{MARK_CLOSE} {p}"),
            })
            .collect(),
        lenient: true,
        notes: vec![p.to_string()],
    });
    app.query = p.to_string();
    app.status = Some(p.to_string());
    app
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// T1–T9, T13 (never panic), T16: any payload in any place, drawn at any of the sizes, in
    /// every pane, yields safe bytes and safe cells.
    #[test]
    fn generated_payloads_never_reach_the_terminal(p in payload()) {
        for (w, h) in [(120u16, 40u16), (80, 24), (60, 20)] {
            let mut app = app_with(&p, (w, h));
            check(&app, w, h, "conversation");
            app.status = None;
            app.focus = Pane::Results;
            check(&app, w, h, "results");
            app.input = whatscope::tui::app::Input::Query;
            check(&app, w, h, "query line");
            app.anonymize = true;
            app.focus = Pane::Conversation;
            check(&app, w, h, "anonymized conversation");
            app.focus = Pane::Chats;
            app.chat_sel = 1;
            check(&app, w, h, "chat list");
        }
    }

    /// The sanitizer's own promise, on the same payloads: what it returns is terminal-safe.
    #[test]
    fn sanitized_text_is_terminal_safe(p in payload()) {
        for mode in [Mode::OneLine, Mode::MultiLine] {
            let s = sanitize::to_display(&p, mode);
            prop_assert!(sanitize::is_terminal_safe(&s));
            prop_assert!(!s.chars().any(|c| forbidden(c) && c != '\n'));
            if mode == Mode::OneLine {
                prop_assert!(!s.contains('\n'));
            }
        }
    }
}

/// Issue 13 A10: a ZWJ that joins nothing (after a name, inside a word) is drawn by some
/// terminals and not others, shifting every column after it; it never reaches a stats row
/// or a conversation line. The ZWJ inside an emoji sequence stays.
#[test]
fn a10_lone_zwj_never_reaches_the_tui_stats_rows() {
    let export = "05/01/2024, 10:00 - Ann\u{200D}: pass\u{200D}word \u{200D}lead \u{1F469}\u{200D}\u{1F52C}\n\
                  05/01/2024, 10:01 - Bob: trail\u{200D} ok \u{1F469}\u{200D}\u{1F52C}\n\
                  05/01/2024, 10:02 - Ann\u{200D}: again \u{1F469}\u{200D}\u{1F52C}\n";
    let (w, hgt) = (120, 40);
    let mut h = Harness::from_exports(&[("WhatsApp Chat with Ann.txt", export)], None, (w, hgt));
    h.open_chat("Ann");
    let conversation = check(&h.app, w, hgt, "conversation with lone ZWJs");
    key(&mut h, KeyCode::Char('s'));
    assert!(h.app.stats.stats.is_some(), "stats computed");
    let mut screens = conversation;
    for step in 0..4 {
        screens.push_str(&check(&h.app, w, hgt, &format!("stats page {step}")));
        key(&mut h, KeyCode::PageDown);
    }
    let chars: Vec<char> = screens.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == '\u{200D}' {
            let around = |j: Option<&char>| j.is_some_and(|c| !c.is_ascii() && !c.is_whitespace());
            assert!(
                i > 0 && around(chars.get(i - 1)) && around(chars.get(i + 1)),
                "a lone ZWJ on screen: {:?}",
                chars[i.saturating_sub(10)..(i + 10).min(chars.len())]
                    .iter()
                    .collect::<String>()
            );
        }
    }
    assert!(screens.contains("Ann "), "{screens}");
}
