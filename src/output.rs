//! Writing for people and programs: JSON that can never carry a raw control character to a
//! terminal, and the message shape every NDJSON command prints.

use crate::model::Kind;
use serde::Serialize;
use std::io::{self, Write};

/// `n` and a noun that agrees with it: `1 message`, `2 messages`, `0 messages`. The noun
/// takes an `s`; [`count_as`] is for the ones that do not.
pub fn count(n: u64, singular: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {singular}s")
    }
}

/// [`count`] with the plural given: `count_as(n, "match", "matches")`.
pub fn count_as(n: u64, singular: &str, plural: &str) -> String {
    format!("{n} {}", plural_of(n, singular, plural))
}

/// The singular or the plural, as `n` needs: for a noun apart from its number
/// (`1,234 participants`, `1 participant`).
pub fn plural_of<'a>(n: u64, singular: &'a str, plural: &'a str) -> &'a str {
    if n == 1 {
        singular
    } else {
        plural
    }
}

/// `1234567` → `1,234,567`: every count a person reads, in the CLI and the TUI alike.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A message as `parse`, `log --json` and `export` print it (docs/formats.md, plus `line` for `parse`).
#[derive(Debug, Serialize)]
pub struct MessageOut<'a> {
    pub id: &'a str,
    pub chat: &'a str,
    pub ts: &'a str,
    pub sender: Option<&'a str>,
    pub kind: Kind,
    pub text: &'a str,
    pub attachment: Option<&'a str>,
    pub edited: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl<'a> From<&'a crate::model::Message> for MessageOut<'a> {
    fn from(m: &'a crate::model::Message) -> Self {
        MessageOut {
            id: &m.id,
            chat: &m.chat,
            ts: &m.ts,
            sender: m.sender.as_deref(),
            kind: m.kind,
            text: &m.text,
            attachment: m.attachment.as_deref(),
            edited: m.edited,
            line: None,
        }
    }
}

/// Writes every message of a parsed export as `parse` prints it, in file order, a buffer of
/// about [`FLUSH_AT`] bytes at a time. (Formatting on a second thread saved nothing
/// measurable even on a 1 M-message export: docs/performance.md, issue 16.)
pub fn write_parsed_ndjson(
    out: &mut impl Write,
    parsed: &crate::import::Parsed<'_>,
    chat: &str,
) -> io::Result<()> {
    let ids = parsed.ids(chat);
    let mut buf = Vec::with_capacity(FLUSH_AT + 4096);
    for (i, id) in ids.iter().enumerate() {
        let Some(m) = parsed.message(i) else {
            continue;
        };
        let id = crate::model::hex_id(*id);
        let ts = crate::timestamp::TsBuf::new(&m.ts);
        MessageOut {
            id: id.as_str(),
            chat,
            ts: ts.as_str(),
            sender: m.sender,
            kind: m.kind,
            text: m.text,
            attachment: m.attachment,
            edited: m.edited,
            line: Some(m.line),
        }
        .push_ndjson(&mut buf);
        if buf.len() >= FLUSH_AT {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()
}

/// Bytes of NDJSON gathered before a write: big enough that writes are few, small enough to
/// stay in cache.
const FLUSH_AT: usize = 1 << 20;

impl MessageOut<'_> {
    /// Appends this message as one NDJSON line, byte for byte what [`write_json_line`] writes:
    /// the hot path of `parse` and `export`, with no serializer state and one escaping pass
    /// per string (the test `push_ndjson_matches_serde` holds it to that). It pays: through
    /// serde_json, `parse` of a 40 000-message export runs 1.9× the instructions (368 M
    /// against 192 M) and 45 % more CPU time (docs/performance.md, issue 16).
    pub fn push_ndjson(&self, out: &mut Vec<u8>) {
        out.reserve(
            160 + self.id.len()
                + self.chat.len()
                + self.ts.len()
                + self.sender.map_or(0, str::len)
                + self.text.len()
                + self.attachment.map_or(0, str::len),
        );
        out.extend_from_slice(b"{\"id\":");
        push_json_str(out, self.id);
        out.extend_from_slice(b",\"chat\":");
        push_json_str(out, self.chat);
        out.extend_from_slice(b",\"ts\":");
        push_json_str(out, self.ts);
        out.extend_from_slice(b",\"sender\":");
        push_json_opt(out, self.sender);
        out.extend_from_slice(b",\"kind\":\"");
        // Kinds are fixed lowercase words: nothing to escape.
        out.extend_from_slice(self.kind.as_str().as_bytes());
        out.push(b'"');
        out.extend_from_slice(b",\"text\":");
        push_json_str(out, self.text);
        out.extend_from_slice(b",\"attachment\":");
        push_json_opt(out, self.attachment);
        out.extend_from_slice(if self.edited {
            b",\"edited\":true"
        } else {
            b",\"edited\":false"
        });
        if let Some(line) = self.line {
            // Writing into a Vec cannot fail.
            let _ = write!(out, ",\"line\":{line}");
        }
        out.extend_from_slice(b"}\n");
    }
}

fn push_json_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => push_json_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// What a byte asks of the JSON string writer.
const PLAIN: u8 = 0;
/// `"`, `\\`, C0 controls and DEL: escaped on their own.
const ESCAPE: u8 = 1;
/// Lead bytes of the characters [`needs_escape`] lists above U+007F (C1, U+061C, U+200E/F,
/// bidi embeddings and isolates): the character is decoded and checked.
const LEAD: u8 = 2;

static CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = ESCAPE;
        i += 1;
    }
    t[b'"' as usize] = ESCAPE;
    t[b'\\' as usize] = ESCAPE;
    t[0x7F] = ESCAPE;
    t[0xC2] = LEAD;
    t[0xD8] = LEAD;
    t[0xE2] = LEAD;
    t
};

