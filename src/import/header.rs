//! Recognises the timestamp header that starts every message line, in every shape
//! docs/formats.md lists, without deciding yet what the numbers mean (that needs the whole file).
//!
//! Hand-written over bytes rather than a regex: this runs on every line of every export and is
//! most of the parser's cost.

/// How the header ends, which tells the platform and era apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Android `DATE, TIME - `
    Dash,
    /// iOS `[DATE, TIME] ` (and the desktop `[DATE, TIME] - `)
    Bracket,
    /// legacy iOS `DATE, TIME: `
    Colon,
}

impl Shape {
    pub fn platform(self) -> &'static str {
        match self {
            Shape::Dash => "android",
            Shape::Bracket | Shape::Colon => "ios",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meridiem {
    None,
    Am,
    Pm,
}

/// A header as written: three date numbers in written order, the time, and where the body starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawHeader {
    pub parts: [u16; 3],
    pub widths: [u8; 3],
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub has_seconds: bool,
    pub meridiem: Meridiem,
    pub shape: Shape,
    /// The date separator (`/`, `.`, `-`, ` `), kept to describe the format.
    pub date_sep: u8,
    /// Byte offset in the line where the body (`Author: text` or an event) starts.
    pub body_start: usize,
}

const LRM: &[u8] = "\u{200E}".as_bytes();
const RLM: &[u8] = "\u{200F}".as_bytes();
const BOM: &[u8] = "\u{FEFF}".as_bytes();
const NBSP: &[u8] = "\u{00A0}".as_bytes();
const NNBSP: &[u8] = "\u{202F}".as_bytes();
const THIN: &[u8] = "\u{2009}".as_bytes();
const ARABIC_COMMA: &[u8] = "\u{060C}".as_bytes();

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn eat_seq(&mut self, s: &[u8]) -> bool {
        if self.b[self.i..].starts_with(s) {
            self.i += s.len();
            true
        } else {
            false
        }
    }

    /// Skips the invisible marks WhatsApp scatters around dates (LRM, RLM, BOM).
    fn skip_marks(&mut self) {
        while self.eat_seq(LRM) || self.eat_seq(RLM) || self.eat_seq(BOM) {}
    }

    /// Skips spaces of every width WhatsApp uses; returns how many it skipped.
    fn skip_spaces(&mut self) -> usize {
        let mut n = 0;
        while self.eat(b' ') || self.eat_seq(NBSP) || self.eat_seq(NNBSP) || self.eat_seq(THIN) {
            n += 1;
        }
        n
    }

    /// One digit, ASCII or Arabic-Indic (U+0660..) or Extended Arabic-Indic (U+06F0..).
    fn digit(&mut self) -> Option<u16> {
        let c = self.peek()?;
        if c.is_ascii_digit() {
            self.i += 1;
            return Some(u16::from(c - b'0'));
        }
        let next = *self.b.get(self.i + 1)?;
        let value = match (c, next) {
            (0xD9, 0xA0..=0xA9) => next - 0xA0,
            (0xDB, 0xB0..=0xB9) => next - 0xB0,
            _ => return None,
        };
        self.i += 2;
        Some(u16::from(value))
    }

    /// A number of 1..=max digits; returns (value, digit count).
    fn number(&mut self, max: u8) -> Option<(u16, u8)> {
        let mut value = self.digit()?;
        let mut width = 1u8;
        while width < max {
            let save = self.i;
            match self.digit() {
                Some(d) => {
                    value = value * 10 + d;
                    width += 1;
                }
                None => {
                    self.i = save;
                    break;
                }
            }
        }
        // A fifth digit means this is not a date part at all.
        let save = self.i;
        if self.digit().is_some() {
            return None;
        }
        self.i = save;
        Some((value, width))
    }
}

/// Quick rejection before the full scan: a header starts with marks, `[`, or a digit.
#[inline]
pub fn may_start_header(line: &[u8]) -> bool {
    match line.first() {
        Some(b'[') | Some(b'0'..=b'9') | Some(0xD9) | Some(0xDB) => true,
        Some(0xE2) | Some(0xEF) => {
            line.starts_with(LRM) || line.starts_with(RLM) || line.starts_with(BOM)
        }
        _ => false,
    }
}

/// Scans a full header at the start of `line`; `None` when the line is not one.
pub fn scan(line: &str) -> Option<RawHeader> {
    let b = line.as_bytes();
    if !may_start_header(b) {
        return None;
    }
    scan_common(b).or_else(|| scan_any(b))
}

/// ASCII digits `b[at..]`, at most `max` of them; `(value, count)`, or `None` for none.
#[inline]
fn ascii_number(b: &[u8], at: usize, max: usize) -> Option<(u16, usize)> {
    let mut value = 0u16;
    let mut n = 0;
    while n < max {
        match b.get(at + n) {
            Some(d) if d.is_ascii_digit() => {
                value = value * 10 + u16::from(d - b'0');
                n += 1;
            }
            _ => break,
        }
    }
    (n > 0).then_some((value, n))
}

