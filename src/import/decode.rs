//! Bytes to text: BOM sniffing, UTF-16/32, lossy UTF-8 with the lines it had to repair, NUL
//! bytes, and the magic numbers of files people mistake for exports (docs/reliability.md).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Utf32Le,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Utf32Le => "UTF-32LE",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    /// 1-based lines where invalid bytes were replaced by U+FFFD.
    pub repaired_lines: Vec<usize>,
    /// 1-based lines where NUL bytes were replaced by U+FFFD.
    pub nul_lines: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("this is {0}, not a WhatsApp text export")]
    NotText(&'static str),
}

const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"SQLite format 3\0", "an SQLite database (a msgstore.db?)"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"RIFF", "a RIFF (WebP/WAV) file"),
    (b"OggS", "an Ogg audio file"),
    (b"\x7FELF", "an executable"),
];

/// Bytes of a file's start that decide whether it is text: [`decode`] judges the first 64 KiB
/// after a UTF-8 BOM, so a reader that samples this much first decides the same, and can stop
/// reading an endless or huge binary source (`/dev/urandom`) at once.
pub const SAMPLE_BYTES: usize = 65536 + 3;

/// What the start of a file is when it cannot be a text export, judged as [`decode`] judges
/// the whole file (from at least [`SAMPLE_BYTES`] of it, or all of a shorter one).
pub fn not_text(start: &[u8]) -> Option<&'static str> {
    for (magic, what) in MAGIC {
        if start.starts_with(magic) {
            return Some(what);
        }
    }
    if start.len() >= 12 && &start[4..8] == b"ftyp" {
        return Some("an MP4/MOV video");
    }
    let wide = start.starts_with(&[0xFF, 0xFE]) || start.starts_with(&[0xFE, 0xFF]);
    if wide || sniff_bomless_utf16(start).is_some() {
        return None;
    }
    let text = start.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(start);
    looks_binary(&text[..text.len().min(65536)])
}

/// Decodes an export's bytes. Never fails on text, however damaged; fails only on data that is
/// clearly not text, so that nothing binary reaches the index.
pub fn decode(mut bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Err(DecodeError::NotText(what));
        }
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Err(DecodeError::NotText("an MP4/MOV video"));
    }

    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Ok(from_wide(&bytes[4..], Encoding::Utf32Le));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Ok(from_wide(&bytes[2..], Encoding::Utf16Le));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok(from_wide(&bytes[2..], Encoding::Utf16Be));
    }
    if let Some(enc) = sniff_bomless_utf16(&bytes) {
        return Ok(from_wide(&bytes, enc));
    }

    let encoding = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        Encoding::Utf8Bom
    } else {
        Encoding::Utf8
    };

    // Decide on a sample before touching the whole file: a large binary is refused at once,
    // without copies.
    if let Some(what) = looks_binary(&bytes[..bytes.len().min(65536)]) {
        return Err(DecodeError::NotText(what));
    }
    let mut nul_lines = Vec::new();
    if memchr::memchr(0, &bytes).is_some() {
        let nuls = memchr::memchr_iter(0, &bytes).count();
        nul_lines = lines_of(&bytes, memchr::memchr_iter(0, &bytes));
        let mut out = Vec::with_capacity(bytes.len() + nuls * 2);
        for b in &bytes {
            if *b == 0 {
                out.extend_from_slice("\u{FFFD}".as_bytes());
            } else {
                out.push(*b);
            }
        }
        bytes = out;
    }

    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding,
            repaired_lines: Vec::new(),
            nul_lines,
        }),
        Err(err) => {
            let bytes = err.into_bytes();
            let bad = invalid_offsets(&bytes);
            let repaired_lines = lines_of(&bytes, bad.into_iter());
            Ok(Decoded {
                text: String::from_utf8_lossy(&bytes).into_owned(),
                encoding,
                repaired_lines,
                nul_lines,
            })
        }
    }
}

