//! The real binary on damaged and hostile input (docs/reliability.md, catalogs E and P), one test per catalog
//! case, named by its ID. Every run also checks docs/cli.md: no panic text or backtrace on stderr,
//! stderr lines are `error:`/`warning:`/`hint:` lines, and every stdout line is a message object
//! with the fields of docs/formats.md plus `line`.

use crate::support::alone;
use crate::support::bin::BIN;
use crate::support::fixtures::{noise, utf16};
use crate::support::rss::{run_measured, Measured};
use serde_json::Value;
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;
use whatscope_synth::{self as synth, LineEnding};

// ---------------------------------------------------------------------------------------------
// Running the binary

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident set of the child in KiB, where the platform reports it. On Linux this is
    /// at least this test process's own peak at spawn time (vfork shares its memory until the
    /// exec), so tests that measure it never hold large buffers themselves.
    max_rss_kib: Option<u64>,
    messages: Vec<Value>,
}

impl Run {
    fn lines_starting(&self, prefix: &str) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with(prefix))
            .collect()
    }

    fn warnings(&self) -> Vec<&str> {
        self.lines_starting("warning: ")
    }

    fn texts(&self) -> Vec<&str> {
        self.messages
            .iter()
            .map(|m| m["text"].as_str().unwrap_or_default())
            .collect()
    }

    /// Exit 1 with exactly one `error:` line and nothing on stdout.
    fn assert_failed_cleanly(&self, what: &str) {
        assert_eq!(self.code, 1, "{what}: exit code\nstderr: {}", self.stderr);
        assert_eq!(
            self.lines_starting("error: ").len(),
            1,
            "{what}: one error line\nstderr: {}",
            self.stderr
        );
        assert!(self.stdout.is_empty(), "{what}: stdout {:?}", self.stdout);
    }
}

/// Runs `whatscope ARGS…` with its data dir inside `dir`, and checks the docs/cli.md invariants
/// that hold for every run.
fn whatscope<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Run {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env("WHATSCOPE_DATA_DIR", dir.join("data"))
        .env("NO_COLOR", "1");
    let Measured {
        code,
        stdout,
        stderr,
        elapsed,
        max_rss_kib,
    } = run_measured(command);
    let stdout = String::from_utf8(stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&stderr).into_owned();

    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!stderr.contains(bad), "stderr has {bad:?}:\n{stderr}");
    }
    assert!(code >= 0, "killed by signal {}\nstderr: {stderr}", -code);
    if code != 2 {
        for line in stderr.lines().filter(|l| !l.is_empty()) {
            assert!(
                ["error: ", "warning: ", "hint: "]
                    .iter()
                    .any(|p| line.starts_with(p)),
                "stderr line is not error/warning/hint: {line:?}"
            );
        }
    }
    let messages = stdout.lines().map(check_message).collect();
    Run {
        code,
        stdout,
        stderr,
        elapsed,
        max_rss_kib,
        messages,
    }
}

/// `whatscope parse FILE --chat t EXTRA…`
fn parse(dir: &Path, file: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<&OsStr> = vec![OsStr::new("parse"), file.as_os_str()];
    args.extend([OsStr::new("--chat"), OsStr::new("t")]);
    args.extend(extra.iter().map(OsStr::new));
    whatscope(dir, &args)
}

const KINDS: [&str; 9] = [
    "text", "media", "deleted", "system", "poll", "location", "call", "hidden", "waiting",
];

/// One NDJSON line: a JSON object with docs/formats.md's fields and `line`.
fn check_message(line: &str) -> Value {
    let v: Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("stdout line not JSON ({e}): {line}"));
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {line}"));
    let id = obj["id"].as_str().unwrap_or_default();
    assert!(
        id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "id {id:?}: {line}"
    );
    assert!(
        obj["chat"].as_str().is_some_and(|c| !c.is_empty()),
        "chat: {line}"
    );
    let ts = obj["ts"].as_str().unwrap_or_default();
    assert!(
        chrono::NaiveDateTime::parse_from_str(ts, "%Y-%m-%dT%H:%M:%S").is_ok() && ts.len() == 19,
        "ts {ts:?}: {line}"
    );
    assert!(
        obj["sender"].is_string() || obj["sender"].is_null(),
        "sender: {line}"
    );
    let kind = obj["kind"].as_str().unwrap_or_default();
    assert!(KINDS.contains(&kind), "kind {kind:?}: {line}");
    if kind == "system" {
        assert!(obj["sender"].is_null(), "system with sender: {line}");
    }
    assert!(obj["text"].is_string(), "text: {line}");
    assert!(
        obj["attachment"].is_string() || obj["attachment"].is_null(),
        "attachment: {line}"
    );
    assert!(obj["edited"].is_boolean(), "edited: {line}");
    assert!(obj["line"].as_u64().is_some_and(|n| n >= 1), "line: {line}");
    v
}

