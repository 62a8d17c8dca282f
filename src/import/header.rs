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
///
/// Kept in one piece (~90 lines): it runs on every line of every export, and read top to
/// bottom it is the header itself, field by field, in the order they stand on the line.
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
    let shape = header_end(&mut c, bracket)?;

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

/// What closes the header after its time, which gives its shape: `] ` (or `] - `), ` - `, or
/// `: `; the cursor is left where the body starts.
fn header_end(c: &mut Cursor<'_>, bracket: bool) -> Option<Shape> {
    let len = c.b.len();
    if bracket {
        if !c.eat(b']') {
            return None;
        }
        // The desktop copy writes `] - ` where the phone writes `] `.
        if c.b[c.i..].starts_with(b" - ") {
            c.i += 3;
        } else if !(c.eat(b' ') || c.i == len) {
            return None;
        }
        return Some(Shape::Bracket);
    }
    c.skip_spaces();
    let shape = if c.eat(b'-') {
        Shape::Dash
    } else if c.eat(b':') {
        Shape::Colon
    } else {
        return None;
    };
    (c.eat(b' ') || c.i == len).then_some(shape)
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
mod tests;
