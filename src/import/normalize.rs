//! The invisible-mark and sender-name normalisation of docs/formats.md, with a borrowing fast path
//! because almost every body is already clean.

use std::borrow::Cow;

use crate::invisible::is_whatsapp_mark;

/// Where the invisible marks ([`is_whatsapp_mark`]) are in `b` (each is three bytes of UTF-8),
/// found by their lead byte rather than by decoding every character (bodies often hold other
/// U+2000..U+2FFF punctuation).
fn marks_at(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr2_iter(0xE2, 0xEF, b).filter(|at| {
        matches!(
            (b[*at], b.get(at + 1..at + 3)),
            (0xE2, Some([0x80, 0x8E | 0x8F | 0xAA..=0xAE]))
                | (0xE2, Some([0x81, 0xA6..=0xA9]))
                | (0xEF, Some([0xBB, 0xBF]))
        )
    })
}

/// The text with WhatsApp's invisible marks removed.
pub fn strip_marks(s: &str) -> Cow<'_, str> {
    // Marks are never ASCII; the check is one quick pass over most texts.
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let mut marks = marks_at(s.as_bytes()).peekable();
    if marks.peek().is_none() {
        return Cow::Borrowed(s);
    }
    // Copies the runs between marks: each mark is a whole character, so every cut falls on a
    // character boundary.
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    for at in marks {
        out.push_str(s.get(from..at).unwrap_or_default());
        from = at + 3;
    }
    out.push_str(s.get(from..).unwrap_or_default());
    Cow::Owned(out)
}

/// A sender name as docs/formats.md normalises it: marks dropped, NBSP/NNBSP to space, U+2011 to `-`,
/// a non-contact's leading `~ ` dropped, trimmed.
pub fn normalize_sender(raw: &str) -> Cow<'_, str> {
    // Marks, U+2011 and the no-break spaces all start with one of three bytes; without them
    // only the ends can need work. One pass with no early exit, so it runs in vector steps.
    let b = raw.as_bytes();
    let rewritable = b
        .iter()
        .fold(false, |any, c| any | matches!(c, 0xC2 | 0xE2 | 0xEF));
    let needs_work = rewritable
        || b.first() == Some(&b'~')
        || raw.starts_with(char::is_whitespace)
        || raw.ends_with(char::is_whitespace);
    if !needs_work {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            c if is_whatsapp_mark(c) => {}
            '\u{00A0}' | '\u{202F}' => out.push(' '),
            '\u{2011}' => out.push('-'),
            c => out.push(c),
        }
    }
    let trimmed = out.trim();
    let without_tilde = match trimmed.strip_prefix('~') {
        Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim_start(),
        _ => trimmed,
    };
    if without_tilde.len() == raw.len() {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(without_tilde.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_normalisation() {
        assert_eq!(normalize_sender("~\u{202F}Jun"), "Jun");
        assert_eq!(normalize_sender("~ Jun"), "Jun");
        assert_eq!(
            normalize_sender("\u{202A}+44 7700 900123\u{202C}"),
            "+44 7700 900123"
        );
        assert_eq!(
            normalize_sender("\u{202A}+1\u{00A0}(555)\u{00A0}010\u{2011}4477\u{202C}"),
            "+1 (555) 010-4477"
        );
        assert_eq!(normalize_sender(" Maya "), "Maya");
        assert_eq!(normalize_sender("~Tilde"), "~Tilde");
        assert!(matches!(normalize_sender("Ana"), Cow::Borrowed(_)));
    }

    #[test]
    fn marks_are_stripped_from_bodies() {
        assert_eq!(strip_marks("\u{200E}image omitted"), "image omitted");
        assert_eq!(strip_marks("@\u{2068}Rita\u{2069} hi"), "@Rita hi");
        assert!(matches!(strip_marks("plain café"), Cow::Borrowed(_)));
        assert!(matches!(
            strip_marks("it’s… “fine” — 10€"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn marks_are_found_by_their_bytes() {
        let around = (0x2000..0x3000).chain(0xFE00..0x10000).chain(0..0x100);
        for c in around.filter_map(char::from_u32) {
            let text = format!("a{c}b{c}");
            let found = marks_at(text.as_bytes()).count();
            assert_eq!(
                found,
                if is_whatsapp_mark(c) { 2 } else { 0 },
                "U+{:04X}",
                c as u32
            );
            let stripped: String = text.chars().filter(|c| !is_whatsapp_mark(*c)).collect();
            assert_eq!(strip_marks(&text), stripped, "U+{:04X}", c as u32);
        }
    }
}