// ---------------------------------------------------------------------------------------------
// Inputs

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write test input");
    path
}

/// A small Android chat with a multi-line message, a media line and an event.
const ANDROID: &str = "14/03/2023, 09:15 - Maya Lopez: Forecast looks grim.\nMight postpone.\n\nThoughts?\n14/03/2023, 09:17 - \u{202A}+44 7700 900123\u{202C}: ok 👍\n15/03/2023, 10:00 - Tom: <Media omitted>\n15/03/2023, 10:01 - Tom added Ana\n16/03/2023, 21:47 - Ana: café ☕\n";

/// The same shape from iOS: bracketed headers, U+200E marks, CRLF between messages.
const IOS: &str = "[02/06/2023, 08:01:05] Grace Okafor: hi all\r\n[02/06/2023, 08:01:30] Grace Okafor: \u{200E}image omitted\r\n[02/06/2023, 08:02:00] Kofi: two\nlines\r\n[13/06/2023, 09:16:00] Kofi: me\r\n";

fn generated(style: &synth::HeaderStyle, n: usize) -> String {
    synth::generate_export(11, n, style, LineEnding::Lf)
}

// ---------------------------------------------------------------------------------------------
// E: encoding and raw text

#[test]
fn e1_bom_first_message_parsed() {
    let tmp = TempDir::new().expect("tempdir");
    for (name, text) in [("android", ANDROID), ("ios", IOS)] {
        let plain = parse(
            tmp.path(),
            &write(tmp.path(), &format!("{name}.txt"), text.as_bytes()),
            &[],
        );
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(text.as_bytes());
        let bom = parse(
            tmp.path(),
            &write(tmp.path(), &format!("{name}-bom.txt"), &bytes),
            &[],
        );
        assert_eq!(bom.code, 0, "{}", bom.stderr);
        assert!(!bom.messages.is_empty());
        assert_eq!(
            bom.messages[0]["line"], 1,
            "{name}: first message starts on line 1"
        );
        let first_sender = bom.messages[0]["sender"].as_str().unwrap_or_default();
        assert!(
            first_sender == "Maya Lopez" || first_sender == "Grace Okafor",
            "{name}: BOM in the author: {first_sender:?}"
        );
        assert!(!bom.stdout.contains('\u{FEFF}'), "{name}: BOM leaked");
        assert_eq!(bom.stdout, plain.stdout, "{name}: BOM changes the messages");
        assert!(bom.warnings().is_empty(), "{name}: {}", bom.stderr);
    }
}

#[test]
fn e2_utf16_le_be_identical() {
    let tmp = TempDir::new().expect("tempdir");
    let texts = [
        ANDROID.to_string(),
        IOS.to_string(),
        generated(&synth::ios_en_us(), 300),
        generated(&synth::android_en_us(), 300),
    ];
    for (i, text) in texts.iter().enumerate() {
        let utf8 = parse(
            tmp.path(),
            &write(tmp.path(), &format!("{i}.txt"), text.as_bytes()),
            &[],
        );
        assert_eq!(utf8.code, 0, "{}", utf8.stderr);
        assert!(!utf8.messages.is_empty());
        for (enc, bytes) in [("le", utf16(text, false)), ("be", utf16(text, true))] {
            let run = parse(
                tmp.path(),
                &write(tmp.path(), &format!("{i}-{enc}.txt"), &bytes),
                &[],
            );
            assert_eq!(run.code, 0, "{}", run.stderr);
            assert_eq!(
                run.stdout, utf8.stdout,
                "UTF-16{enc} differs from UTF-8 (text {i})"
            );
            assert!(run.warnings().is_empty(), "{}", run.stderr);
        }
    }
}