/// The shapes nearly every export uses, in plain ASCII: `D/M/Y, H:MM[:SS][ AM] - ` and
/// `[D/M/Y, H:MM:SS[ AM]] `, with `/ . -` between date parts, ASCII digits, and a space or
/// U+202F before AM/PM. Accepts only lines [`scan_any`] reads the same way, and leaves
/// everything else (marks, other digits, localized markers, unusual spacing) to it; the
/// test `fast_path_agrees_with_the_full_scanner` holds it to that.
#[inline]
fn scan_common(b: &[u8]) -> Option<RawHeader> {
    let bracket = b.first() == Some(&b'[');
    let mut i = usize::from(bracket);
    let (p0, w0) = ascii_number(b, i, 4)?;
    i += w0;
    let sep = *b.get(i)?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    let (p1, w1) = ascii_number(b, i + 1, 2)?;
    i += 1 + w1;
    if b.get(i) != Some(&sep) {
        return None;
    }
    let (p2, w2) = ascii_number(b, i + 1, 4)?;
    i += 1 + w2;
    if b.get(i..i + 2) != Some(b", ") {
        return None;
    }
    i += 2;
    let (hour, hw) = ascii_number(b, i, 2)?;
    i += hw;
    if b.get(i) != Some(&b':') {
        return None;
    }
    let (minute, mw) = ascii_number(b, i + 1, 2)?;
    i += 1 + mw;
    if mw != 2 {
        return None;
    }
    let mut second = 0;
    let has_seconds = b.get(i) == Some(&b':');
    if has_seconds {
        let (s, sw) = ascii_number(b, i + 1, 2)?;
        i += 1 + sw;
        if sw != 2 {
            return None;
        }
        second = s;
    }
    // A third digit anywhere above would make the full scanner reject the line.
    if b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut meridiem = Meridiem::None;
    let space = match b.get(i) {
        Some(b' ') => 1,
        Some(0xE2) if b.get(i..i + 3) == Some(NNBSP) => 3,
        _ => 0,
    };
    if space > 0 {
        meridiem = match b.get(i + space..i + space + 2) {
            Some(b"AM" | b"am") => Meridiem::Am,
            Some(b"PM" | b"pm") => Meridiem::Pm,
            _ => Meridiem::None,
        };
        if meridiem != Meridiem::None {
            i += space + 2;
        }
    }
    let body_start = if bracket {
        match b.get(i + 1..) {
            _ if b.get(i) != Some(&b']') => return None,
            Some(rest) if rest.starts_with(b" - ") => i + 4,
            Some(rest) if rest.starts_with(b" ") => i + 2,
            Some([]) => i + 1,
            _ => return None,
        }
    } else {
        match b.get(i..) {
            Some(rest) if rest.starts_with(b" - ") => i + 3,
            Some(b" -") => i + 2,
            _ => return None,
        }
    };
    Some(RawHeader {
        parts: [p0, p1, p2],
        widths: [w0 as u8, w1 as u8, w2 as u8],
        hour: clamp_u8(hour),
        minute: clamp_u8(minute),
        second: clamp_u8(second),
        has_seconds,
        meridiem,
        shape: if bracket { Shape::Bracket } else { Shape::Dash },
        date_sep: sep,
        body_start,
    })
}

/// The full scanner: every shape, mark, digit system and marker of docs/formats.md
fn scan_any(b: &[u8]) -> Option<RawHeader> {
    let mut c = Cursor { b, i: 0 };
    c.skip_marks();
    let bracket = c.eat(b'[');
    c.skip_marks();

    let (p0, w0) = c.number(4)?;
    c.skip_marks();
    let sep = date_separator(&mut c)?;
    let (p1, w1) = c.number(2)?;
    c.skip_marks();
    if date_separator(&mut c)? != sep {
        return None;
    }
    let (p2, w2) = c.number(4)?;
    c.skip_marks();
    if sep == b'.' {
        // Croatian-style dates end with a dot too: `12. 3. 2024.`
        c.eat(b'.');
    }
    if !date_time_separator(&mut c) {
        return None;
    }

    let (hour, hw) = c.number(2)?;
    let time_sep = c.peek()?;
    if time_sep != b':' && time_sep != b'.' {
        return None;
    }
    c.i += 1;
    let (minute, mw) = c.number(2)?;
    if hw > 2 || mw != 2 {
        return None;
    }
    let mut second = 0;
    let mut has_seconds = false;
    if c.peek() == Some(time_sep)
        && c.b
            .get(c.i + 1)
            .is_some_and(|d| d.is_ascii_digit() || *d == 0xD9 || *d == 0xDB)
    {
        c.i += 1;
        let (s, sw) = c.number(2)?;
        if sw != 2 {
            return None;
        }
        second = s;
        has_seconds = true;
    }
    let meridiem = meridiem(&mut c);
    c.skip_marks();

    let shape = if bracket {
        if !c.eat(b']') {
            return None;
        }
        // The desktop copy writes `] - ` where the phone writes `] `.
        if c.b[c.i..].starts_with(b" - ") {
            c.i += 3;
        } else if !(c.eat(b' ') || c.i == b.len()) {
            return None;
        }
        Shape::Bracket
    } else {
        c.skip_spaces();
        if c.eat(b'-') {
            if !(c.eat(b' ') || c.i == b.len()) {
                return None;
            }
            Shape::Dash
        } else if c.eat(b':') {
            if !(c.eat(b' ') || c.i == b.len()) {
                return None;
            }
            Shape::Colon
        } else {
            return None;
        }
    };

    Some(RawHeader {
        parts: [p0, p1, p2],
        widths: [w0, w1, w2],
        hour: clamp_u8(hour),
        minute: clamp_u8(minute),
        second: clamp_u8(second),
        has_seconds,
        meridiem,
        shape,
        date_sep: sep,
        body_start: c.i,
    })
}

