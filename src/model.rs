//! The message model of docs/formats.md: what one chat line becomes, shared by every layer.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a message is, exactly one of docs/formats.md's kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Text,
    Media,
    Deleted,
    System,
    Poll,
    Location,
    Call,
    Hidden,
    Waiting,
}

impl Kind {
    /// Every kind, in the order docs/formats.md lists them.
    pub const ALL: [Kind; 9] = [
        Kind::Text,
        Kind::Media,
        Kind::Deleted,
        Kind::System,
        Kind::Poll,
        Kind::Location,
        Kind::Call,
        Kind::Hidden,
        Kind::Waiting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Media => "media",
            Kind::Deleted => "deleted",
            Kind::System => "system",
            Kind::Poll => "poll",
            Kind::Location => "location",
            Kind::Call => "call",
            Kind::Hidden => "hidden",
            Kind::Waiting => "waiting",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// A small stable number, used where a kind is stored as a fast field.
    pub fn code(self) -> u64 {
        Kind::ALL.iter().position(|k| *k == self).unwrap_or(0) as u64
    }

    pub fn from_code(code: u64) -> Kind {
        Kind::ALL.get(code as usize).copied().unwrap_or(Kind::Text)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One message, as the archive stores it and every command prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Stable 16-hex-digit identity: the same on every re-import of the same message.
    pub id: String,
    pub chat: String,
    /// Local wall-clock time as written in the export, `YYYY-MM-DDTHH:MM:SS`.
    pub ts: String,
    pub sender: Option<String>,
    pub kind: Kind,
    pub text: String,
    pub attachment: Option<String>,
    pub edited: bool,
}

/// The id of a message: a keyless 64-bit hash of what identifies it, in hex.
///
/// `occurrence` tells apart identical messages (same chat, time, sender and text) so that
/// each is kept with its multiplicity, while re-importing the same export maps every one of
/// them to the same id again.
pub fn message_id(
    chat: &str,
    ts: &str,
    sender: Option<&str>,
    text: &str,
    attachment: Option<&str>,
    occurrence: u32,
) -> String {
    let id = id_from_content(content_hash(chat, ts, sender, text, attachment), occurrence);
    hex_id(id).as_str().to_string()
}

/// The hash of a message's content, before its occurrence number is mixed in.
pub fn content_hash(
    chat: &str,
    ts: &str,
    sender: Option<&str>,
    text: &str,
    attachment: Option<&str>,
) -> u64 {
    let mut h = StableHasher::new();
    h.write(chat.as_bytes());
    h.write(ts.as_bytes());
    h.write(sender.unwrap_or("\u{0}").as_bytes());
    h.write(text.as_bytes());
    h.write(attachment.unwrap_or("\u{0}").as_bytes());
    h.finish()
}

/// The id of the `occurrence`-th message (from 0) with this content.
pub fn id_from_content(content: u64, occurrence: u32) -> u64 {
    let mut h = StableHasher::new();
    h.write(&content.to_le_bytes());
    h.write(&occurrence.to_le_bytes());
    h.finish()
}

/// Keys that are already good 64-bit hashes (message ids) need no second hashing.
#[derive(Clone, Copy, Default)]
pub struct PreHashed;

impl std::hash::BuildHasher for PreHashed {
    type Hasher = PreHasher;
    fn build_hasher(&self) -> PreHasher {
        PreHasher(0)
    }
}

pub struct PreHasher(u64);

impl std::hash::Hasher for PreHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// The 16 lowercase hex digits of an id, on the stack.
#[derive(Clone, Copy)]
pub struct HexId([u8; 16]);

pub fn hex_id(id: u64) -> HexId {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 16];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = HEX[((id >> (60 - 4 * i)) & 0xF) as usize];
    }
    HexId(out)
}

impl HexId {
    /// The digits as a `&str`.
    pub fn as_str(&self) -> &str {
        // Checking 16 bytes costs under 5 % of `parse` (issue 16's measurement, see
        // docs/performance.md): not worth an `unsafe`.
        std::str::from_utf8(&self.0).expect("`hex_id` writes only digits from an ASCII table")
    }
}

/// A small, fixed (never seeded, never changed) 64-bit hash: ids must stay identical across
/// runs, machines and versions, which `std`'s hashers do not promise.
pub struct StableHasher {
    state: u64,
}

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

impl StableHasher {
    pub fn new() -> Self {
        StableHasher {
            state: 0x243F_6A88_85A3_08D3,
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        // The length goes in too, so "ab"+"c" and "a"+"bc" differ.
        self.mix(u64::from_le_bytes(word) ^ ((bytes.len() as u64) << 56));
    }

    fn mix(&mut self, v: u64) {
        self.state = (self.state ^ v).wrapping_mul(MUL).rotate_left(29);
    }

    pub fn finish(&self) -> u64 {
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Default for StableHasher {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_never_change() {
        // Ids are stored in archives: this value must hold forever.
        assert_eq!(
            message_id("Family", "2024-01-01T10:00:00", Some("Ana"), "hi", None, 0),
            message_id("Family", "2024-01-01T10:00:00", Some("Ana"), "hi", None, 0)
        );
        assert_eq!(
            message_id("Family", "2024-01-01T10:00:00", Some("Ana"), "hi", None, 0),
            GOLDEN_ID
        );
    }

    #[test]
    fn ids_are_stable_and_distinguish_fields() {
        let a = message_id("Chat", "2024-01-01T10:00:00", Some("Ana"), "hi", None, 0);
        assert_eq!(a.len(), 16);
        assert_eq!(hex_id(0x0123_4567_89ab_cdef).as_str(), "0123456789abcdef");
        assert_eq!(
            a,
            message_id("Chat", "2024-01-01T10:00:00", Some("Ana"), "hi", None, 0)
        );
        assert_ne!(
            a,
            message_id("Chat", "2024-01-01T10:00:00", Some("Ana"), "hi", None, 1)
        );
        assert_ne!(
            a,
            message_id("Chat", "2024-01-01T10:00:00", Some("Ana"), "hi!", None, 0)
        );
        assert_ne!(
            message_id("ab", "c", None, "", None, 0),
            message_id("a", "bc", None, "", None, 0)
        );
    }

    const GOLDEN_ID: &str = "168d99179604e267";

    #[test]
    fn kind_codes_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), k);
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }
}
