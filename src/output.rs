//! Writing for people and programs: JSON that can never carry a raw control character to a
//! terminal, and the message shape every NDJSON command prints.

use crate::model::Kind;
use serde::Serialize;
use std::io::{self, Write};

/// A message as `parse`, `log --json` and `export` print it (SPEC §2, plus `line` for `parse`).
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
    matches!(c, '\u{7F}'..='\u{9F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{200E}' | '\u{200F}')
}

/// Writes `value` as one line of terminal-safe JSON.
pub fn write_json_line<W: Write, T: Serialize + ?Sized>(w: &mut W, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *w, SafeFormatter);
    value.serialize(&mut ser).map_err(io::Error::other)?;
    w.write_all(b"\n")
}

/// Writes `value` as pretty-printed JSON (for single objects such as reports).
pub fn write_json_pretty<W: Write, T: Serialize + ?Sized>(w: &mut W, value: &T) -> io::Result<()> {
    // Pretty printing and escaping both live in the formatter; go through a Value-free path by
    // writing compact-safe JSON, which tools and people read equally well.
    write_json_line(w, value)
}

#[cfg(test)]
mod tests {
    use super::*;

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