fn clamp_u8(v: u16) -> u8 {
    u8::try_from(v).unwrap_or(u8::MAX)
}

/// `/`, `.`, `-` or `,` between date parts (a dot may be followed by a space), or a single
/// space. Returns the separator's ASCII byte.
fn date_separator(c: &mut Cursor) -> Option<u8> {
    let s = c.peek()?;
    match s {
        b'/' | b'.' | b'-' | b',' => {
            c.i += 1;
            if s == b'.' {
                c.eat(b' ');
            }
            c.skip_marks();
            Some(s)
        }
        b' ' => {
            c.i += 1;
            Some(b' ')
        }
        _ => None,
    }
}

/// Between date and time: `, `, ` `, `، `, ` klo `, ` à `, or a comma alone.
fn date_time_separator(c: &mut Cursor) -> bool {
    let comma = c.eat(b',') || c.eat_seq(ARABIC_COMMA);
    let spaces = c.skip_spaces();
    if spaces > 0 {
        for word in ["klo ", "à "] {
            if c.eat_seq(word.as_bytes()) {
                c.skip_spaces();
                return true;
            }
        }
    }
    c.skip_marks();
    comma || spaces > 0
}

/// Reads an AM/PM marker in any of the spellings docs/formats.md lists, if present.
fn reset(c: &mut Cursor, start: usize) -> Meridiem {
    c.i = start;
    Meridiem::None
}

fn meridiem(c: &mut Cursor) -> Meridiem {
    let start = c.i;
    c.skip_spaces();
    // Most headers have no marker: the terminator follows at once.
    if matches!(c.peek(), None | Some(b']' | b'-' | b':')) {
        c.i = start;
        return Meridiem::None;
    }
    let rest = &c.b[c.i..];
    // The marker runs until the terminator: `]`, ` -`, or `:`. Its letters are gathered,
    // lowercased, into a small stack buffer: this runs on every 12-hour header.
    let mut end = 0;
    let mut buf = [0u8; 48];
    let mut len = 0;
    // Only the bytes up to the terminator can be the marker.
    let until = memchr::memchr3(b']', b'-', b':', &rest[..rest.len().min(40)])
        .unwrap_or(rest.len().min(40));
    let text = match std::str::from_utf8(&rest[..until]) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or(""),
    };
    for (i, ch) in text.char_indices() {
        if ch == ']' || ch == ':' || ch == '-' {
            break;
        }
        if ch.is_alphabetic() {
            let mut tmp = [0u8; 4];
            for lower in ch.to_lowercase() {
                let bytes = lower.encode_utf8(&mut tmp).as_bytes();
                if len + bytes.len() > buf.len() {
                    return reset(c, start);
                }
                buf[len..len + bytes.len()].copy_from_slice(bytes);
                len += bytes.len();
            }
        } else if !(ch == '.' || ch == ' ' || ch == '\u{00A0}' || ch == '\u{202F}') {
            break;
        }
        end = i + ch.len_utf8();
    }
    let letters = std::str::from_utf8(&buf[..len]).unwrap_or("");
    let found = match letters {
        "am" | "vorm" | "morgens" | "ص" | "上午" | "午前" | "오전" | "inthemorning" | "sa" => {
            Meridiem::Am
        }
        "pm" | "nachm" | "mittags" | "abends" | "nachts" | "م" | "下午" | "午後" | "오후"
        | "intheafternoon" | "intheevening" | "atnight" | "ch" => Meridiem::Pm,
        _ => Meridiem::None,
    };
    if found == Meridiem::None {
        c.i = start;
    } else {
        // Leave trailing spaces for the terminator check.
        let consumed = text[..end]
            .trim_end_matches([' ', '\u{00A0}', '\u{202F}'])
            .len();
        c.i += consumed;
    }
    found
}

#[cfg(test)]
mod tests {
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
            let text =
                whatscope_synth::generate_export(3, 60, &style, whatscope_synth::LineEnding::Lf);
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
}
