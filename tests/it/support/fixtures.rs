//! Inputs: the files of `tests/fixtures` and the canary export with the names, numbers and
//! addresses no anonymized output may hold.

use std::fs;
use std::path::{Path, PathBuf};

pub const HIKING_TXT: &str = "WhatsApp Chat with Hiking Crew.txt";
pub const BOOK_TXT: &str = "WhatsApp Chat - Book Club 📚.txt";
pub const REUNION_TXT: &str = "WhatsApp Chat with Reunion.txt";
/// A 1:1 chat: its name is the other person's.
pub const ZELDA_TXT: &str = "WhatsApp Chat with Zelda Quintero.txt";

/// Canaries: names, numbers and addresses that appear nowhere else, so a byte scan is a
/// reliable oracle (docs/reliability.md). Precision items must survive anonymization.
pub const ZELDA: &str = "05/01/2024, 10:00 - Zelda Quintero: Hi! my mail is zelda.quintero@example.org and my cell +55 11 98765-4321
05/01/2024, 10:01 - Olwen Harcourt: Thanks Zelda, mine is olwen (at) example (dot) net, call 0151 23456789
05/01/2024, 10:02 - Zelda Quintero: ZELDA.Q@EXAMPLE.COM works too; Olwen's old number was (030) 123 4567
05/01/2024, 10:03 - Olwen Harcourt: +44 7700 900456.vcf (file attached)
05/01/2024, 10:04 - Zelda Quintero: IMG-20240105-WA0001.jpg (file attached)
05/01/2024, 10:05 - Olwen Harcourt: @4915123456789 meeting on 14/03/2024 at 09:12, costs 1.299,00 €
05/01/2024, 10:06 - Zelda Quintero: zelda_quintero_cv.pdf (file attached)
CV attached, ring me on 07700 900789 or tel:+33612345678
05/01/2024, 10:07 - Olwen Harcourt: ask tomás, or MAYA, or jun — and Hannah’s brother
";

/// What no anonymized output may hold: every participant's name (whole, first and last
/// names), phone numbers in several spellings, e-mail addresses (and their local parts).
///
/// Not listed, on purpose: names of people who never wrote in the archive ("it's Priya",
/// "This is Dev" in fixtures 01 and 15) — a known gap, see `privacy::redact`.
pub const CANARIES: &[&str] = &[
    // fixture 01
    "Maya",
    "Lopez",
    "Tomás",
    "Tomas",
    "Jonas",
    "Becker",
    "7700 900123",
    "7700\u{a0}900123",
    "7700900123",
    // fixture 04
    "Rita",
    "Alves",
    "Lena Park",
    "Lena",
    "Jun",
    // fixture 15
    "Nadia",
    "Brooks",
    "Hannah",
    "Cole",
    "010-4477",
    "010\u{2011}4477",
    "0104477",
    "5550104477",
    // canary export (digit canaries are 7+ characters or hold a separator, so that hex ids
    // cannot hold one by chance)
    "Zelda",
    "Quintero",
    "Olwen",
    "Harcourt",
    "zelda.quintero",
    "example.org",
    "ZELDA.Q",
    "EXAMPLE.COM",
    "olwen (at)",
    "98765-4321",
    "987654321",
    "23456789",
    "123 4567",
    "7700 900456",
    "7700900456",
    "4915123456789",
    "07700 900789",
    "7700900789",
    "612345678",
];

/// Parts of the canary export an anonymized output must keep (dates, times, prices).
pub const KEEP: &[&str] = &[
    "14/03/2024",
    "09:12",
    "1.299,00 €",
    "IMG-20240105-WA0001.jpg",
];

/// The path of a file of `tests/fixtures`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn fixture(name: &str) -> Vec<u8> {
    fs::read(fixture_path(name)).expect("fixture")
}

/// `text` as UTF-16 with its byte-order mark, little- or big-endian.
pub fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// Deterministic high-entropy bytes (xorshift64*), standing in for encrypted backups.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        out.extend_from_slice(&x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}