#[test]
fn e3_bomless_utf16le_decoded_never_binary() {
    let tmp = TempDir::new().expect("tempdir");
    let utf8 = parse(
        tmp.path(),
        &write(tmp.path(), "a.txt", ANDROID.as_bytes()),
        &[],
    );
    let bytes = utf16(ANDROID, false);
    let run = parse(tmp.path(), &write(tmp.path(), "a16.txt", &bytes[2..]), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, utf8.stdout);
    assert!(
        !run.stdout.contains('\u{FFFD}'),
        "NUL-interleaved text leaked"
    );
}

#[test]
fn e4_invalid_utf8_repaired_with_line_numbers() {
    let tmp = TempDir::new().expect("tempdir");
    let mut bytes = Vec::new();
    for line in [
        &b"14/03/2023, 09:15 - Maya: fine"[..],
        b"14/03/2023, 09:16 - Tom: bad \xFF here",
        b"14/03/2023, 09:17 - Ana: fine too",
        b"14/03/2023, 09:18 - Tom: cut \xF0\x9F\x98 emoji",
        b"14/03/2023, 09:19 - Tom: overlong \xC0\xAF slash",
        b"14/03/2023, 09:20 - Tom: surrogate \xED\xA0\x80 here",
        b"14/03/2023, 09:21 - Ana: last",
    ] {
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
    }
    let run = parse(tmp.path(), &write(tmp.path(), "bad.txt", &bytes), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let texts = run.texts();
    assert_eq!(texts.len(), 7, "{}", run.stdout);
    assert_eq!(texts[0], "fine");
    assert_eq!(texts[2], "fine too");
    assert_eq!(texts[6], "last");
    for (i, (before, after)) in [
        (1, ("bad ", " here")),
        (3, ("cut ", " emoji")),
        (4, ("overlong ", " slash")),
        (5, ("surrogate ", " here")),
    ] {
        let t = texts[i];
        assert!(
            t.starts_with(before) && t.ends_with(after) && t.contains('\u{FFFD}'),
            "message {i}: {t:?}"
        );
    }
    let warning = run
        .warnings()
        .into_iter()
        .find(|w| w.contains("UTF-8"))
        .unwrap_or_else(|| panic!("no invalid-UTF-8 warning: {}", run.stderr));
    assert!(warning.contains("lines 2, 4, 5, 6"), "{warning}");
}

/// E4 for UTF-16: an unpaired surrogate is repaired and reported on its own line, also when
/// files concatenated on Windows left BOMs at the start of later lines.
#[test]
fn e4_invalid_utf16_repaired_with_line_numbers() {
    let tmp = TempDir::new().expect("tempdir");
    let mut units: Vec<u16> = vec![0xFEFF];
    units.extend(
        "14/03/2023, 09:15 - Maya: a\n\u{FEFF}14/03/2023, 09:15 - Maya: again\n".encode_utf16(),
    );
    units.extend([0xFEFF; 5]);
    units.extend("14/03/2023, 09:16 - Tom: x".encode_utf16());
    units.push(0xD800); // unpaired high surrogate, on line 3
    units.extend(" y\n14/03/2023, 09:17 - Ana: b\n14/03/2023, 09:18 - Ana: c\n".encode_utf16());
    for big_endian in [false, true] {
        let bytes: Vec<u8> = units
            .iter()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect();
        let run = parse(
            tmp.path(),
            &write(tmp.path(), &format!("cat-{big_endian}.txt"), &bytes),
            &[],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.texts(), ["a", "again", "x\u{FFFD} y", "b", "c"]);
        assert_eq!(run.messages[2]["line"], 3);
        let warnings = run.warnings();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("U+FFFD") && w.ends_with(" line 3")),
            "the repair is on line 3; warnings: {warnings:?}"
        );
    }
}

#[test]
fn e5_nul_bytes_replaced() {
    let tmp = TempDir::new().expect("tempdir");
    let text = b"14/03/2023, 09:15 - Maya: fine\n14/03/2023, 09:16 - Tom: hello\0world\n14/03/2023, 09:17 - Ana: a\0b\0c\n";
    let run = parse(tmp.path(), &write(tmp.path(), "nul.txt", text), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.texts(),
        ["fine", "hello\u{FFFD}world", "a\u{FFFD}b\u{FFFD}c"]
    );
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.contains("NUL") && w.contains("lines 2, 3")),
        "{}",
        run.stderr
    );
}

