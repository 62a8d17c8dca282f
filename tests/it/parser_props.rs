//! Property tests of the parser (docs/reliability.md, catalog F6/F7): synthetic exports in
//! every header style parse back to what was rendered; line endings, BOMs and UTF-16 change
//! nothing; arbitrary bytes never panic and every physical line is accounted for; the date
//! order is inferred from the whole file.

use crate::support::fixtures::utf16;
use crate::support::props::config;
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use whatscope::import::{self, decode::decode, DateOrder, ParseOptions, Parsed};
use whatscope::model::Kind;
use whatscope_synth::{self as synth, HeaderStyle, LineEnding, SynthMessage};

// ---------------------------------------------------------------------------------------------
// Generators

/// Senders from a small alphabet: accents, emoji, non-Latin scripts and phone numbers (which
/// the renderer wraps in U+202A…U+202C and, on iOS, splits with U+00A0).
const SENDERS: &[&str] = &[
    "Maya",
    "Zoë Müller",
    "Tomás Rivera",
    "Dani 🌻",
    "李明",
    "Łukasz Nowak",
    "O'Neil",
    "Anne-Marie",
    "Омар",
    "J",
    "+44 7700 900123",
    "+1 555 010 4477",
    "+49 151 23456789",
];

/// Words a body line may start with: none looks like a header, a placeholder or a notice.
const FIRST_WORDS: &[&str] = &[
    "hey",
    "Olá",
    "über",
    "ok",
    "Ça",
    "so",
    "😂",
    "👍🏽",
    "yes",
    "Straße",
    "ñandú",
    "→",
    "-",
    "*",
    "¿qué",
    "Привет",
    "你好",
    "well,",
];

/// Tokens that stress the parser in the middle of a line: header-shaped text, colons,
/// brackets, URLs, and line separators that are not line breaks for WhatsApp (E12).
const TRICKY_TOKENS: &[&str] = &[
    "03/02/2020, 11:00 - Bob: I owe Alice",
    "[14/10/2021, 3:34:09 PM]",
    "10:00",
    "12/12/2020",
    "Bob:",
    ": ",
    "a: b",
    "https://example.com/x?q=1",
    "[",
    "]",
    "-",
    "a\u{2028}b",
    "c\u{2029}d",
    "e\u{0085}f",
    "tab\there",
    "x<y",
    "(z",
    "🚴‍♀️",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9äöüßéñçøå😀🎉.,!?'/:-]{1,10}",
        1 => prop::sample::select(TRICKY_TOKENS).prop_map(str::to_string),
    ]
}

/// One body line: starts with a safe word, so it is never header-like.
fn body_line() -> impl Strategy<Value = String> {
    (
        prop::sample::select(FIRST_WORDS),
        prop::collection::vec(word(), 0..8),
    )
        .prop_map(|(first, rest)| {
            let mut s = first.to_string();
            for w in rest {
                s.push(' ');
                s.push_str(&w);
            }
            s
        })
}

/// A text body of 1–4 lines; inner lines may be empty, the first and last never are.
fn body_text() -> impl Strategy<Value = String> {
    (
        body_line(),
        prop::collection::vec(
            prop_oneof![4 => body_line(), 1 => Just(String::new())],
            0..4,
        ),
        body_line(),
        any::<bool>(),
    )
        .prop_map(|(first, middle, last, multi)| {
            let mut s = first;
            if multi {
                for l in middle {
                    s.push('\n');
                    s.push_str(&l);
                }
                s.push('\n');
                s.push_str(&last);
            }
            s
        })
}

