//! What tests check on disk and in output bytes: byte scans for canaries, file trees, the
//! private modes of docs/privacy.md, and a strict RFC 4180 reader for CSV exports.

use std::fs;
use std::path::{Path, PathBuf};

/// The needles found in `bytes` (exact bytes, and lowercased ASCII for ASCII needles).
pub fn found<'a>(bytes: &[u8], needles: &[&'a str]) -> Vec<&'a str> {
    let lower = bytes.to_ascii_lowercase();
    needles
        .iter()
        .copied()
        .filter(|n| {
            let n_bytes = n.as_bytes();
            contains(bytes, n_bytes)
                || (n.is_ascii() && contains(&lower, n.to_ascii_lowercase().as_bytes()))
        })
        .collect()
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("list").flatten() {
            let p = entry.path();
            if entry.file_type().expect("type").is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

/// docs/privacy.md: the data dir and every folder in it `0700`, every file `0600`.
#[cfg(unix)]
#[track_caller]
pub fn assert_private(dir: &Path) {
    assert_eq!(mode(dir), 0o700, "{} is {:o}", dir.display(), mode(dir));
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("list").flatten() {
            let p = entry.path();
            if entry.file_type().expect("type").is_dir() {
                assert_eq!(mode(&p), 0o700, "{} is {:o}", p.display(), mode(&p));
                stack.push(p);
            } else {
                assert_eq!(mode(&p), 0o600, "{} is {:o}", p.display(), mode(&p));
            }
        }
    }
}

#[cfg(not(unix))]
pub fn assert_private(_dir: &Path) {}

/// A strict RFC 4180 reader: records of fields, quoted fields may hold `,`, CR, LF and
/// doubled quotes; records end in CRLF (or LF). Panics on malformed input.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    match chars.peek() {
                        Some(',') | Some('\r') | Some('\n') | None => {}
                        other => panic!("text after a closing quote: {other:?}"),
                    }
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            '"' => panic!("a quote inside an unquoted field"),
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
            }
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
            }
            c => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    assert!(!quoted, "unterminated quoted field");
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Copies a folder tree (a fixture archive into a test's data dir).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture");
        }
    }
}
