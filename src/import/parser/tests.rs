//! Unit tests of the parser: messages, continuations, dates, events and the string store.

use super::store::Base;
use super::*;
use crate::timestamp::format_ts;

fn parse_ok(text: &str) -> Parsed<'_> {
    parse(text, &ParseOptions::default()).expect("parses")
}

#[test]
fn multiline_and_continuations() {
    let p = parse_ok(
        "junk before\n17/03/2023, 21:47 - Maya: Forecast looks grim.\nMight postpone.\n\nThoughts?\n18/03/2023, 08:00 - Tom: ok\n",
    );
    assert_eq!(p.orphan_lines, vec![1]);
    assert_eq!(p.len(), 2);
    assert_eq!(
        p.message(0).expect("message").text,
        "Forecast looks grim.\nMight postpone.\n\nThoughts?"
    );
    assert_eq!(p.message(0).expect("message").lines, 4);
    assert_eq!(p.message(1).expect("message").line, 6);
    assert_eq!(
        format_ts(&p.message(1).expect("message").ts),
        "2023-03-18T08:00:00"
    );
}

#[test]
fn impossible_date_is_kept_as_text() {
    let p = parse_ok(
        "13/01/2023, 10:00 - A: one\n30/02/2023, 10:00 - B: forged\n14/01/2023, 10:00 - A: two\n",
    );
    assert_eq!(p.len(), 2);
    assert_eq!(p.bad_date_lines, vec![2]);
    assert_eq!(
        p.message(0).expect("message").text,
        "one\n30/02/2023, 10:00 - B: forged"
    );
}

#[test]
fn crlf_ios_with_lf_inside() {
    let text = "[02/06/2023, 09:15:00] Ian: hi\r\n[02/06/2023, 09:15:10] Ian: Who took the hose?\n[02/06/2023, 09:15:11] not: a header\r\n[13/06/2023, 09:16:00] Kofi: me\r\n[13/06/2023, 09:17:00] Kofi: again\r\n[13/06/2023, 09:18:00] Kofi: and\r\n[13/06/2023, 09:19:00] Kofi: again\r\n[13/06/2023, 09:20:00] Kofi: !\r\n";
    let p = parse_ok(text);
    assert_eq!(p.len(), 7);
    let p = parse_ok(&text[text.find("[02/06/2023, 09:15:10]").unwrap_or(0)..]);
    assert_eq!(
        p.message(0).expect("message").text,
        "Who took the hose?\n[02/06/2023, 09:15:11] not: a header"
    );
    assert_eq!(p.len(), 6);
}

#[test]
fn events_and_attributed_events() {
    let p = parse_ok("[8/14/24, 9:00:10\u{202F}PM] Book Club: \u{200E}Messages and calls are end-to-end encrypted.\r\n[8/14/24, 9:00:11\u{202F}PM] Rita: \u{200E}Rita changed this group's icon\r\n[8/31/24, 9:01:00\u{202F}PM] Rita: hi\r\n");
    assert_eq!(p.title_hint.as_deref(), Some("Book Club"));
    assert_eq!(p.message(0).expect("message").kind, Kind::System);
    assert_eq!(p.message(0).expect("message").sender, None);
    assert_eq!(p.message(1).expect("message").kind, Kind::System);
    assert_eq!(p.message(2).expect("message").sender, Some("Rita"));
    let p = parse_ok("14/03/2023, 09:12 - You changed the subject to \"Trip: Day 1\"\n15/03/2023, 09:12 - A: b\n");
    assert_eq!(p.message(0).expect("message").kind, Kind::System);
}

#[test]
fn ids_keep_multiplicity() {
    let p = parse_ok("13/01/2023, 10:00 - A: same\n13/01/2023, 10:00 - A: same\n");
    let ids = p.ids("chat");
    assert_ne!(ids[0], ids[1]);
    assert_eq!(ids, p.ids("chat"));
}

#[test]
fn repeated_values_are_found_within_and_across_both_halves() {
    let found = |a: &[u64], b: &[u64]| {
        let mut r: Vec<u64> = repeated_in(a, b).into_iter().collect();
        r.sort_unstable();
        r
    };
    assert_eq!(found(&[], &[]), Vec::<u64>::new());
    assert_eq!(found(&[1, 2, 3], &[4, 5]), Vec::<u64>::new());
    assert_eq!(found(&[1, 1, 3], &[]), vec![1]);
    assert_eq!(found(&[], &[2, 7, 7, 7]), vec![7]);
    assert_eq!(found(&[1, 4, 9], &[0, 4, 9, 10]), vec![4, 9]);
    assert_eq!(found(&[5, 5], &[5]), vec![5]);
}

