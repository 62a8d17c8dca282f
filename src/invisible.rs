//! The invisible characters whatscope removes, escapes or skips, defined once and side by side.
//!
//! There are four sets, not one, on purpose: each job has its own reason to drop a char, and
//! widening a set would change stored text (what the import keeps), name keys (opt-out entries
//! are hashes of them) or what users see. The sets and how they relate:
//!
//! | set | used by | what is in it |
//! |---|---|---|
//! | [`is_bidi_control`] | terminal sanitiser, terminal-safe JSON | every char that reorders text |
//! | [`is_invisible_format`] | terminal sanitiser | other chars drawn as nothing |
//! | [`is_whatsapp_mark`] | import (bodies, sender names) | what WhatsApp itself inserts |
//! | [`is_key_ignorable`] | name keys, phone numbers in text | what changes no name or number |
//!
//! See docs/formats.md ("Invisible marks") for the import's set and docs/reliability.md (T4,
//! T5) for the terminal's.

/// Bidi controls: chars that reorder the text around them, so an untrusted body could make a
/// terminal show something else than what is stored ("Trojan Source"). The embeddings and
/// overrides U+202A–U+202E, the isolates U+2066–U+2069, the marks LRM U+200E, RLM U+200F and
/// ALM U+061C. The terminal sanitiser removes them and terminal-safe JSON escapes them.
#[inline]
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Format characters other than the bidi controls that a terminal draws as nothing (or draws
/// inconsistently, which shifts the columns after them): soft hyphen U+00AD, Mongolian vowel
/// separator U+180E, ZWSP U+200B, word joiner and invisible operators U+2060–U+2065, the
/// deprecated format chars U+206A–U+206F, BOM U+FEFF, U+FFF0–U+FFFB, Egyptian hieroglyph
/// format controls U+13430–U+1343F, shorthand format controls U+1BCA0–U+1BCA3, musical format
/// controls U+1D173–U+1D17A, tags and other ignorables U+E0000–U+E00FF and U+E01F0–U+E0FFF.
///
/// Not in it, because they shape visible text and reorder nothing: ZWNJ U+200C (Persian and
/// Indic spelling), ZWJ U+200D (emoji sequences, conjuncts) and the variation selectors.
#[inline]
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{2060}'..='\u{2065}'
            | '\u{206A}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E00FF}'
            | '\u{E01F0}'..='\u{E0FFF}'
    )
}

/// The marks WhatsApp's exporters insert (docs/formats.md, "Invisible marks"), removed from
/// bodies and sender names at import: LRM U+200E and RLM U+200F, the embeddings U+202A–U+202E
/// (around authors that are phone numbers), the isolates U+2066–U+2069 (around @mentions) and
/// the BOM U+FEFF. That is the bidi controls without ALM U+061C, plus the BOM.
///
/// Narrower than the terminal's sets on purpose: the archive keeps everything the person wrote
/// (an ALM, a ZWSP or a soft hyphen they typed stays in the stored text and is only hidden on a
/// terminal). Every char in it is three bytes of UTF-8 led by 0xE2 or 0xEF, which
/// `import::normalize` relies on to find them without decoding.
#[inline]
pub fn is_whatsapp_mark(c: char) -> bool {
    c == '\u{FEFF}' || (is_bidi_control(c) && c != '\u{061C}')
}

/// Chars that change no name and no phone number, skipped when a name is keyed
/// (`privacy::pseudonym::normalise_name`) and inside a phone number found in text
/// (`privacy::phone`, so `0151\u{200B}23456789` is one number): [`is_whatsapp_mark`]'s marks,
/// the soft hyphen U+00AD, ZWSP U+200B, ZWNJ U+200C, ZWJ U+200D and the word joiner and
/// invisible operators U+2060–U+2064.
///
/// Wider than the import's set: `Ana\u{200C}` and `Ana` must be one person, though the
/// archive stores what was typed. It keeps ALM U+061C and the rarer format chars
/// out, as it always has: name keys are hashed into opt-out entries, so a char added here
/// would stop an earlier opt-out from matching.
#[inline]
pub fn is_key_ignorable(c: char) -> bool {
    is_whatsapp_mark(c)
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_chars() -> impl Iterator<Item = char> {
        (0..=0x10FFFF).filter_map(char::from_u32)
    }

    #[test]
    fn whatsapp_marks_are_the_documented_list() {
        let marks: Vec<u32> = all_chars()
            .filter(|c| is_whatsapp_mark(*c))
            .map(u32::from)
            .collect();
        let mut expected = vec![0x200E, 0x200F];
        expected.extend(0x202A..=0x202E);
        expected.extend(0x2066..=0x2069);
        expected.push(0xFEFF);
        assert_eq!(marks, expected);
    }

    #[test]
    fn whatsapp_marks_are_three_bytes_led_by_e2_or_ef() {
        for c in all_chars().filter(|c| is_whatsapp_mark(*c)) {
            let mut buf = [0; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(b.len(), 3, "U+{:04X}", c as u32);
            assert!(matches!(b[0], 0xE2 | 0xEF), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn key_ignorables_are_the_documented_list() {
        let ignorable: Vec<u32> = all_chars()
            .filter(|c| is_key_ignorable(*c))
            .map(u32::from)
            .collect();
        let mut expected = vec![0xAD];
        expected.extend(0x200B..=0x200F);
        expected.extend(0x202A..=0x202E);
        expected.extend(0x2060..=0x2064);
        expected.extend(0x2066..=0x2069);
        expected.push(0xFEFF);
        assert_eq!(ignorable, expected);
    }

    #[test]
    fn sets_nest_as_documented() {
        for c in all_chars() {
            if is_whatsapp_mark(c) {
                assert!(is_key_ignorable(c), "U+{:04X}", c as u32);
                // What the import removes is removed on a terminal too.
                assert!(
                    is_bidi_control(c) || is_invisible_format(c),
                    "U+{:04X}",
                    c as u32
                );
            }
            // A bidi control is never counted as a mere format char (one rule, one reason).
            assert!(
                !(is_bidi_control(c) && is_invisible_format(c)),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn shaping_joiners_are_kept_on_terminals_but_ignored_in_keys() {
        for c in ['\u{200C}', '\u{200D}'] {
            assert!(!is_bidi_control(c) && !is_invisible_format(c));
            assert!(is_key_ignorable(c));
            assert!(!is_whatsapp_mark(c));
        }
        // The Arabic letter mark reorders, so terminals drop it; a typed one is kept and keyed.
        assert!(is_bidi_control('\u{061C}'));
        assert!(!is_whatsapp_mark('\u{061C}') && !is_key_ignorable('\u{061C}'));
    }
}