/// A timestamp in 2015–2030; seconds only where the style writes them.
fn timestamp(seconds: bool) -> impl Strategy<Value = NaiveDateTime> {
    let start = NaiveDate::from_ymd_opt(2015, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("valid start");
    let span = 16 * 365 * 24 * 3600i64;
    (0..span).prop_map(move |secs| {
        let ts = start + TimeDelta::seconds(secs);
        if seconds {
            ts
        } else {
            ts.with_second(0).unwrap_or(ts)
        }
    })
}

fn text_message(seconds: bool) -> impl Strategy<Value = SynthMessage> {
    (
        timestamp(seconds),
        prop::sample::select(SENDERS),
        body_text(),
    )
        .prop_map(|(ts, sender, text)| SynthMessage {
            ts,
            sender: Some(sender.to_string()),
            kind: synth::Kind::Text,
            text,
            attachment: None,
        })
}

fn styles() -> Vec<HeaderStyle> {
    synth::all_styles()
}

fn any_style() -> impl Strategy<Value = HeaderStyle> {
    prop::sample::select(styles())
}

fn any_ending() -> impl Strategy<Value = LineEnding> {
    prop::sample::select(vec![LineEnding::Lf, LineEnding::Crlf, LineEnding::IosMixed])
}

/// A style and 1–40 text messages in it.
fn text_export() -> impl Strategy<Value = (HeaderStyle, Vec<SynthMessage>, LineEnding)> {
    (any_style(), any_ending()).prop_flat_map(|(style, ending)| {
        let msgs = prop::collection::vec(text_message(style.has_seconds()), 1..40);
        (Just(style), msgs, Just(ending))
    })
}

fn order_of(style: &HeaderStyle) -> DateOrder {
    match style.date_order() {
        synth::DateOrder::Dmy => DateOrder::Dmy,
        synth::DateOrder::Mdy => DateOrder::Mdy,
        synth::DateOrder::Ymd => DateOrder::Ymd,
    }
}

fn opts_for(style: &HeaderStyle) -> ParseOptions {
    ParseOptions {
        date_order: Some(order_of(style)),
        ..Default::default()
    }
}

type Triple = (NaiveDateTime, Option<String>, String);

fn triples_of(parsed: &Parsed<'_>) -> Vec<Triple> {
    parsed
        .messages()
        .map(|m| (m.ts, m.sender.map(str::to_string), m.text.to_string()))
        .collect()
}

/// Everything a parse says about a text, in a comparable form.
fn summary(parsed: &Parsed<'_>) -> String {
    format!(
        "{:?}\norphans {:?}\nbad dates {:?}\nlines {}",
        parsed.messages().collect::<Vec<_>>(),
        parsed.orphan_lines,
        parsed.bad_date_lines,
        parsed.physical_lines
    )
}

/// NO-LOSS accounting: messages tile the file from the first header to the end, and the lines
/// before the first message are the only others.
fn check_accounting(parsed: &Parsed<'_>) -> Result<(), TestCaseError> {
    let before = parsed
        .message(0)
        .map_or(parsed.physical_lines, |m| m.line - 1);
    let spanned: usize = parsed.messages().map(|m| m.lines).sum();
    prop_assert_eq!(
        spanned + before,
        parsed.physical_lines,
        "message lines + lines before the first message != physical lines"
    );
    let mut next = before + 1;
    for m in parsed.messages() {
        prop_assert_eq!(m.line, next, "messages must be contiguous");
        prop_assert!(m.lines >= 1);
        next = m.line + m.lines;
    }
    for l in &parsed.orphan_lines {
        prop_assert!(
            *l >= 1 && *l <= before,
            "orphan line {} after the first message",
            l
        );
    }
    for l in &parsed.bad_date_lines {
        prop_assert!(
            *l > before && *l <= parsed.physical_lines,
            "bad-date line {} outside every message",
            l
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// F6: round trip

proptest! {
    #![proptest_config(config(128))]

    /// render(messages) parsed back with the style's date order gives the same (ts, sender,
    /// text) sequence, all of kind text, for every style and line ending.
    #[test]
    fn f6_text_messages_round_trip_in_every_style((style, msgs, ending) in text_export()) {
        let export = synth::render_export(&style, &msgs, ending);
        let parsed = import::parse(&export, &opts_for(&style))
            .map_err(|e| TestCaseError::fail(format!("{}: {e}", style.name)))?;
        let want: Vec<Triple> = msgs
            .iter()
            .map(|m| (m.ts, m.sender.clone(), m.text.clone()))
            .collect();
        prop_assert_eq!(triples_of(&parsed), want, "style {} {:?}\n{}", style.name, ending, export);
        for m in parsed.messages() {
            prop_assert_eq!(m.kind, Kind::Text, "style {}: {:?}", style.name, m);
            prop_assert!(!m.edited && m.attachment.is_none());
        }
        prop_assert!(parsed.orphan_lines.is_empty() && parsed.bad_date_lines.is_empty());
        check_accounting(&parsed)?;
    }

    /// Every style is exercised at least once per case, with the same messages.
    #[test]
    fn f6_same_messages_round_trip_through_all_styles(
        msgs in prop::collection::vec(text_message(true), 1..12),
        ending in any_ending(),
    ) {
        for style in styles() {
            let msgs: Vec<SynthMessage> = msgs
                .iter()
                .map(|m| SynthMessage {
                    ts: if style.has_seconds() { m.ts } else { m.ts.with_second(0).unwrap_or(m.ts) },
                    ..m.clone()
                })
                .collect();
            let export = synth::render_export(&style, &msgs, ending);
            let parsed = import::parse(&export, &opts_for(&style))
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", style.name)))?;
            let want: Vec<Triple> = msgs
                .iter()
                .map(|m| (m.ts, m.sender.clone(), m.text.clone()))
                .collect();
            prop_assert_eq!(triples_of(&parsed), want, "style {} {:?}\n{}", style.name, ending, export);
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// The generator's plausible chats (media, deleted, system events, polls, locations, calls,
    /// edited markers) round-trip too: ts, sender, kind, text, attachment and edited.
    #[test]
    fn f6_generated_chats_of_every_kind_round_trip(
        style in any_style(),
        seed in any::<u64>(),
        n in 1usize..300,
        ending in any_ending(),
    ) {
        let msgs = synth::generate_messages(seed, n, &style);
        let export = synth::render_export(&style, &msgs, ending);
        let parsed = import::parse(&export, &opts_for(&style))
            .map_err(|e| TestCaseError::fail(format!("{}: {e}", style.name)))?;
        prop_assert_eq!(parsed.len(), n, "{} {:?}", style.name, ending);
        for (want, got) in msgs.iter().zip(parsed.messages()) {
            let (text, edited) = match want.text.strip_suffix(synth::EDITED_MARKER) {
                Some(t) => (t.trim_end(), true),
                None => (want.text.as_str(), false),
            };
            prop_assert_eq!(
                (want.ts, want.sender.as_deref(), want.kind.as_str(), text, want.attachment.as_deref(), edited),
                (got.ts, got.sender, got.kind.as_str(), got.text, got.attachment, got.edited),
                "{} {:?} line {}", style.name, ending, got.line
            );
        }
        check_accounting(&parsed)?;
    }
}

// ---------------------------------------------------------------------------------------------
// F7: equivalences

proptest! {
    #![proptest_config(config(96))]

    /// LF, CRLF, lone CR, a UTF-8 BOM, UTF-16LE and UTF-16BE with BOM: identical parses.
    #[test]
    fn f7_line_endings_boms_and_utf16_give_identical_messages(
        style in any_style(),
        seed in any::<u64>(),
        n in 1usize..60,
    ) {
        let msgs = synth::generate_messages(seed, n, &style);
        let lf = synth::render_export(&style, &msgs, LineEnding::Lf);
        let opts = opts_for(&style);
        let base_decoded = decode(lf.clone().into_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let base = import::parse(&base_decoded.text, &opts)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(base.len(), n);
        let want = summary(&base);

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(lf.as_bytes());
        let variants: Vec<(&str, Vec<u8>)> = vec![
            ("crlf", lf.replace('\n', "\r\n").into_bytes()),
            ("cr", lf.replace('\n', "\r").into_bytes()),
            // Old exports passed through Windows tools: one line break, not two.
            ("cr cr lf", lf.replace('\n', "\r\r\n").into_bytes()),
            ("utf8 bom", bom),
            ("utf16le bom", utf16(&lf, false)),
            ("utf16be bom", utf16(&lf, true)),
            ("utf16le bom crlf", utf16(&lf.replace('\n', "\r\n"), false)),
        ];
        for (name, bytes) in variants {
            let decoded = decode(bytes).map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?;
            prop_assert!(decoded.repaired_lines.is_empty() && decoded.nul_lines.is_empty(), "{}", name);
            let parsed = import::parse(&decoded.text, &opts)
                .map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?;
            prop_assert_eq!(summary(&parsed), want.clone(), "{} differs from LF ({})", name, style.name);
            for m in parsed.messages() {
                prop_assert!(!m.text.contains('\r') && !m.sender.unwrap_or("").contains('\r'));
            }
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// People's own messages may start with U+200E, once or doubled (exports in other parsers'
    /// suites do): in every style the sender, kind and text stay what they were.
    #[test]
    fn marked_person_text_stays_the_persons_text(
        style in any_style(),
        seed in any::<u64>(),
        n in 2usize..60,
        marks in prop::collection::vec(0u8..3, 60),
    ) {
        let msgs = synth::generate_messages(seed, n, &style);
        let plain = synth::render_export(&style, &msgs, LineEnding::Lf);
        // Each sender's first text stays unmarked: someone who writes nothing unmarked is
        // the group itself (its events), not a person.
        let mut seen = std::collections::HashSet::new();
        let marked_msgs: Vec<SynthMessage> = msgs
            .iter()
            .zip(&marks)
            .map(|(m, k)| {
                let mut m = m.clone();
                if m.kind == synth::Kind::Text && m.sender.is_some() && !seen.insert(m.sender.clone()) {
                    m.text = format!("{}{}", "\u{200E}".repeat(usize::from(*k)), m.text);
                }
                m
            })
            .collect();
        let marked = synth::render_export(&style, &marked_msgs, LineEnding::Lf);
        let opts = opts_for(&style);
        let want = import::parse(&plain, &opts).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let got = import::parse(&marked, &opts).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(want.len(), got.len());
        for (w, g) in want.messages().zip(got.messages()) {
            prop_assert_eq!(
                (w.sender, w.kind, w.text),
                (g.sender, g.kind, g.text),
                "style {}", style.name
            );
        }
    }

    /// Placeholders in lower or upper case (old exports) read like the usual spelling.
    #[test]
    fn placeholders_in_any_letter_case_read_the_same(
        style in any_style(),
        seed in any::<u64>(),
        n in 1usize..60,
    ) {
        let msgs = synth::generate_messages(seed, n, &style);
        let usual = synth::render_export(&style, &msgs, LineEnding::Lf);
        let opts = opts_for(&style);
        let want = import::parse(&usual, &opts).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for phrase in ["<Media omitted>", "image omitted", "This message was deleted", "(file attached)", "Missed voice call"] {
            for cased in [phrase.to_lowercase(), phrase.to_uppercase()] {
                let text = usual.replace(phrase, &cased);
                let got = import::parse(&text, &opts).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(want.len(), got.len());
                for (w, g) in want.messages().zip(got.messages()) {
                    prop_assert_eq!((w.sender, w.kind, w.attachment.is_some()), (g.sender, g.kind, g.attachment.is_some()), "{} in {}", cased, style.name);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Never panics; NO-LOSS accounting

/// Pieces that look like (parts of) headers, spliced between random bytes.
const HEADERISH: &[&str] = &[
    "14/03/2023, 09:15 - ",
    "14/03/2023, 09:15 - Maya: ",
    "[02/06/2023, 08:01:05] ",
    "\u{200E}[8/14/24, 9:05:12\u{202F}PM] Rita: ",
    "6/2/16, 7:45:32 PM: ",
    "\u{200F}[٥\u{200F}/٤\u{200F}/٢٠٢٣، ١٠:٠٨:١٠\u{00A0}ص] ",
    "30/02/2021, 10:00 - B: ",
    "31/12/2022, 23:",
    "12/12/2020",
    "9999/99/99, 99:99 - ",
    "0/0/0, 0:00 - ",
    "2024-02-10, 9:05\u{202F}a.m. - ",
    "13.6.2018 klo 21.25.15 - ",
    "[12. 3. 2024., 14:05:06] ",
    "[",
    "\u{FEFF}",
    "\u{200E}",
    "<Media omitted>",
    "POLL:\n",
    "\u{200E}<attached: ",
    " (file attached)",
    " <This message was edited>",
    "null",
];

fn chunk() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..8),
        3 => prop::sample::select(HEADERISH).prop_map(|s| s.as_bytes().to_vec()),
        3 => prop::sample::select(vec!["\n", "\r\n", "\r", "\n\n", "\0"]).prop_map(|s| s.as_bytes().to_vec()),
        3 => "[ -~äé😀\u{202F}\u{00A0}]{0,30}".prop_map(String::into_bytes),
        2 => (any_style(), timestamp(true)).prop_map(|(s, ts)| synth::render_header(&s, ts).into_bytes()),
    ]
}

fn spliced_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(chunk(), 0..40).prop_map(|chunks| chunks.concat())
}

/// Decodes and parses with every option set; checks the accounting of every successful parse.
fn decode_and_parse_everything(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let Ok(decoded) = decode(bytes) else {
        return Ok(());
    };
    let orders = [
        None,
        Some(DateOrder::Dmy),
        Some(DateOrder::Mdy),
        Some(DateOrder::Ymd),
    ];
    for date_order in orders {
        for max_line_bytes in [1 << 20, 16] {
            let opts = ParseOptions {
                date_order,
                max_line_bytes,
            };
            if let Ok(parsed) = import::parse(&decoded.text, &opts) {
                check_accounting(&parsed)?;
                let _ = parsed.ids("chat");
                let _ = parsed.skipped_lines();
                let _ = import::header::scan(&decoded.text);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(128))]

    /// Arbitrary bytes through decode + parse: no panic, and the lines add up.
    #[test]
    fn arbitrary_bytes_never_panic_and_every_line_is_accounted_for(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        decode_and_parse_everything(bytes)?;
    }

    /// Random bytes with header-like pieces spliced in, so that the parser gets past its
    /// quick rejections.
    #[test]
    fn header_like_splices_never_panic_and_every_line_is_accounted_for(
        bytes in spliced_bytes(),
        prefix in prop::sample::select(vec![&[][..], &[0xEF, 0xBB, 0xBF][..], &[0xFF, 0xFE][..], &[0xFE, 0xFF][..]]),
    ) {
        let mut all = prefix.to_vec();
        all.extend_from_slice(&bytes);
        decode_and_parse_everything(all)?;
    }

    /// Arbitrary strings (any Unicode) straight into the parser and the header scanner.
    #[test]
    fn arbitrary_strings_never_panic_and_every_line_is_accounted_for(
        s in "(\\PC|\r|\n|\u{200E}|\u{202F}|[0-9/:.,\\[\\] -]){0,300}",
    ) {
        for line in s.lines() {
            let _ = import::header::scan(line);
        }
        let parsed = import::parse(&s, &ParseOptions::default());
        if let Ok(parsed) = parsed {
            check_accounting(&parsed)?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Repair reports point at the right lines (E4, E5)

/// 1-based lines (ended by LF, CRLF or a lone CR, as the parser splits them) holding `c`.
fn lines_holding(text: &str, c: char) -> Vec<usize> {
    // Lines as the parser splits them (LF, CRLF, CR CR LF, lone CR).
    let mut out = Vec::new();
    let mut line = 0;
    let never_fails = import::lines::for_each_line(text, |start, end, _| {
        line += 1;
        if text[start..end].contains(c) {
            out.push(line);
        }
        Ok::<(), std::convert::Infallible>(())
    });
    match never_fails {
        Ok(()) => out,
    }
}

const BAD_UTF8: &[&[u8]] = &[
    b"\xFF",
    b"\xC0\xAF",
    b"\xED\xA0\x80",
    b"\xF0\x9F\x98",
    b"\x80",
    b"\xE2\x82",
];

fn ending() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["\n", "\r\n", "\r"])
}

proptest! {
    #![proptest_config(config(128))]

    /// Invalid UTF-8 becomes U+FFFD, and the lines the decoder reports are exactly the lines
    /// that hold a U+FFFD afterwards.
    #[test]
    fn invalid_utf8_is_reported_on_the_lines_that_hold_the_repair(
        lines in prop::collection::vec(
            ("[a-z0-9 :/,-]{10,40}", prop::option::weighted(0.3, (prop::sample::select(BAD_UTF8), 0usize..40)), ending()),
            1..30,
        ),
    ) {
        let mut bytes = Vec::new();
        for (body, bad, end) in &lines {
            let mut b = body.as_bytes().to_vec();
            if let Some((seq, at)) = bad {
                b.splice((*at).min(b.len())..(*at).min(b.len()), seq.iter().copied());
            }
            bytes.extend_from_slice(&b);
            bytes.extend_from_slice(end.as_bytes());
        }
        let Ok(decoded) = decode(bytes) else {
            return Ok(()); // dense enough to be called binary
        };
        prop_assert_eq!(&decoded.repaired_lines, &lines_holding(&decoded.text, '\u{FFFD}'));
        prop_assert!(decoded.nul_lines.is_empty());
        let expected_bad = lines.iter().enumerate().filter(|(_, l)| l.1.is_some()).map(|(i, _)| i + 1);
        prop_assert_eq!(decoded.repaired_lines.clone(), expected_bad.collect::<Vec<_>>());
    }

    /// NUL bytes inside text become U+FFFD, reported on their lines.
    #[test]
    fn nul_bytes_are_reported_on_their_lines(
        lines in prop::collection::vec(("[a-z0-9 :/,-]{10,40}", prop::option::weighted(0.2, 0usize..40), ending()), 1..30),
    ) {
        let mut bytes = Vec::new();
        for (body, nul, end) in &lines {
            let mut b = body.as_bytes().to_vec();
            if let Some(at) = nul {
                b.insert((*at).min(b.len()), 0);
            }
            bytes.extend_from_slice(&b);
            bytes.extend_from_slice(end.as_bytes());
        }
        let decoded = decode(bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(!decoded.text.contains('\0'), "NUL kept");
        prop_assert_eq!(&decoded.nul_lines, &lines_holding(&decoded.text, '\u{FFFD}'));
        let expected = lines.iter().enumerate().filter(|(_, l)| l.1.is_some()).map(|(i, _)| i + 1);
        prop_assert_eq!(decoded.nul_lines.clone(), expected.collect::<Vec<_>>());
    }

    /// UTF-16 with unpaired surrogates, and with the BOMs that concatenated files carry at the
    /// start of later lines: the repaired lines are the lines that hold the U+FFFD. (Bodies are
    /// never empty, so that a lone CR is never followed by the next line's LF.)
    #[test]
    fn invalid_utf16_is_reported_on_the_lines_that_hold_the_repair(
        big_endian in any::<bool>(),
        lines in prop::collection::vec(
            (0usize..4, "[a-z0-9 :/,-]{1,20}", prop::option::weighted(0.3, (prop::sample::select(vec![0xD800u16, 0xDC00, 0xDBFF, 0xDFFF]), 0usize..20)), ending()),
            1..20,
        ),
    ) {
        let mut units: Vec<u16> = vec![0xFEFF];
        for (boms, body, bad, end) in &lines {
            units.extend(std::iter::repeat_n(0xFEFF, *boms));
            let mut u: Vec<u16> = body.encode_utf16().collect();
            if let Some((s, at)) = bad {
                let at = (*at).min(u.len());
                // A high surrogate is followed by a letter, never by a low one.
                u.splice(at..at, [*s, u16::from(b'x')]);
            }
            units.extend(u);
            units.extend(end.encode_utf16());
        }
        let bytes: Vec<u8> = units
            .iter()
            .flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() })
            .collect();
        let decoded = decode(bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(!decoded.text.contains('\u{FEFF}'), "inner BOM kept");
        let expected: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| l.2.is_some()).map(|(i, _)| i + 1).collect();
        prop_assert_eq!(&lines_holding(&decoded.text, '\u{FFFD}'), &expected);
        prop_assert_eq!(decoded.repaired_lines, expected, "repairs reported on the wrong lines");
    }
}

// ---------------------------------------------------------------------------------------------
// Date order inference (docs/formats.md)

fn styles_with(order: synth::DateOrder) -> Vec<HeaderStyle> {
    styles()
        .into_iter()
        .filter(|s| s.date_order() == order)
        .collect()
}

/// ≥ 30 text messages in time order, 1–6 days apart: spans at least a month.
fn chronological_messages(seconds: bool) -> impl Strategy<Value = Vec<SynthMessage>> {
    (
        timestamp(seconds),
        prop::collection::vec((24 * 3600i64..6 * 24 * 3600, text_message(seconds)), 30..80),
    )
        .prop_map(move |(start, steps)| {
            let start = start.min(
                NaiveDate::from_ymd_opt(2029, 1, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .expect("valid"),
            );
            let mut t = start;
            steps
                .into_iter()
                .map(|(gap, m)| {
                    t += TimeDelta::seconds(gap);
                    let ts = if seconds {
                        t
                    } else {
                        t.with_second(0).unwrap_or(t)
                    };
                    SynthMessage { ts, ..m }
                })
                .collect()
        })
}

/// Messages on days 1–12 only (no part above 12 decides), several a day, over ≥ 3 consecutive
/// months; each month starts on a day ≤ 6 and reaches a day ≥ 7, so read the other way round
/// time would go backwards at a month change.
fn small_day_messages(seconds: bool) -> impl Strategy<Value = Vec<SynthMessage>> {
    let month = (
        1u32..=6,
        7u32..=12,
        prop::collection::btree_set(1u32..=12, 0..5),
    );
    (
        2015i32..2029,
        1u32..=12,
        prop::collection::vec(month, 3..7),
        prop::collection::vec(text_message(seconds), 80),
    )
        .prop_map(move |(year, first_month, months, pool)| {
            let mut out = Vec::new();
            let mut pool = pool.into_iter().cycle();
            for (k, (lo, hi, mid)) in months.into_iter().enumerate() {
                let m0 = first_month - 1 + k as u32;
                let (y, m) = (year + (m0 / 12) as i32, m0 % 12 + 1);
                let mut days: Vec<u32> = mid.into_iter().chain([lo, hi]).collect();
                days.sort_unstable();
                days.dedup();
                for d in days {
                    for hour in [9u32, 18] {
                        let Some(ts) = NaiveDate::from_ymd_opt(y, m, d).and_then(|date| {
                            date.and_hms_opt(hour, 30, if seconds { 15 } else { 0 })
                        }) else {
                            continue;
                        };
                        if let Some(msg) = pool.next() {
                            out.push(SynthMessage { ts, ..msg });
                        }
                    }
                }
            }
            out
        })
}

fn inferred(style: &HeaderStyle, msgs: &[SynthMessage]) -> Result<DateOrder, TestCaseError> {
    let export = synth::render_export(style, msgs, LineEnding::Lf);
    let parsed = import::parse(&export, &ParseOptions::default())
        .map_err(|e| TestCaseError::fail(format!("{}: {e}", style.name)))?;
    prop_assert_eq!(parsed.len(), msgs.len());
    // With the inferred order every timestamp must come back.
    let got: Vec<NaiveDateTime> = parsed.messages().map(|m| m.ts).collect();
    let want: Vec<NaiveDateTime> = msgs.iter().map(|m| m.ts).collect();
    if parsed.order.order == order_of(style) {
        prop_assert_eq!(got, want);
    }
    Ok(parsed.order.order)
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn date_order_inference_picks_dmy_for_day_first_exports(
        style in prop::sample::select(styles_with(synth::DateOrder::Dmy)),
        msgs in chronological_messages(true),
    ) {
        let msgs = strip_seconds(&style, msgs);
        prop_assert_eq!(inferred(&style, &msgs)?, DateOrder::Dmy, "{}", style.name);
    }

    #[test]
    fn date_order_inference_picks_mdy_for_month_first_exports(
        style in prop::sample::select(styles_with(synth::DateOrder::Mdy)),
        msgs in chronological_messages(true),
    ) {
        let msgs = strip_seconds(&style, msgs);
        prop_assert_eq!(inferred(&style, &msgs)?, DateOrder::Mdy, "{}", style.name);
    }

    /// No day above 12: the order under which time goes backwards least often decides.
    #[test]
    fn date_order_inference_without_days_above_12(
        dmy_style in prop::sample::select(styles_with(synth::DateOrder::Dmy)),
        mdy_style in prop::sample::select(styles_with(synth::DateOrder::Mdy)),
        msgs in small_day_messages(true),
    ) {
        prop_assert!(msgs.len() >= 12);
        prop_assert!(msgs.iter().all(|m| m.ts.day() <= 12));
        let dmy = strip_seconds(&dmy_style, msgs.clone());
        prop_assert_eq!(inferred(&dmy_style, &dmy)?, DateOrder::Dmy, "{}", dmy_style.name);
        let mdy = strip_seconds(&mdy_style, msgs);
        prop_assert_eq!(inferred(&mdy_style, &mdy)?, DateOrder::Mdy, "{}", mdy_style.name);
    }
}

fn strip_seconds(style: &HeaderStyle, msgs: Vec<SynthMessage>) -> Vec<SynthMessage> {
    if style.has_seconds() {
        return msgs;
    }
    msgs.into_iter()
        .map(|m| SynthMessage {
            ts: m.ts.with_second(0).unwrap_or(m.ts),
            ..m
        })
        .collect()
}