#[test]
fn e6_png_sqlite_rejected_fast() {
    let tmp = TempDir::new().expect("tempdir");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(noise(1 << 20, 1));
    let mut sqlite = b"SQLite format 3\0\x10\0\x01\x01\0@  ".to_vec();
    sqlite.extend(vec![0u8; 1 << 20]);
    let mut jpeg = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0".to_vec();
    jpeg.extend(noise(1 << 20, 2));
    // msgstore.db.crypt14: a short protobuf-ish header, then ciphertext.
    let mut crypt14 = b"\0\x01\x08\x1a\x12\x10".to_vec();
    crypt14.extend(noise(1 << 20, 3));
    for (name, bytes) in [
        ("image.txt", png),
        ("msgstore.txt", sqlite),
        ("photo.txt", jpeg),
        ("msgstore.db.crypt14.txt", crypt14),
    ] {
        let run = parse(tmp.path(), &write(tmp.path(), name, &bytes), &[]);
        run.assert_failed_cleanly(name);
        assert!(
            run.stderr.contains("not a WhatsApp text export"),
            "{name}: {}",
            run.stderr
        );
        assert!(
            run.elapsed < Duration::from_secs(2),
            "{name}: took {:?}",
            run.elapsed
        );
    }
}

/// E6 at a realistic backup size: a 128 MiB encrypted backup renamed `.txt` must be refused as
/// fast as a small one, without holding several copies of it in memory.
#[test]
fn e6_large_crypt14_rejected_fast() {
    if !alone::this_process(module_path!(), "e6_large_crypt14_rejected_fast") {
        return;
    }
    const SIZE: usize = 128 << 20;
    let tmp = TempDir::new().expect("tempdir");
    // Written in chunks: the child's peak RSS as Linux reports it includes this process's peak
    // (the child is spawned with vfork), which must stay small for the measure to mean much.
    let path = tmp.path().join("msgstore.db.crypt14.txt");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        f.write_all(b"\0\x01\x08\x1a\x12\x10").expect("write");
        for seed in 0..(SIZE >> 20) as u64 {
            f.write_all(&noise(1 << 20, seed + 4)).expect("write");
        }
        f.flush().expect("flush");
    }
    let run = parse(tmp.path(), &path, &[]);
    run.assert_failed_cleanly("crypt14");
    assert!(
        run.stderr.contains("not a WhatsApp text export"),
        "{}",
        run.stderr
    );
    let file_kib = (SIZE >> 10) as u64;
    let rss = run.max_rss_kib.unwrap_or(0);
    assert!(
        run.elapsed < Duration::from_secs(2) && rss < 2 * file_kib,
        "refusing a {file_kib} KiB binary file took {:?} and peaked at {rss} KiB resident",
        run.elapsed
    );
}

#[test]
fn e7_empty_and_whitespace_files() {
    let tmp = TempDir::new().expect("tempdir");
    let cases: [(&str, Vec<u8>); 6] = [
        ("empty.txt", Vec::new()),
        ("bom.txt", vec![0xEF, 0xBB, 0xBF]),
        ("bom16le.txt", vec![0xFF, 0xFE]),
        ("bom16be.txt", vec![0xFE, 0xFF]),
        ("spaces.txt", b"   \n\t\n\r\n  \r \n".to_vec()),
        ("bom-spaces.txt", b"\xEF\xBB\xBF\n\n".to_vec()),
    ];
    for (name, bytes) in cases {
        let run = parse(tmp.path(), &write(tmp.path(), name, &bytes), &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(run.messages.is_empty(), "{name}: {}", run.stdout);
        assert!(
            run.warnings()
                .iter()
                .any(|w| w.contains(name) && w.contains("empty")),
            "{name}: no warning: {:?}",
            run.stderr
        );
    }
    // Text but no header: also 0 messages and a warning, never a crash.
    let run = parse(
        tmp.path(),
        &write(
            tmp.path(),
            "prose.txt",
            b"Dear diary,\ntoday nothing happened.\n",
        ),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.messages.is_empty());
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.contains("no WhatsApp messages")),
        "{}",
        run.stderr
    );
    // Only system lines: they are the messages, all without sender.
    let run = parse(
        tmp.path(),
        &write(
            tmp.path(),
            "system.txt",
            "14/03/2023, 09:15 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n14/03/2023, 09:16 - Maya created group \"Trip\"\n14/03/2023, 09:16 - Maya added you\n".as_bytes(),
        ),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.messages.len(), 3);
    assert!(run
        .messages
        .iter()
        .all(|m| m["kind"] == "system" && m["sender"].is_null()));
}