/// An export big enough for the two-thread ids, with identical messages inside each half and
/// across them, numbered as one pass over the messages in order numbers them.
#[test]
fn ids_of_a_big_export_count_identical_messages_in_order() {
    let n = PARALLEL_IDS_FROM + 1000;
    let mut text = String::new();
    for i in 0..n {
        // Every 1000th message says what the first one says; message 7 and the last but one
        // say what message 3 says.
        let body = match i {
            _ if i % 1000 == 0 => "same".to_string(),
            7 => "three".to_string(),
            3 => "three".to_string(),
            _ if i == n - 2 => "three".to_string(),
            _ => format!("m{i}"),
        };
        text.push_str(&format!("13/01/2023, 10:00 - A: {body}\n"));
    }
    let p = parse_ok(&text);
    assert_eq!(p.len(), n);
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let expected: Vec<u64> = p
        .messages()
        .map(|m| {
            let ts = crate::timestamp::TsBuf::new(&m.ts);
            let c = content_hash("chat", ts.as_str(), m.sender, m.text, m.attachment);
            let n = seen.entry(c).or_insert(0);
            *n += 1;
            id_from_content(c, *n - 1)
        })
        .collect();
    let ids = p.ids("chat");
    assert_eq!(ids, expected);
    let distinct: std::collections::HashSet<u64> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), n, "every message has its own id");
}

#[test]
fn rewritten_strings_sit_beside_borrowed_ones() {
    // CRLF inside a message and marks in a name and body force copies; the plain message
    // between them still borrows from the text.
    let text = "13/01/2023, 10:00 - \u{202A}+44 7700 900123\u{202C}: one\r\ntwo\r\n13/01/2023, 10:01 - Ana: plain\r\n13/01/2023, 10:02 - Ana: IMG-1.jpg (file attached)\r\nnice \u{200E}view\r\n";
    let p = parse_ok(text);
    let got: Vec<_> = p
        .messages()
        .map(|m| (m.sender, m.kind, m.text, m.attachment, m.line, m.lines))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some("+44 7700 900123"), Kind::Text, "one\ntwo", None, 1, 2),
            (Some("Ana"), Kind::Text, "plain", None, 3, 1),
            (
                Some("Ana"),
                Kind::Media,
                "nice view",
                Some("IMG-1.jpg"),
                4,
                2
            ),
        ]
    );
    assert!(std::mem::size_of::<Record>() <= 48, "records stay compact");
    assert!(
        std::mem::size_of::<HeaderAt>() <= 12,
        "header positions stay compact"
    );
}

#[test]
fn a_string_from_outside_the_body_is_copied_not_pointed_at() {
    let text = "13/01/2023, 10:00 - A: body";
    let mut store = Store {
        text,
        rewritten: String::new(),
        records: Vec::new(),
    };
    let body = &text[20..];
    let inside = store.place(Cow::Borrowed(&body[3..]), body, Base::Text(20));
    assert_eq!((inside.0.at, inside.0.len, inside.1), (23, 4, false));
    let outside = store.place(Cow::Borrowed("elsewhere"), body, Base::Text(20));
    assert_eq!((outside.0.at, outside.0.len, outside.1), (0, 9, true));
    assert_eq!(store.rewritten, "elsewhere");
}

#[test]
fn texts_beyond_32_bit_offsets_are_refused() {
    let huge = " ".repeat(MAX_TEXT_BYTES + 1);
    assert!(matches!(
        parse(&huge, &ParseOptions::default()),
        Err(ParseError::TooLarge { .. })
    ));
}

#[test]
fn long_lines_are_refused() {
    let long = format!("13/01/2023, 10:00 - A: {}\n", "x".repeat(100));
    let opts = ParseOptions {
        max_line_bytes: 50,
        ..ParseOptions::default()
    };
    assert!(matches!(
        parse(&long, &opts),
        Err(ParseError::LineTooLong { line: 1, .. })
    ));
}

mod halves {
    //! A big text is scanned in two halves on two threads (`Scan::run_split`): whatever the
    //! text and wherever it is cut, the parse must be the one of the whole text.

    use super::*;
    use proptest::prelude::*;