/// Whether any of eight bytes is below 0x20, `"`, `\\`, DEL or not ASCII (the SWAR tests of
/// "Bit Twiddling Hacks": a byte below `n` borrows into its high bit).
#[inline]
fn needs_attention(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x;
    let quote = zero_in(w ^ (ONES * u64::from(b'"')));
    let backslash = zero_in(w ^ (ONES * u64::from(b'\\')));
    let del = zero_in(w ^ (ONES * 0x7F));
    ((below_space | quote | backslash | del) | w) & HIGH != 0
}

/// Whether eight bytes are all plain ASCII that JSON takes as it is.
#[inline]
fn plain_word(chunk: &[u8]) -> bool {
    let mut word = [0u8; 8];
    word.copy_from_slice(chunk);
    !needs_attention(u64::from_le_bytes(word))
}

/// Appends `s` as a JSON string literal, escaped as serde_json does plus `\uXXXX` for what
/// terminals interpret (see [`SafeFormatter`]).
#[inline]
pub fn push_json_str(out: &mut Vec<u8>, s: &str) {
    if is_plain(s.as_bytes()) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        push_json_escaped(out, s);
    }
}

/// Whether no byte of `b` needs escaping or a closer look (plain ASCII, no `"`, `\\`,
/// controls or DEL): ids, timestamps and most names and texts.
#[inline]
fn is_plain(b: &[u8]) -> bool {
    let mut words = b.chunks_exact(8);
    if words.by_ref().any(|w| !plain_word(w)) {
        return false;
    }
    words
        .remainder()
        .iter()
        .all(|c| CLASS[usize::from(*c)] == PLAIN && *c < 0x80)
}