#[test]
fn e8_line_endings_identical() {
    let tmp = TempDir::new().expect("tempdir");
    let texts = [
        ANDROID.to_string(),
        generated(&synth::android_en_gb(), 400),
        generated(&synth::ios_en_gb(), 400),
    ];
    for (i, lf) in texts.iter().enumerate() {
        let base = parse(
            tmp.path(),
            &write(tmp.path(), &format!("{i}-lf.txt"), lf.as_bytes()),
            &[],
        );
        assert_eq!(base.code, 0, "{}", base.stderr);
        let mut mixed = String::with_capacity(lf.len() * 2);
        for (k, part) in lf.split('\n').enumerate() {
            if k > 0 {
                // A lone CR right before an LF or a CRLF would make one line end out of two
                // (`CR CR LF` is one line break, as old exports write it).
                let end = match ["\n", "\r\n", "\r"][k % 3] {
                    "\n" | "\r\n" if mixed.ends_with('\r') => "\r",
                    end => end,
                };
                mixed.push_str(end);
            }
            mixed.push_str(part);
        }
        for (name, text) in [
            ("crlf", lf.replace('\n', "\r\n")),
            ("cr", lf.replace('\n', "\r")),
            ("mixed", mixed),
        ] {
            let run = parse(
                tmp.path(),
                &write(tmp.path(), &format!("{i}-{name}.txt"), text.as_bytes()),
                &[],
            );
            assert_eq!(run.code, 0, "{}", run.stderr);
            assert_eq!(run.stdout, base.stdout, "{name} differs from LF (text {i})");
            for m in &run.messages {
                for field in ["text", "sender", "attachment"] {
                    let v = m[field].as_str().unwrap_or_default();
                    assert!(!v.contains('\r'), "{name}: CR in {field}: {v:?}");
                }
            }
        }
    }
}

#[test]
fn e9_truncated_last_line_kept() {
    let tmp = TempDir::new().expect("tempdir");
    // No final newline.
    let run = parse(
        tmp.path(),
        &write(
            tmp.path(),
            "nonl.txt",
            b"14/03/2023, 09:15 - Maya: hi\n14/03/2023, 09:16 - Tom: last words",
        ),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.texts(), ["hi", "last words"]);

    // Cut in the middle of a UTF-8 sequence (`café` without its last byte).
    let run = parse(
        tmp.path(),
        &write(
            tmp.path(),
            "cututf8.txt",
            b"14/03/2023, 09:15 - Maya: hi\n14/03/2023, 09:16 - Tom: caf\xC3",
        ),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.texts(), ["hi", "caf\u{FFFD}"]);
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.contains("UTF-8") && w.contains("line 2")),
        "{}",
        run.stderr
    );

    // Cut in the middle of a header: the partial line is kept, as text of the message before.
    for (name, tail) in [
        ("cuthdr.txt", "31/12/2022, 23:"),
        ("cuthdr2.txt", "31/12/2022, 23:59 -"),
        ("cuthdr3.txt", "[31/12/2022, 23:59:"),
    ] {
        let text = format!("31/12/2022, 23:58 - Maya: hi\n{tail}");
        let run = parse(tmp.path(), &write(tmp.path(), name, text.as_bytes()), &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let all: String = run.messages.iter().map(|m| m.to_string()).collect();
        assert!(
            run.messages.len() <= 2 && !run.messages.is_empty(),
            "{name}: {}",
            run.stdout
        );
        assert_eq!(
            run.messages[0]["text"]
                .as_str()
                .map(|t| t.starts_with("hi")),
            Some(true)
        );
        // NO-LOSS: what was written is either the continuation of `hi` or a message of its own.
        let kept = run.texts()[0].ends_with(tail) || run.messages.len() == 2;
        assert!(kept, "{name}: the cut header was lost: {all}");
    }
}

