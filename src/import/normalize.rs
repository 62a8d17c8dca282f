//! The invisible-mark and sender-name normalisation of SPEC §2, with a borrowing fast path
//! because almost every body is already clean.

use std::borrow::Cow;

/// Bidi and invisible marks WhatsApp inserts, which SPEC §2 removes from bodies and names.
#[inline]
pub fn is_invisible_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// All invisible marks live in U+2000..U+2FFF (lead byte 0xE2) or are U+FEFF (0xEF).
#[inline]
pub fn may_hold_marks(s: &str) -> bool {
    !s.is_ascii() && memchr::memchr2(0xE2, 0xEF, s.as_bytes()).is_some()
}

/// The text with WhatsApp's invisible marks removed.
pub fn strip_marks(s: &str) -> Cow<'_, str> {
    if !may_hold_marks(s) || !s.chars().any(is_invisible_mark) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|c| !is_invisible_mark(*c)).collect())
}

/// A sender name as SPEC §2 normalises it: marks dropped, NBSP/NNBSP to space, U+2011 to `-`,
/// a non-contact's leading `~ ` dropped, trimmed.
pub fn normalize_sender(raw: &str) -> Cow<'_, str> {
    // Most names are plain ASCII with nothing to trim: one pass over a few bytes.
    let b = raw.as_bytes();
    let plain = b.iter().all(|c| c.is_ascii())
        && b.first()
            .is_some_and(|c| *c != b'~' && !c.is_ascii_whitespace())
        && b.last().is_some_and(|c| !c.is_ascii_whitespace());
    if plain {
        return Cow::Borrowed(raw);
    }
    let needs_work = may_hold_marks(raw)
        || memchr::memchr(0xC2, raw.as_bytes()).is_some()
        || raw.starts_with('~')
        || raw.starts_with(char::is_whitespace)
        || raw.ends_with(char::is_whitespace);
    if !needs_work {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            c if is_invisible_mark(c) => {}
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
    }
}