fn push_json_escaped(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        // Eight plain ASCII bytes at a time: most of a chat's text needs no escaping.
        if b.get(i..i + 8).is_some_and(plain_word) {
            i += 8;
            continue;
        }
        let byte = b[i];
        match CLASS[usize::from(byte)] {
            PLAIN => i += 1,
            ESCAPE => {
                out.extend_from_slice(&b[start..i]);
                match byte {
                    b'"' => out.extend_from_slice(b"\\\""),
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    0x08 => out.extend_from_slice(b"\\b"),
                    0x0C => out.extend_from_slice(b"\\f"),
                    _ => out.extend_from_slice(&[
                        b'\\',
                        b'u',
                        b'0',
                        b'0',
                        HEX[usize::from(byte >> 4)],
                        HEX[usize::from(byte & 0xF)],
                    ]),
                }
                i += 1;
                start = i;
            }
            _ => {
                let len = if byte == 0xE2 { 3 } else { 2 };
                let c = s[i..].chars().next().unwrap_or('\u{0}');
                if needs_escape(c) {
                    out.extend_from_slice(&b[start..i]);
                    let _ = write!(out, "\\u{:04x}", c as u32);
                    start = i + len;
                }
                i += len;
            }
        }
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// serde_json escapes C0 controls itself; this also escapes DEL, C1 controls and bidi
/// overrides as `\uXXXX`, so JSON stays byte-for-byte the same data yet is safe on a terminal.
pub struct SafeFormatter;

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let b = fragment.as_bytes();
        // Everything escaped here is DEL or starts with one of these lead bytes.
        let first = memchr::memchr3(0xC2, 0xD8, 0xE2, b)
            .into_iter()
            .chain(memchr::memchr(0x7F, b))
            .min();
        let Some(first) = first else {
            return w.write_all(b);
        };
        let mut start = 0;
        for (i, c) in fragment[first..].char_indices() {
            if needs_escape(c) {
                let at = first + i;
                w.write_all(&b[start..at])?;
                write!(w, "\\u{:04x}", c as u32)?;
                start = at + c.len_utf8();
            }
        }
        w.write_all(&b[start..])
    }
}

fn needs_escape(c: char) -> bool {
    matches!(c, '\u{7F}'..='\u{9F}') || crate::invisible::is_bidi_control(c)
}

/// Writes `value` as one line of terminal-safe JSON.
pub fn write_json_line<W: Write, T: Serialize + ?Sized>(w: &mut W, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *w, SafeFormatter);
    value.serialize(&mut ser).map_err(io::Error::other)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_line(m: &MessageOut) -> Vec<u8> {
        let mut out = Vec::new();
        write_json_line(&mut out, m).unwrap();
        out
    }

    fn fast_line(m: &MessageOut) -> Vec<u8> {
        let mut out = Vec::new();
        m.push_ndjson(&mut out);
        out
    }

    fn message<'a>(text: &'a str, sender: Option<&'a str>, line: Option<usize>) -> MessageOut<'a> {
        MessageOut {
            id: "0123456789abcdef",
            chat: text,
            ts: "2024-01-02T03:04:05",
            sender,
            kind: Kind::Media,
            text,
            attachment: sender,
            edited: line.is_some(),
            line,
        }
    }

    #[test]
    fn push_ndjson_matches_serde() {
        for text in [
            "",
            "plain",
            "quote \" back \\ slash",
            "\n\r\t\u{8}\u{c}\u{0}\u{1b}[2J\u{7f}",
            "c1 \u{80}\u{9b}\u{9f} nbsp \u{a0} é ü",
            "bidi \u{202a}\u{202e}\u{2066}\u{2069}\u{61c}\u{200e}\u{200f} marks",
            "other E2: \u{2028}\u{2029}\u{2011}\u{202f}… “quotes” €",
            "arabic \u{600}\u{61b}\u{61d} ٢٠٢٣ emoji 👨‍👩‍👧 🇨🇦",
        ] {
            for (sender, line) in [
                (None, None),
                (Some(text), Some(0)),
                (Some("Ana"), Some(123456)),
            ] {
                let m = message(text, sender, line);
                assert_eq!(
                    String::from_utf8_lossy(&fast_line(&m)),
                    String::from_utf8_lossy(&serde_line(&m)),
                    "{text:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn push_ndjson_matches_serde_on_any_text(text in "\\PC*|[\u{0}-\u{ff}\u{2000}-\u{206f}]*", line in proptest::option::of(0usize..10_000_000)) {
            let m = message(&text, Some(&text), line);
            proptest::prop_assert_eq!(fast_line(&m), serde_line(&m));
        }
    }

    #[test]
    fn json_escapes_what_terminals_interpret() {
        let mut out = Vec::new();
        write_json_line(
            &mut out,
            &serde_json::json!({"t": "a\u{1b}[2J\u{9b}b\u{202E}c\u{7}"}),
        )
        .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(!s.chars().any(|c| c.is_control() && c != '\n'), "{s:?}");
        assert!(!s.contains('\u{202E}'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["t"], "a\u{1b}[2J\u{9b}b\u{202E}c\u{7}");
    }
}