fn from_wide(bytes: &[u8], encoding: Encoding) -> Decoded {
    let mut text = String::with_capacity(bytes.len());
    // Byte offsets in `text` where something was repaired.
    let mut repaired = Vec::new();
    let mut nuls = Vec::new();
    let mut push = |text: &mut String, c: Option<char>| match c {
        // A BOM repeated inside (files concatenated on Windows) is no content.
        Some('\u{FEFF}') => {}
        Some('\0') => {
            nuls.push(text.len());
            text.push('\u{FFFD}');
        }
        Some(c) => text.push(c),
        None => {
            repaired.push(text.len());
            text.push('\u{FFFD}');
        }
    };
    match encoding {
        Encoding::Utf32Le => {
            for c in bytes.chunks(4) {
                let mut word = [0u8; 4];
                word[..c.len()].copy_from_slice(c);
                push(&mut text, char::from_u32(u32::from_le_bytes(word)));
            }
        }
        _ => {
            let units = bytes.chunks(2).map(|c| {
                let pair = [c[0], c.get(1).copied().unwrap_or(0)];
                if encoding == Encoding::Utf16Be {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            });
            for r in char::decode_utf16(units) {
                push(&mut text, r.ok());
            }
        }
    }
    let repaired_lines = lines_of(text.as_bytes(), repaired.into_iter());
    let nul_lines = lines_of(text.as_bytes(), nuls.into_iter());
    Decoded {
        text,
        encoding,
        repaired_lines,
        nul_lines,
    }
}

/// UTF-16 without a BOM shows up as ASCII interleaved with NULs (docs/reliability.md, E3).
fn sniff_bomless_utf16(bytes: &[u8]) -> Option<Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    if odd_nul * 10 >= pairs * 7 && even_nul * 10 < pairs {
        Some(Encoding::Utf16Le)
    } else if even_nul * 10 >= pairs * 7 && odd_nul * 10 < pairs {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// What a sample of bytes is when it cannot be text: many NULs, or many invalid sequences.
fn looks_binary(sample: &[u8]) -> Option<&'static str> {
    let nuls = memchr::memchr_iter(0, sample).count();
    if nuls >= 16 && nuls * 20 > sample.len() {
        return Some("binary data (full of NUL bytes)");
    }
    let mut invalid = 0;
    let mut at = 0;
    while at < sample.len() {
        match std::str::from_utf8(&sample[at..]) {
            Ok(_) => break,
            Err(e) => match e.error_len() {
                Some(len) => {
                    invalid += 1;
                    at += e.valid_up_to() + len;
                }
                // Cut mid-character by the sample's end: not evidence.
                None => break,
            },
        }
    }
    (invalid >= 16 && invalid * 10 > sample.len() / 8)
        .then_some("binary data (not UTF-8 or UTF-16 text)")
}

fn invalid_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match std::str::from_utf8(&bytes[at..]) {
            Ok(_) => break,
            Err(e) => {
                let bad = at + e.valid_up_to();
                out.push(bad);
                at = bad + e.error_len().unwrap_or(bytes.len() - bad).max(1);
            }
        }
    }
    out
}

/// 1-based line numbers (LF, CRLF, CR CR LF or CR ends a line, as `lines::for_each_line`
/// counts them) of ascending byte offsets, deduplicated.
pub fn lines_of(bytes: &[u8], offsets: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut line = 1;
    let mut pos = 0;
    for offset in offsets {
        while pos < offset.min(bytes.len()) {
            match bytes[pos] {
                b'\n' => line += 1,
                // A CR before LF or before `CR LF` is part of that one line end.
                b'\r'
                    if bytes.get(pos + 1) != Some(&b'\n')
                        && bytes.get(pos + 1..pos + 3) != Some(b"\r\n") =>
                {
                    line += 1
                }
                _ => {}
            }
            pos += 1;
        }
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_wide_encodings() {
        let s = "14/03/2023, 09:15 - Maya: héllo 👋\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(le.clone()).unwrap().text, s);
        assert_eq!(decode(be).unwrap().text, s);
        assert_eq!(decode(le[2..].to_vec()).unwrap().text, s);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        let d = decode(bom).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (s, Encoding::Utf8Bom));
    }

    #[test]
    fn invalid_utf8_is_repaired_with_line_numbers() {
        let bytes = b"line one\nbad \xFF here\r\r\nok\rbad \xC0\xAF too\n".to_vec();
        let d = decode(bytes).unwrap();
        assert_eq!(d.repaired_lines, vec![2, 4]);
        assert!(d.text.contains("bad \u{FFFD} here"));
    }

    #[test]
    fn binary_files_are_refused() {
        assert!(decode(b"\x89PNG\r\n\x1a\nxxxx".to_vec()).is_err());
        assert!(decode(b"SQLite format 3\0....".to_vec()).is_err());
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(decode(noise.clone()).is_err());
        assert!(not_text(&noise).is_some());
        assert_eq!(not_text(b"05/01/2024, 10:00 - Ann: hi\n"), None);
    }

    #[test]
    fn stray_nul_is_replaced() {
        let d = decode(b"a\nb\0c\n".to_vec()).unwrap();
        assert_eq!(d.nul_lines, vec![2]);
        assert_eq!(d.text, "a\nb\u{FFFD}c\n");
    }
}