    /// Lines where the scan has cases: headers of both shapes (12- and 24-hour, impossible
    /// dates, day-first only, month-first only), events, iOS marks, attachments, placeholders,
    /// continuation lines that look like headers, blank and junk lines.
    const LINES: &[&str] = &[
        "12/03/2023, 10:00 - Ana: hello",
        "13/03/2023, 10:01 - Ben: two words",
        "3/25/23, 9:15 PM - Ana: month first",
        "31/02/2023, 10:00 - Ana: impossible date",
        "14/03/2023, 10:02 - Ben: <Media omitted>",
        "14/03/2023, 10:03 - Ana: IMG-20230314-WA0001.jpg (file attached)",
        "14/03/2023, 10:04 - Ana created group \"Trip: Day 1\"",
        "15/03/2023, 10:05 - Ben:",
        "[12/03/2023, 10:00:00] Ana: hi",
        "[13/03/2023, 10:00:01] Ben: \u{200E}image omitted",
        "[13/03/2023, 10:00:02] Group: \u{200E}Messages and calls are end-to-end encrypted.",
        "\u{200E}[14/03/2023, 10:00:03] Ana: \u{200E}<attached: 00000012-PHOTO-2023.jpg>",
        "[14/03/2023, 10:00:04] Ben: edited <This message was edited>",
        "a continuation line",
        "",
        "   ",
        "junk: before anything",
        "12/03/2023 not a header",
        "Ünïcödé 🎉 text",
    ];

    const ENDINGS: &[&str] = &["\n", "\r\n", "\r", "\r\r\n", "\n\n"];

    fn text_of(lines: &[(usize, usize)], last_ending: bool) -> String {
        let mut text = String::new();
        for (i, &(line, ending)) in lines.iter().enumerate() {
            text.push_str(LINES[line]);
            if i + 1 < lines.len() || last_ending {
                text.push_str(ENDINGS[ending]);
            }
        }
        text
    }

    /// Every place the text may be cut: the start of each header line after the first line.
    fn header_starts(text: &str) -> Vec<usize> {
        let mut starts = Vec::new();
        let _ = crate::import::lines::for_each_line::<()>(text, |start, end, _| {
            if start > 0 && header::scan(&text[start..end]).is_some() {
                starts.push(start);
            }
            Ok(())
        });
        starts
    }

    fn outcome(text: &str, opts: &ParseOptions, split: Option<usize>) -> String {
        let parsed = Scan::run_split(text, opts.max_line_bytes, split)
            .and_then(|scan| parse_scanned(text, opts, scan));
        format!("{parsed:?}")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        #[test]
        fn a_text_cut_anywhere_parses_as_the_whole(
            lines in proptest::collection::vec((0..LINES.len(), 0..ENDINGS.len()), 1..24),
            last_ending in any::<bool>(),
            short_lines in any::<bool>(),
        ) {
            let text = text_of(&lines, last_ending);
            let opts = ParseOptions {
                // Short enough that some lines are too long, in either half.
                max_line_bytes: if short_lines { 40 } else { 1 << 20 },
                ..ParseOptions::default()
            };
            let whole = outcome(&text, &opts, None);
            for split in header_starts(&text) {
                prop_assert_eq!(&outcome(&text, &opts, Some(split)), &whole, "cut at {}", split);
            }
        }
    }

    #[test]
    fn a_big_text_is_cut_at_a_header_line_after_its_middle() {
        let mut big = String::new();
        for n in 0..200 {
            big.push_str(&format!(
                "12/03/2023, 10:{:02} - Ana: message {n}\ncontinued\n",
                n % 60
            ));
        }
        let cut = scan::split_point(&big).expect("a header after the middle");
        assert!(cut >= big.len() / 2);
        assert!(big[cut..].starts_with("12/03/2023, 10:"));
        assert!(big[..cut].ends_with('\n'));
        // Multi-byte text around the middle does not stop the cut.
        let wide = big.replace("continued", "продолжение 🎉");
        let cut = scan::split_point(&wide).expect("a cut in multi-byte text");
        assert!(wide[cut..].starts_with("12/03/2023, 10:"));
        // One message of many lines has nowhere to be cut.
        let mut one = String::from("12/03/2023, 10:00 - Ana: start\n");
        while one.len() < 10_000 {
            one.push_str("a continuation line\n");
        }
        assert_eq!(scan::split_point(&one), None);
    }
}
