//! Unit tests of header (timestamp shape) scanning.

use super::*;

fn h(line: &str) -> RawHeader {
    scan(line).unwrap_or_else(|| panic!("not a header: {line:?}"))
}

#[test]
fn android_dash() {
    let r = h("14/03/2023, 09:15 - Maya Lopez: hi");
    assert_eq!(r.parts, [14, 3, 2023]);
    assert_eq!((r.hour, r.minute, r.has_seconds), (9, 15, false));
    assert_eq!(r.shape, Shape::Dash);
    assert_eq!(
        &"14/03/2023, 09:15 - Maya Lopez: hi"[r.body_start..],
        "Maya Lopez: hi"
    );
}

#[test]
fn twelve_hour_spellings() {
    for (line, m) in [
        ("1/9/24, 7:02\u{202F}PM - D: x", Meridiem::Pm),
        ("11/05/2024, 6:02\u{202F}am - A: x", Meridiem::Am),
        ("2024-02-10, 9:05\u{202F}a.m. - C: x", Meridiem::Am),
        ("9/11/2023 8:02 p.\u{00A0}m. - M: x", Meridiem::Pm),
        ("[12/3/25, 2:34:30 p. m.] M: x", Meridiem::Pm),
        ("[31/12/2019, 2:14:40 a.m.] K: x", Meridiem::Am),
        ("29.01.18, 11:47 PM - B: x", Meridiem::Pm),
        ("6/2/16, 7:45:32 PM: Nadia Brooks: hi", Meridiem::Pm),
        ("1/2/24, 9:15 in the morning - R: x", Meridiem::Am),
    ] {
        assert_eq!(h(line).meridiem, m, "{line}");
    }
}

#[test]
fn legacy_colon_keeps_pm() {
    let line = "6/2/16, 7:41:03 PM: \u{200E}Nadia Brooks created this group";
    let r = h(line);
    assert_eq!(r.shape, Shape::Colon);
    assert_eq!(r.meridiem, Meridiem::Pm);
    assert_eq!(
        &line[r.body_start..],
        "\u{200E}Nadia Brooks created this group"
    );
}

#[test]
fn ios_variants() {
    for line in [
        "[02/06/2023, 08:01:05] Grace Okafor: hi",
        "\u{200E}[02/06/2023, 08:01:30] Grace Okafor: \u{200E}image omitted",
        "[3.02.2024 20:16:40] Burak Kaya: Selam",
        "[22.4.2026, 20.20.13] ~\u{202F}Maija M: moi",
        "[12. 3. 2024., 14:05:06] Ivana K: bok",
        "[3/27/22 21.41.35] Dewi L: halo",
        "[27-11-18 18:43:20] Tom H: hoi",
        "[2024/10/31 15:50:46] 李明: 你好",
        "[4/22/26, 8:06:06\u{202F}PM] - +358 40 1234567 added You",
    ] {
        assert_eq!(h(line).shape, Shape::Bracket, "{line}");
    }
}

#[test]
fn arabic_digits() {
    let line = "\u{200F}[٥\u{200F}/٤\u{200F}/٢٠٢٣، ١٠:٠٨:١٠\u{00A0}ص] Omar Haddad: \u{200F}x";
    let r = h(line);
    assert_eq!(r.parts, [5, 4, 2023]);
    assert_eq!((r.hour, r.minute, r.second), (10, 8, 10));
    assert_eq!(r.meridiem, Meridiem::Am);
    assert_eq!(&line[r.body_start..], "Omar Haddad: \u{200F}x");
}

#[test]
fn other_separators() {
    assert_eq!(
        h("13.6.2018 klo 21.25.15 - Aino K: moi").parts,
        [13, 6, 2018]
    );
    assert_eq!(h("18-03-2022 14:58 - Pieter Jansen: Hoi").date_sep, b'-');
    assert_eq!(h("30/08/25 18.05 - Dewi Lestari: Halo").minute, 5);
    assert_eq!(h("20 09 17, 16:54 - A: b").parts, [20, 9, 17]);
}

#[test]
fn rejects_non_headers() {
    for line in [
        "Yes, 02/03 at 10am",
        "2016-04-29 10:30:00",
        "- boots",
        "12/12/2020 is the date",
        "14/03/2023, 09:15 Maya",
        "[14/03/2023, 09:15:00 Maya",
        "",
        "123456/1/1, 10:00 - x: y",
    ] {
        assert!(scan(line).is_none(), "{line}");
    }
}

/// Every line the fast path accepts, the full scanner reads the same way: header lines of
/// every generated style, and those lines cut and altered byte by byte.
#[test]
fn fast_path_agrees_with_the_full_scanner() {
    let mut lines: Vec<String> = Vec::new();
    for style in whatscope_synth::all_styles() {
        let text = whatscope_synth::generate_export(3, 60, &style, whatscope_synth::LineEnding::Lf);
        lines.extend(text.lines().map(str::to_string));
    }
    lines.extend(
        [
            "1/2/24, 9:05 AM - A: x",
            "1/2/24, 9:05 AMX - A: x",
            "1/2/24, 9:05 am] A",
            "[1/2/24, 9:05:07\u{202F}PM] A: x",
            "[1/2/24, 9:05:07] - A: x",
            "[1/2/24, 9:05:07]",
            "[1/2/24, 9:05:07]x",
            "1/2/24, 9:05 -",
            "1/2/24, 9:05  - A",
            "1/2/24, 9:055 - A",
            "1/2/24, 9:05:5 - A",
            "12345/2/24, 9:05 - A",
            "1.2.2024., 9:05 - A",
            "1/2/24, 19:05 PM - A",
        ]
        .map(String::from),
    );
    let edits: &[&[u8]] = &[
        b"",
        b" ",
        b"-",
        b":",
        b"]",
        b"[",
        b"9",
        b"A",
        b"\xE2\x80\xAF",
    ];
    let mut checked = 0;
    for line in &lines {
        let b = line.as_bytes();
        let mut variants = vec![b.to_vec()];
        for at in 0..b.len().min(40) {
            for e in edits {
                let mut v = b[..at].to_vec();
                v.extend_from_slice(e);
                v.extend_from_slice(&b[(at + 1).min(b.len())..]);
                variants.push(v);
            }
        }
        for v in variants {
            if let Some(fast) = scan_common(&v) {
                assert_eq!(
                    Some(fast),
                    scan_any(&v),
                    "{:?}",
                    String::from_utf8_lossy(&v)
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "the fast path took {checked} lines");
}

#[test]
fn empty_body_and_end_of_line() {
    let r = h("14/03/2023, 09:15 - ");
    assert_eq!(r.body_start, "14/03/2023, 09:15 - ".len());
    assert!(scan("14/03/2023, 09:15 -").is_some());
}