#[test]
fn e10_100mb_line_rejected_with_limit_named() {
    if !alone::this_process(module_path!(), "e10_100mb_line_rejected_with_limit_named") {
        return;
    }
    const SIZE: usize = 100 << 20;
    let tmp = TempDir::new().expect("tempdir");
    let path = tmp.path().join("long.txt");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        f.write_all(b"14/03/2023, 09:15 - Maya: ").expect("write");
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..SIZE >> 20 {
            f.write_all(&chunk).expect("write");
        }
        f.flush().expect("flush");
    }
    let run = parse(tmp.path(), &path, &[]);
    run.assert_failed_cleanly("100 MB line");
    let error = run.lines_starting("error: ")[0];
    assert!(
        error.contains("line 1") && error.contains("1048576"),
        "the error names neither the line nor the limit: {error}"
    );
    assert!(
        run.stderr.contains("--max-line-kib"),
        "no hint naming the flag: {}",
        run.stderr
    );
    assert!(
        run.elapsed < Duration::from_secs(5),
        "took {:?}",
        run.elapsed
    );
    if let Some(rss) = run.max_rss_kib {
        let file_kib = (SIZE >> 10) as u64;
        assert!(
            rss < 2 * file_kib,
            "peaked at {rss} KiB for a {file_kib} KiB file"
        );
    }

    // The flag moves the limit: a 2 MiB line is refused by default and read with 4 MiB.
    let mut text = b"14/03/2023, 09:15 - Maya: ".to_vec();
    text.extend(vec![b'y'; 2 << 20]);
    text.extend_from_slice(b"\n14/03/2023, 09:16 - Tom: ok\n");
    let path = write(tmp.path(), "two.txt", &text);
    parse(tmp.path(), &path, &[]).assert_failed_cleanly("2 MiB line");
    let run = parse(tmp.path(), &path, &["--max-line-kib", "4096"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.messages.len(), 2);
    assert_eq!(run.texts()[0].len(), 2 << 20);
}

#[test]
fn e12_unicode_separators_are_not_line_breaks() {
    let tmp = TempDir::new().expect("tempdir");
    let text = "14/03/2023, 09:15 - Maya: one\u{2028}two\u{2029}three\u{0085}four\u{000B}five\u{000C}six\n14/03/2023, 09:16 - Tom: ok\n";
    let run = parse(
        tmp.path(),
        &write(tmp.path(), "seps.txt", text.as_bytes()),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.texts(),
        [
            "one\u{2028}two\u{2029}three\u{0085}four\u{000B}five\u{000C}six",
            "ok"
        ]
    );
    assert_eq!(run.messages[1]["line"], 2);
}

// ---------------------------------------------------------------------------------------------
// P: parsing, dates and structure

#[test]
fn p3_impossible_dates_kept_as_text_with_warning() {
    let tmp = TempDir::new().expect("tempdir");
    let impossible = [
        "30/02/2021, 10:00 - Bob: thirtieth of February",
        "31/04/2021, 10:00 - Bob: thirty-first of April",
        "29/02/2023, 10:00 - Bob: not a leap year",
        "00/01/2020, 10:00 - Bob: day zero",
        "32/01/2020, 10:00 - Bob: day 32",
        "14/01/2021, 24:00 - Bob: hour 24",
        "14/01/2021, 12:60 - Bob: minute 60",
    ];
    let mut text = String::from("13/01/2021, 10:00 - Ana: one\n");
    for l in impossible {
        text.push_str(l);
        text.push('\n');
    }
    text.push_str("14/01/2021, 11:00 - Ana: two\n");
    let run = parse(
        tmp.path(),
        &write(tmp.path(), "dates.txt", text.as_bytes()),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let texts = run.texts();
    assert_eq!(texts.len(), 2, "{}", run.stdout);
    assert_eq!(texts[0], format!("one\n{}", impossible.join("\n")));
    assert_eq!(texts[1], "two");
    assert_eq!(run.messages[1]["line"], 9);
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.contains("lines 2, 3, 4, 5, 6, 7, 8") && w.contains("impossible")),
        "{}",
        run.stderr
    );
}

#[test]
fn p11_junk_before_first_header_reported() {
    let tmp = TempDir::new().expect("tempdir");
    let text = "Some junk\n\nmore junk: 12/12/2020\n14/03/2023, 09:15 - Maya: hi\n15/03/2023, 09:15 - Tom: yo\n";
    let run = parse(
        tmp.path(),
        &write(tmp.path(), "junk.txt", text.as_bytes()),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.texts(), ["hi", "yo"]);
    assert_eq!(run.messages[0]["line"], 4);
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.contains("lines 1, 3") && w.contains("before the first message")),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Files that are not there or not what they claim, and bad flags

