//! Shared by the privacy tests (`tests/privacy*.rs`): the real binary in a temp data dir,
//! fixtures under export names, a canary export, byte scans, file modes and a small
//! RFC 4180 reader.
#![allow(dead_code)] // each test binary uses a part of it

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_whatscope");

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

pub fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .expect("fixture")
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// A temp dir holding a data dir (`data/`, made by the binary) and inputs (`in/`).
pub struct Env {
    pub tmp: TempDir,
}

impl Default for Env {
    fn default() -> Self {
        Env::new()
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Writes an input under `in/` and returns its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let dir = self.tmp.path().join("in");
        fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join(name);
        fs::write(&path, bytes).expect("write input");
        path
    }

    /// Fixtures 01, 04, 15 and the canary export, under export names.
    pub fn inputs(&self) -> Vec<PathBuf> {
        vec![
            self.write(HIKING_TXT, &fixture("01_android_en_gb_24h_group.txt")),
            self.write(BOOK_TXT, &fixture("04_ios_en_us_12h_nnbsp_2024.txt")),
            self.write(REUNION_TXT, &fixture("15_ios_legacy_2016_colon.txt")),
            self.write(ZELDA_TXT, ZELDA.as_bytes()),
        ]
    }

    /// An archive of [`Env::inputs`].
    pub fn archive() -> Env {
        let env = Env::new();
        let inputs = env.inputs();
        let mut args = vec!["import"];
        args.extend(inputs.iter().map(|p| s(p)));
        env.ok(&args);
        env
    }

    /// The binary with `--data-dir DATA` first, a clean environment, stdin closed.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.env_remove("WHATSCOPE_DATA_DIR")
            .env("NO_COLOR", "1")
            .arg("--data-dir")
            .arg(self.data());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run whatscope")
    }

    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "whatscope {args:?} failed: {}",
            describe(&out)
        );
        out
    }

    #[track_caller]
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "whatscope {args:?}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    #[track_caller]
    pub fn ndjson(&self, args: &[&str]) -> Vec<Value> {
        parse_ndjson(&self.ok(args).stdout)
    }

    /// Total matches of a query.
    pub fn total(&self, query: &str) -> u64 {
        self.json(&["search", query, "--json", "--limit", "1000"])["total"]
            .as_u64()
            .expect("total")
    }

    /// Chat names as `chats --json` lists them.
    pub fn chat_names(&self) -> Vec<String> {
        self.json(&["chats", "--json"])
            .as_array()
            .expect("chats array")
            .iter()
            .map(|c| c["chat"].as_str().expect("chat").to_string())
            .collect()
    }
}

pub fn describe(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn parse_ndjson(bytes: &[u8]) -> Vec<Value> {
    std::str::from_utf8(bytes)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}")))
        .collect()
}

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