#[test]
fn truncated_or_corrupt_zip_rejected_with_clear_error() {
    let tmp = TempDir::new().expect("tempdir");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/56_android_zip_with_media.zip");
    let zip = std::fs::read(&fixture).expect("read fixture zip");
    let whole = parse(tmp.path(), &fixture, &[]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    assert!(!whole.messages.is_empty());

    let mut corrupt = zip.clone();
    for b in &mut corrupt[80..zip.len().min(400)] {
        *b = 0x55;
    }
    let mut cases: Vec<(String, Vec<u8>)> = [4, 30, zip.len() / 2, zip.len() - 10]
        .into_iter()
        .map(|n| (format!("cut{n}.zip"), zip[..n].to_vec()))
        .collect();
    cases.push(("corrupt.zip".into(), corrupt));
    let mut header_only = b"PK\x03\x04".to_vec();
    header_only.extend(noise(4096, 5));
    cases.push(("garbage.zip".into(), header_only));
    cases.push(("noise.zip".into(), noise(4096, 6)));
    for (name, bytes) in cases {
        let run = parse(tmp.path(), &write(tmp.path(), &name, &bytes), &[]);
        run.assert_failed_cleanly(&name);
        let error = run.lines_starting("error: ")[0];
        assert!(
            error.contains(&name),
            "{name}: error does not name the file: {error}"
        );
        assert!(
            error.contains("zip") || error.contains("not a WhatsApp text export"),
            "{name}: unclear error: {error}"
        );
    }
}

#[test]
fn missing_path_is_an_error() {
    let tmp = TempDir::new().expect("tempdir");
    let path = tmp.path().join("no such export.txt");
    let run = parse(tmp.path(), &path, &[]);
    run.assert_failed_cleanly("missing");
    assert!(
        run.lines_starting("error: ")[0].contains("no such export.txt"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_date_order_is_a_usage_error() {
    let tmp = TempDir::new().expect("tempdir");
    let path = write(tmp.path(), "a.txt", ANDROID.as_bytes());
    let run = parse(tmp.path(), &path, &["--date-order", "xyz"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.starts_with("error:"), "{}", run.stderr);
    assert!(run.stderr.contains("xyz"), "{}", run.stderr);
    // The valid spellings still work.
    for order in ["dmy", "MDY", "ymd"] {
        let run = parse(tmp.path(), &path, &["--date-order", order]);
        assert_eq!(run.code, 0, "{order}: {}", run.stderr);
    }
}

/// An Android export of `n` generated messages in a fresh directory.
fn big_export(n: usize) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().expect("tempdir");
    let text = generated(&synth::android_en_gb(), n);
    let path = write(tmp.path(), "big.txt", text.as_bytes());
    (tmp, path)
}

/// A full disk behind standard output: one line naming what failed, a hint, exit 1; on the
/// two-thread path too (a file of more than 50 000 messages).
#[cfg(target_os = "linux")]
#[test]
fn output_to_a_full_disk_is_reported() {
    let (tmp, path) = big_export(60_000);
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = Command::new(BIN)
        .args([OsStr::new("parse"), path.as_os_str()])
        .env("WHATSCOPE_DATA_DIR", tmp.path().join("data"))
        .stdout(full)
        .output()
        .expect("run whatscope");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: cannot write the output: "),
        "{stderr}"
    );
    assert!(stderr.contains("\nhint: "), "{stderr}");
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
}

/// `whatscope parse big.txt | head -1`: the reader goes away after one line; whatscope stops
/// quietly with status 0 on the two-thread path.
#[test]
fn a_closed_pipe_ends_parse_quietly() {
    let (tmp, path) = big_export(120_000);
    let mut child = Command::new(BIN)
        .args([OsStr::new("parse"), path.as_os_str()])
        .env("WHATSCOPE_DATA_DIR", tmp.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn whatscope");
    let mut first = String::new();
    {
        let stdout = child.stdout.take().expect("stdout");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut first)
            .expect("one line");
    }
    let out = child.wait_with_output().expect("wait");
    assert!(first.starts_with("{\"id\":"), "{first}");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The largest `--max-text-mib` a user can type still reads the file (it once wrapped around to
/// a limit of zero and called the file empty).
#[test]
fn the_largest_text_limit_still_reads_the_file() {
    let tmp = TempDir::new().expect("tempdir");
    let path = write(tmp.path(), "a.txt", ANDROID.as_bytes());
    let run = parse(
        tmp.path(),
        &path,
        &["--max-text-mib", &u64::MAX.to_string()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.messages.len(), 5, "{}", run.stderr);
}
