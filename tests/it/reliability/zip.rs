//! Zip archives (docs/reliability.md, Z1–Z15) through the real binary, plus F2 as a
//! proptest over mutated zips: hostile names, symlinks, bombs, lying sizes, encryption,
//! odd compression, inconsistent headers and files that only pretend to be zips.
//!
//! whatscope never unpacks a zip: it decompresses the chat text into memory and lists the
//! other entries by name. So the "nothing written" checks compare the whole temp tree before
//! and after an import, and everything outside the data dir must be untouched.

use crate::support::alone;
use crate::support::bin::{s, BIN};
use crate::support::fixtures::noise;
use crate::support::rss::{run_measured, Measured};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;
use tempfile::TempDir;
use whatscope::import::source::{self, Limits, SourceError};

// ---------------------------------------------------------------------------------------------
// Inputs

/// Two ordinary Android messages.
const CHAT: &str = "14/03/2023, 09:15 - Maya: hello from the real chat\n\
                    14/03/2023, 09:16 - Tom: second real message\n";

/// A chat whose every message says EVIL: if any of it is read, a hostile entry was used.
const EVIL_CHAT: &str = "14/03/2023, 09:15 - Eve: EVIL\n14/03/2023, 09:16 - Eve: EVIL again\n";

/// One entry of a hand-made zip, for what `zip::ZipWriter` refuses to write (duplicate names,
/// `..` names, encryption flags, unknown methods, disagreeing headers).
#[derive(Clone)]
struct Raw {
    name: Vec<u8>,
    /// The local header's name when it should differ from the central directory's.
    local_name: Option<Vec<u8>>,
    /// The bytes as stored (not compressed here: `method` only labels them).
    data: Vec<u8>,
    method: u16,
    flags: u16,
    crc: u32,
    /// Declared uncompressed size in the central directory.
    size: u32,
    /// Declared uncompressed size in the local header, when it should differ.
    local_size: Option<u32>,
    unix_mode: Option<u32>,
    extra: Vec<u8>,
    /// Point the central entry at another entry's local header instead of writing one.
    alias_of: Option<usize>,
}

const UTF8_NAMES: u16 = 1 << 11;
const ENCRYPTED: u16 = 1;

impl Raw {
    fn stored(name: impl AsRef<[u8]>, data: &[u8]) -> Raw {
        Raw {
            name: name.as_ref().to_vec(),
            local_name: None,
            data: data.to_vec(),
            method: 0,
            flags: UTF8_NAMES,
            crc: crc32fast::hash(data),
            size: data.len() as u32,
            local_size: None,
            unix_mode: None,
            extra: Vec::new(),
            alias_of: None,
        }
    }

    fn symlink(name: &str, target: &str) -> Raw {
        Raw {
            unix_mode: Some(0o120777),
            ..Raw::stored(name, target.as_bytes())
        }
    }
}

/// Local headers, central directory and end record (ZIP64 end records past 65 535 entries).
fn raw_zip(entries: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::with_capacity(entries.len());
    for e in entries {
        if let Some(j) = e.alias_of {
            offsets.push(offsets[j]);
            continue;
        }
        offsets.push(out.len() as u32);
        let name = e.local_name.as_ref().unwrap_or(&e.name);
        out.extend_from_slice(b"PK\x03\x04");
        put16(&mut out, 20);
        put16(&mut out, e.flags);
        put16(&mut out, e.method);
        put32(&mut out, 0x5A21_4E00); // 2025-01-01 09:48 in DOS time
        put32(&mut out, e.crc);
        put32(&mut out, e.data.len() as u32);
        put32(&mut out, e.local_size.unwrap_or(e.size));
        put16(&mut out, name.len() as u16);
        put16(&mut out, e.extra.len() as u16);
        out.extend_from_slice(name);
        out.extend_from_slice(&e.extra);
        out.extend_from_slice(&e.data);
    }
    let cd_start = out.len();
    for (e, offset) in entries.iter().zip(&offsets) {
        let made_by = if e.unix_mode.is_some() {
            0x0314
        } else {
            0x0014
        };
        out.extend_from_slice(b"PK\x01\x02");
        put16(&mut out, made_by);
        put16(&mut out, 20);
        put16(&mut out, e.flags);
        put16(&mut out, e.method);
        put32(&mut out, 0x5A21_4E00);
        put32(&mut out, e.crc);
        put32(&mut out, e.data.len() as u32);
        put32(&mut out, e.size);
        put16(&mut out, e.name.len() as u16);
        put16(&mut out, e.extra.len() as u16);
        put16(&mut out, 0); // comment
        put16(&mut out, 0); // disk
        put16(&mut out, 0); // internal attributes
        put32(&mut out, e.unix_mode.map_or(0, |m| m << 16));
        put32(&mut out, *offset);
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.extra);
    }
    let cd_len = out.len() - cd_start;
    let count = entries.len();
    if count > 0xFFFF {
        let eocd64 = out.len() as u64;
        out.extend_from_slice(b"PK\x06\x06");
        put64(&mut out, 44);
        put16(&mut out, 45);
        put16(&mut out, 45);
        put32(&mut out, 0);
        put32(&mut out, 0);
        put64(&mut out, count as u64);
        put64(&mut out, count as u64);
        put64(&mut out, cd_len as u64);
        put64(&mut out, cd_start as u64);
        out.extend_from_slice(b"PK\x06\x07");
        put32(&mut out, 0);
        put64(&mut out, eocd64);
        put32(&mut out, 1);
    }
    out.extend_from_slice(b"PK\x05\x06");
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, count.min(0xFFFF) as u16);
    put16(&mut out, count.min(0xFFFF) as u16);
    put32(&mut out, cd_len as u32);
    put32(&mut out, cd_start as u32);
    put16(&mut out, 0);
    out
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A zip as `zip::ZipWriter` writes it, every entry deflated.
fn deflated_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).expect("start entry");
        w.write_all(bytes).expect("write entry");
    }
    w.finish().expect("finish zip").into_inner()
}

/// `_chat.txt` holding 1 GiB of zeros, deflated (about 1 MB), built once for Z3 and Z4.
fn zeros_zip() -> &'static [u8] {
    static ZIP: OnceLock<Vec<u8>> = OnceLock::new();
    ZIP.get_or_init(|| {
        let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Deflated);
        w.start_file("_chat.txt", opts).expect("start entry");
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..1024 {
            w.write_all(&zeros).expect("write zeros");
        }
        w.finish().expect("finish zip").into_inner()
    })
}

/// Sets the declared uncompressed size of the first entry in its local header (offset 22) and
/// in its central directory record (offset 24).
fn declare_size(zip: &mut [u8], size: u32) {
    zip[22..26].copy_from_slice(&size.to_le_bytes());
    let central = find(zip, b"PK\x01\x02").expect("central directory");
    zip[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// Running the binary

/// A temp root with the child's working dir `root/a/b/c` (so `../` names have somewhere to
/// land), the data dir inside it, and the inputs under `in/`.
struct Env {
    tmp: TempDir,
}

impl Env {
    fn new() -> Env {
        let env = Env {
            tmp: tempfile::tempdir().expect("tempdir"),
        };
        std::fs::create_dir_all(env.work().join("in")).expect("work dir");
        env
    }

    fn root(&self) -> &Path {
        self.tmp.path()
    }

    fn work(&self) -> PathBuf {
        self.root().join("a/b/c")
    }

    fn data(&self) -> PathBuf {
        self.work().join("data")
    }

    fn input(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.work().join("in").join(name);
        std::fs::write(&path, bytes).expect("write input");
        path
    }

    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        run_whatscope(&self.work(), &self.data(), args)
    }

    /// Messages in the archive, by `chats --json`.
    fn doc_count(&self) -> u64 {
        let run = self.run(&["chats", "--json"]);
        assert_eq!(run.code, 0, "chats: {}", run.stderr);
        let chats: serde_json::Value =
            serde_json::from_str(run.stdout.trim()).expect("chats --json is JSON");
        chats
            .as_array()
            .expect("chats --json is an array")
            .iter()
            .map(|c| c["messages"].as_u64().unwrap_or(0))
            .sum()
    }

    /// Every path under the temp root outside the data dir, with its kind and size.
    fn tree_outside_data(&self) -> BTreeMap<PathBuf, String> {
        let mut out = BTreeMap::new();
        snapshot(self.root(), &self.data(), &mut out);
        out
    }
}

fn snapshot(dir: &Path, skip: &Path, out: &mut BTreeMap<PathBuf, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path == skip {
            continue;
        }
        let meta = std::fs::symlink_metadata(&path).expect("metadata");
        let kind = if meta.file_type().is_symlink() {
            format!("symlink -> {:?}", std::fs::read_link(&path).ok())
        } else if meta.is_dir() {
            "dir".to_string()
        } else {
            format!("file {} bytes", meta.len())
        };
        out.insert(path.clone(), kind);
        if meta.is_dir() {
            snapshot(&path, skip, out);
        }
    }
}

/// Every symlink under `dir`.
fn symlinks_under(dir: &Path) -> Vec<PathBuf> {
    let mut all = BTreeMap::new();
    snapshot(dir, Path::new(""), &mut all);
    all.into_iter()
        .filter(|(_, kind)| kind.starts_with("symlink"))
        .map(|(p, _)| p)
        .collect()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident set of the child in KiB (Linux).
    max_rss_kib: Option<u64>,
}

impl Run {
    fn lines_starting(&self, prefix: &str) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with(prefix))
            .collect()
    }

    fn error(&self) -> &str {
        self.lines_starting("error: ")
            .first()
            .copied()
            .unwrap_or("")
    }

    fn warnings(&self) -> Vec<&str> {
        self.lines_starting("warning: ")
    }

    /// `text` of every message `parse` printed.
    fn texts(&self) -> Vec<String> {
        self.stdout
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("NDJSON line");
                v["text"].as_str().unwrap_or_default().to_string()
            })
            .collect()
    }

    /// Exit 1, one `error: what: why` line naming `what`, a hint, nothing technical.
    fn assert_clear_failure(&self, what: &str) {
        assert_eq!(self.code, 1, "{what}: exit code\nstderr: {}", self.stderr);
        let errors = self.lines_starting("error: ");
        assert_eq!(errors.len(), 1, "{what}: one error line\n{}", self.stderr);
        assert!(errors[0].contains(what), "{what}: not named: {}", errors[0]);
        assert!(
            errors[0].matches(": ").count() >= 2,
            "{what}: not `error: what: why`: {}",
            errors[0]
        );
        assert_eq!(
            self.lines_starting("hint: ").len(),
            1,
            "{what}: one hint\n{}",
            self.stderr
        );
        for jargon in [
            "EOCD",
            "Zip32",
            "invalid Zip archive",
            "unsupported Zip archive",
            "i/o error",
            "CDE",
        ] {
            assert!(
                !self.stderr.contains(jargon),
                "{what}: technical text {jargon:?}: {}",
                self.stderr
            );
        }
    }
}

/// Runs `whatscope ARGS…` in `cwd` on `data`, and checks what holds for every run: no panic or
/// backtrace, no signal, every stderr line an `error:`/`warning:`/`hint:` line.
fn run_whatscope<S: AsRef<OsStr>>(cwd: &Path, data: &Path, args: &[S]) -> Run {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(cwd)
        .env("WHATSCOPE_DATA_DIR", data)
        .env("NO_COLOR", "1");
    let Measured {
        code,
        stdout,
        stderr,
        elapsed,
        max_rss_kib,
    } = run_measured(command);
    let stdout = String::from_utf8(stdout).expect("UTF-8 stdout");
    let stderr = String::from_utf8(stderr).expect("UTF-8 stderr");
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!stderr.contains(bad), "stderr has {bad:?}:\n{stderr}");
    }
    assert!(code >= 0, "killed by signal {}\nstderr: {stderr}", -code);
    for line in stderr.lines().filter(|l| !l.is_empty()) {
        assert!(
            ["error: ", "warning: ", "hint: "]
                .iter()
                .any(|p| line.starts_with(p)),
            "stderr line is not error/warning/hint: {line:?}"
        );
    }
    assert!(
        whatscope::sanitize::is_terminal_safe(&stderr),
        "stderr holds control characters: {stderr:?}"
    );
    Run {
        code,
        stdout,
        stderr,
        elapsed,
        max_rss_kib,
    }
}

// ---------------------------------------------------------------------------------------------
// Z1, Z2: names and symlinks

#[test]
fn z1_hostile_names_skipped_listed_sanitised_nothing_written_outside() {
    let env = Env::new();
    let hostile = [
        "../_chat.txt",
        "../evil.txt",
        "a/../../b.txt",
        "..\\x.txt",
        "/etc/abs.txt",
        "C:\\win.txt",
        "\\\\srv\\s\\x",
    ];
    // The hostile `.txt` entries come first and outrank `_chat.txt` by name: had any of them
    // been taken for the chat text, EVIL would show.
    let mut entries: Vec<Raw> = hostile
        .iter()
        .map(|n| Raw::stored(n, EVIL_CHAT.as_bytes()))
        .collect();
    entries.push(Raw::stored("_chat.txt", CHAT.as_bytes()));
    let zip = env.input("hostile.zip", &raw_zip(&entries));
    let before = env.tree_outside_data();

    let run = env.run(&["import", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("2 messages added"), "{}", run.stdout);
    let warning = run
        .warnings()
        .into_iter()
        .find(|w| w.contains("unsafe name"))
        .unwrap_or_else(|| panic!("no warning about unsafe names: {}", run.stderr));
    assert!(
        warning.contains("left out 7 zip entries"),
        "count: {warning}"
    );
    for shown in [
        "../_chat.txt",
        "../evil.txt",
        "a/../../b.txt",
        "..\\x.txt",
        "/etc/abs.txt",
    ] {
        assert!(warning.contains(shown), "{shown} not listed: {warning}");
    }
    assert!(warning.contains("and 2 more"), "{warning}");
    assert_eq!(
        env.tree_outside_data(),
        before,
        "files appeared outside the data dir"
    );
    assert!(!env.root().join("a/b/evil.txt").exists());

    let parsed = env.run(&["parse", s(&zip)]);
    assert_eq!(parsed.code, 0, "{}", parsed.stderr);
    assert_eq!(
        parsed.texts(),
        ["hello from the real chat", "second real message"]
    );
}

#[test]
fn z2_symlink_entries_create_nothing() {
    let env = Env::new();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let target_name = format!("pwn-{}-{nanos:x}", std::process::id());
    let target = Path::new("/tmp").join(&target_name);
    let entries = [
        // A symlinked chat text must not be read through either.
        Raw::symlink("_chat.txt", "/etc/passwd"),
        Raw::symlink("link", &format!("../../../../tmp/{target_name}")),
        Raw::stored("link/payload", b"written through the link?"),
        Raw::stored("WhatsApp Chat with Ana.txt", CHAT.as_bytes()),
    ];
    let zip = env.input("links.zip", &raw_zip(&entries));
    let before = env.tree_outside_data();

    let run = env.run(&["import", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("2 messages added"), "{}", run.stdout);
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.contains("left out 2 zip entries (symbolic link)")
                && w.contains("_chat.txt")
                && w.contains("link")),
        "{}",
        run.stderr
    );
    assert!(!target.exists(), "{} was created", target.display());
    assert!(std::fs::symlink_metadata(&target).is_err());
    assert_eq!(symlinks_under(env.root()), Vec::<PathBuf>::new());
    assert_eq!(env.tree_outside_data(), before);
}

// ---------------------------------------------------------------------------------------------
// Z3, Z4, Z5: bombs and lies

/// Peak memory allowed to a run that meets a bomb (the binary alone takes ~20 MB).
const RSS_BUDGET_KIB: u64 = 300 << 10;

#[test]
fn z3_gigabyte_of_zeros_rejected_naming_the_limit_memory_bounded() {
    if !alone::this_process(
        module_path!(),
        "z3_gigabyte_of_zeros_rejected_naming_the_limit_memory_bounded",
    ) {
        return;
    }
    let env = Env::new();
    let chat = env.input("WhatsApp Chat with Ana.txt", CHAT.as_bytes());
    assert_eq!(env.run(&["import", s(&chat)]).code, 0);
    assert_eq!(env.doc_count(), 2);
    let bomb = env.input("bomb.zip", zeros_zip());
    assert!(
        zeros_zip().len() < 2 << 20,
        "bomb is {} bytes",
        zeros_zip().len()
    );

    // By default the ratio stops it after a few MiB.
    let run = env.run(&["import", s(&bomb)]);
    run.assert_clear_failure("bomb.zip");
    assert!(run.error().contains("--max-zip-ratio"), "{}", run.error());
    assert_bounded(&run);
    assert_eq!(env.doc_count(), 2, "a partial chat reached the index");

    // With the ratio out of the way, the text limit stops it, by bytes produced.
    let run = env.run(&[
        "import",
        s(&bomb),
        "--max-zip-ratio",
        "100000",
        "--max-text-mib",
        "16",
    ]);
    run.assert_clear_failure("bomb.zip");
    assert!(
        run.error().contains("larger than 16 MiB (--max-text-mib)"),
        "{}",
        run.error()
    );
    assert_bounded(&run);
    assert_eq!(env.doc_count(), 2);
}

fn assert_bounded(run: &Run) {
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
    if let Some(rss) = run.max_rss_kib {
        assert!(rss < RSS_BUDGET_KIB, "peak RSS {} MiB", rss >> 10);
    }
}

#[test]
fn z4_lying_declared_size_is_a_size_mismatch_and_reads_stay_bounded() {
    if !alone::this_process(
        module_path!(),
        "z4_lying_declared_size_is_a_size_mismatch_and_reads_stay_bounded",
    ) {
        return;
    }
    let env = Env::new();
    let mut lying = zeros_zip().to_vec();
    declare_size(&mut lying, 1000);
    let zip = env.input("lying.zip", &lying);
    let run = env.run(&["parse", s(&zip)]);
    run.assert_clear_failure("lying.zip");
    assert!(run.error().contains("size mismatch"), "{}", run.error());
    assert!(run.error().contains("1000 bytes"), "{}", run.error());
    assert!(run.stdout.is_empty());
    assert_bounded(&run);
    if let Some(rss) = run.max_rss_kib {
        // The test process's own memory can show up in a child's peak (fork before exec),
        // so the bound is the zip tests' common budget rather than the few MiB it takes.
        assert!(
            rss < RSS_BUDGET_KIB,
            "peak RSS {} MiB: read past the lie",
            rss >> 10
        );
    }

    // Bytes pulled from the archive: a few KiB of deflate, not the megabyte behind the lie.
    let mut counted = Counted::new(Cursor::new(lying));
    let err = source::read_zip(&mut counted, "lying.zip", "lying.zip", &Limits::default())
        .expect_err("a lying size is refused");
    assert!(matches!(err, SourceError::Corrupt { .. }), "{err}");
    let tail_scan = 66 << 10;
    assert!(
        counted.read < tail_scan + (64 << 10),
        "read {} bytes of {}",
        counted.read,
        zeros_zip().len()
    );

    // A media entry that lies is never read: listed, the chat imports.
    let mut media_lies =
        deflated_zip(&[("IMG-1.jpg", &[0xFF; 5000]), ("_chat.txt", CHAT.as_bytes())]);
    declare_size(&mut media_lies, 10);
    let zip = env.input("media-lies.zip", &media_lies);
    let run = env.run(&["parse", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.texts().len(), 2);
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: usize,
}

impl<R> Counted<R> {
    fn new(inner: R) -> Self {
        Counted { inner, read: 0 }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n;
        Ok(n)
    }
}

impl<R: Seek> Seek for Counted<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[test]
fn z5_overlapping_entries_rejected_fast() {
    let env = Env::new();
    // Fifield's non-recursive bomb: many central entries share one local entry and its data.
    let mut entries = vec![Raw::stored("_chat.txt", CHAT.as_bytes())];
    for i in 0..2000 {
        entries.push(Raw {
            alias_of: Some(0),
            ..Raw::stored(format!("{i:05}.jpg"), CHAT.as_bytes())
        });
    }
    let zip = env.input("overlap.zip", &raw_zip(&entries));
    let run = env.run(&["parse", s(&zip)]);
    run.assert_clear_failure("overlap.zip");
    assert!(run.error().contains("entries overlap"), "{}", run.error());
    assert!(
        run.elapsed < Duration::from_secs(2),
        "took {:?}",
        run.elapsed
    );
}

// ---------------------------------------------------------------------------------------------
// Z6, Z7: nesting and counts

#[test]
fn z6_nested_zip_never_opened() {
    let env = Env::new();
    let innermost = deflated_zip(&[("_chat.txt", EVIL_CHAT.as_bytes())]);
    let inner = deflated_zip(&[
        ("_chat.txt", EVIL_CHAT.as_bytes()),
        ("deeper.zip", &innermost),
    ]);
    let outer = deflated_zip(&[("inner.zip", &inner), ("_chat.txt", CHAT.as_bytes())]);
    let zip = env.input("outer.zip", &outer);
    let run = env.run(&["parse", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.texts(),
        ["hello from the real chat", "second real message"]
    );
    let loaded = whatscope::import::load(&zip, &Limits::default()).expect("loads");
    assert_eq!(
        loaded.media,
        ["inner.zip"],
        "the inner zip is an attachment"
    );

    // Without a text of its own, the outer zip has no chat: nothing inside is looked into.
    let only_inner = env.input("only-inner.zip", &deflated_zip(&[("inner.zip", &inner)]));
    let run = env.run(&["parse", s(&only_inner)]);
    run.assert_clear_failure("only-inner.zip");
    assert!(run.error().contains("no chat text"), "{}", run.error());

    // A zip posing as the chat text is refused as such, not opened.
    let posing = env.input("posing.zip", &deflated_zip(&[("_chat.txt", &inner)]));
    let run = env.run(&["parse", s(&posing)]);
    run.assert_clear_failure("posing.zip");
    assert!(
        run.error()
            .contains("a zip archive, not a WhatsApp text export"),
        "{}",
        run.error()
    );
}

/// `count` entries in all: `count - 1` empty media and the chat text last.
fn many_entries(count: usize) -> Vec<u8> {
    let mut entries: Vec<Raw> = (1..count)
        .map(|i| Raw::stored(format!("m/{i:06}.jpg"), b""))
        .collect();
    entries.push(Raw::stored("_chat.txt", CHAT.as_bytes()));
    raw_zip(&entries)
}

#[test]
fn z7_entry_count_limit_named_and_fast() {
    let env = Env::new();
    let zip = env.input("200k.zip", &many_entries(200_000));
    let run = env.run(&["parse", s(&zip)]);
    run.assert_clear_failure("200k.zip");
    assert!(
        run.error().contains("200000 entries") && run.error().contains("--max-zip-entries"),
        "{}",
        run.error()
    );
    assert!(
        run.elapsed < Duration::from_secs(1),
        "took {:?}",
        run.elapsed
    );
    // The flag moves the limit.
    let run = env.run(&["parse", s(&zip), "--max-zip-entries", "200000"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // An end-record signature inside media data, claiming 60 000 entries, is no end record.
    let mut fake_end = b"PK\x05\x06\0\0\0\0".to_vec();
    fake_end.extend_from_slice(&[0x60, 0xEA, 0x60, 0xEA, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let zip = raw_zip(&[
        Raw::stored("_chat.txt", CHAT.as_bytes()),
        Raw::stored("IMG-1.jpg", &fake_end),
    ]);
    let zip = env.input("fake-end.zip", &zip);
    let run = env.run(&["parse", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let zip = env.input("50k.zip", &many_entries(50_000));
    let run = env.run(&["parse", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.texts().len(), 2);
    assert!(
        run.elapsed < Duration::from_secs(2),
        "took {:?}",
        run.elapsed
    );
}

// ---------------------------------------------------------------------------------------------
// Z8, Z9, Z10: encryption, legacy names, duplicates

/// An AES extra field (0x9901): vendor version AE-2, "AE", 256-bit, deflate inside.
fn aes_extra() -> Vec<u8> {
    let mut extra = Vec::new();
    put16(&mut extra, 0x9901);
    put16(&mut extra, 7);
    put16(&mut extra, 2);
    extra.extend_from_slice(b"AE");
    extra.push(3);
    put16(&mut extra, 8);
    extra
}

#[test]
fn z8_encrypted_chat_text_rejected_encrypted_media_skipped() {
    let env = Env::new();
    let zipcrypto = Raw {
        flags: UTF8_NAMES | ENCRYPTED,
        ..Raw::stored("_chat.txt", &noise(200, 8))
    };
    let aes = Raw {
        method: 99,
        extra: aes_extra(),
        ..zipcrypto.clone()
    };
    for (name, entry) in [("zipcrypto.zip", zipcrypto), ("aes.zip", aes)] {
        let zip = env.input(name, &raw_zip(&[entry]));
        let run = env.run(&["parse", s(&zip)]);
        run.assert_clear_failure(name);
        assert!(
            run.error().contains("password-protected"),
            "{name}: {}",
            run.error()
        );
        assert!(
            run.stderr.contains("export the chat again"),
            "{name}: {}",
            run.stderr
        );
    }

    let entries = [
        Raw {
            flags: UTF8_NAMES | ENCRYPTED,
            ..Raw::stored("IMG-1.jpg", &noise(100, 9))
        },
        Raw::stored("IMG-2.jpg", &noise(100, 10)),
        Raw::stored("_chat.txt", CHAT.as_bytes()),
    ];
    let zip = env.input("media.zip", &raw_zip(&entries));
    let run = env.run(&["parse", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.texts().len(), 2);
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.contains("left out 1 zip entry (password-protected): IMG-1.jpg")),
        "{}",
        run.stderr
    );
    let loaded = whatscope::import::load(&zip, &Limits::default()).expect("loads");
    assert_eq!(loaded.media, ["IMG-2.jpg"]);
}

#[test]
fn z9_cp437_names_import_and_are_listed_as_decoded() {
    let env = Env::new();
    let legacy = |name: &[u8], data: &[u8]| Raw {
        flags: 0,
        ..Raw::stored(name, data)
    };
    let entries = [
        legacy(b"\x82\xA0\xE9\xFF.jpg", b"\xFF\xD8\xFF"),
        legacy(b"WhatsApp Chat with Caf\x82.txt", CHAT.as_bytes()),
    ];
    let zip = env.input("legacy.zip", &raw_zip(&entries));
    let run = env.run(&["parse", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first: serde_json::Value =
        serde_json::from_str(run.stdout.lines().next().expect("a message")).expect("JSON");
    assert_eq!(first["chat"], "Café", "the CP437 name names the chat");
    let loaded = whatscope::import::load(&zip, &Limits::default()).expect("loads");
    assert_eq!(loaded.media, ["éáΘ\u{a0}.jpg"]);
}

#[test]
fn z10_two_chat_texts_deterministic_choice_with_warning() {
    let env = Env::new();
    let first = "14/03/2023, 09:15 - Maya: from the first\n";
    let second = "14/03/2023, 09:15 - Maya: from the second\n";
    // The same name twice: the zip crate keeps the last, as `unzip` would leave it.
    let same = raw_zip(&[
        Raw::stored("_chat.txt", first.as_bytes()),
        Raw::stored("IMG.jpg", b"1"),
        Raw::stored("img.JPG", b"2"),
        Raw::stored("_chat.txt", second.as_bytes()),
    ]);
    let zip = env.input("same-name.zip", &same);
    let runs: Vec<Run> = (0..2).map(|_| env.run(&["parse", s(&zip)])).collect();
    for run in &runs {
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.texts(), ["from the second"]);
        assert!(
            run.warnings().iter().any(|w| w.contains("more than once")),
            "{}",
            run.stderr
        );
    }
    assert_eq!(runs[0].stdout, runs[1].stdout);
    let loaded = whatscope::import::load(&zip, &Limits::default()).expect("loads");
    assert_eq!(
        loaded.media,
        ["IMG.jpg", "img.JPG"],
        "both kept, nothing written"
    );

    // Two chat texts under different folders: the first listed, with a warning.
    let two = raw_zip(&[
        Raw::stored("a/_chat.txt", first.as_bytes()),
        Raw::stored("b/_chat.txt", second.as_bytes()),
    ]);
    let zip = env.input("two.zip", &two);
    let run = env.run(&["parse", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.texts(), ["from the first"]);
    assert!(
        run.warnings().iter().any(|w| w
            .contains("holds 2 chat texts; read a/_chat.txt, the first listed, not b/_chat.txt")),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Z11: not really zips

#[test]
fn z11_broken_and_fake_zips_get_one_clear_error() {
    let env = Env::new();
    let good = deflated_zip(&[
        ("_chat.txt", CHAT.as_bytes()),
        ("IMG-1.jpg", &noise(3000, 3)),
    ]);
    let mut pk_noise = b"PK\x03\x04".to_vec();
    pk_noise.extend(noise(4096, 4));
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("empty.zip", Vec::new(), "the file is empty"),
        (
            "truncated.zip",
            good[..good.len() - 10].to_vec(),
            "not a readable zip archive",
        ),
        (
            "random.zip",
            noise(4096, 5),
            "not a zip archive, nor a chat text",
        ),
        ("pk-noise.zip", pk_noise, "not a readable zip archive"),
        (
            "only-header.zip",
            b"PK\x03\x04".to_vec(),
            "not a readable zip archive",
        ),
    ];
    for (name, bytes, why) in cases {
        let path = env.input(name, &bytes);
        for command in ["parse", "import"] {
            let run = env.run(&[command, s(&path)]);
            run.assert_clear_failure(name);
            assert!(
                run.error().contains(why),
                "{command} {name}: {}",
                run.error()
            );
        }
    }
    // Every import failed: no archive was made (issue 13 A6), so nothing reached an index.
    assert!(
        !env.data().exists(),
        "a failed first import left a data dir"
    );
}

#[test]
fn z11_content_decides_the_handler_not_the_extension() {
    let env = Env::new();
    let text_as_zip = env.input("WhatsApp Chat with Ana.zip", CHAT.as_bytes());
    let zip_as_text = env.input(
        "WhatsApp Chat with Ben.txt",
        &deflated_zip(&[("_chat.txt", CHAT.as_bytes())]),
    );
    for path in [&text_as_zip, &zip_as_text] {
        let run = env.run(&["parse", s(path)]);
        assert_eq!(run.code, 0, "{}: {}", path.display(), run.stderr);
        assert_eq!(
            run.texts(),
            ["hello from the real chat", "second real message"]
        );
    }
    let run = env.run(&["import", s(&text_as_zip), s(&zip_as_text)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(env.doc_count(), 4);
}

// ---------------------------------------------------------------------------------------------
// Z12–Z15: media names, methods, size, headers

#[test]
fn z12_z14_media_never_written_names_only_displayed_sanitised() {
    let env = Env::new();
    let long = format!("{}.jpg", "a".repeat(10_000));
    let mut huge = Raw::stored("VID-20250101-WA0001.mp4", &noise(64, 12));
    huge.method = 8;
    huge.size = u32::MAX - 1; // claims 4 GiB; never read, so never checked
    let entries = [
        Raw::stored("x\u{202E}gpj.exe", b"MZ"),
        Raw::stored(&long, b"x"),
        Raw::stored("con.txt", b"x"),
        Raw::stored("aux", b"x"),
        Raw::stored("a.txt:stream", b"x"),
        Raw::stored("\x1b]0;x\x07.jpg", b"x"),
        Raw::stored("../\x1b]0;pwned\x07.jpg", b"x"),
        huge,
        Raw::stored("_chat.txt", CHAT.as_bytes()),
    ];
    let zip = env.input("names.zip", &raw_zip(&entries));
    let before = env.tree_outside_data();
    let run = env.run(&["import", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("2 messages added"), "{}", run.stdout);
    assert!(
        run.elapsed < Duration::from_secs(5),
        "took {:?}",
        run.elapsed
    );
    assert_eq!(env.tree_outside_data(), before);

    // The data dir holds the archive only, nothing named after an entry, and no 4 GiB.
    let mut inside = BTreeMap::new();
    snapshot(&env.data(), Path::new(""), &mut inside);
    let mut bytes = 0;
    for (path, kind) in &inside {
        let name = path.file_name().and_then(OsStr::to_str).unwrap_or("?");
        for piece in [
            "gpj", "con.txt", "aux", "stream", "\x1b", "aaaa", "VID", "mp4",
        ] {
            assert!(!name.contains(piece), "{} written", path.display());
        }
        bytes += kind
            .strip_prefix("file ")
            .and_then(|k| k.split(' ').next())
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0);
    }
    assert!(bytes < 8 << 20, "data dir holds {bytes} bytes");

    // Warned names are shown sanitised (stderr is terminal-safe, checked on every run) and cut.
    let warnings = run.warnings();
    let odd = warnings
        .iter()
        .find(|w| w.contains("name over 1024 bytes"))
        .unwrap_or_else(|| panic!("no warning for the long name: {}", run.stderr));
    assert!(odd.len() < 400, "{} chars", odd.len());
    assert!(
        warnings.iter().any(|w| w.contains("../␛]0;pwned␇.jpg")),
        "{}",
        run.stderr
    );
}

#[test]
fn z13_unsupported_compression_skipped_for_media_rejected_for_the_chat() {
    let env = Env::new();
    let with_method = |name: &str, method: u16| Raw {
        method,
        ..Raw::stored(name, &noise(200, u64::from(method)))
    };
    let entries = [
        with_method("IMG-1.jpg", 12),
        with_method("IMG-2.jpg", 14),
        with_method("doc.pdf", 93),
        with_method("x.ppmd", 98),
        with_method("y.bin", 9),
        Raw::stored("_chat.txt", CHAT.as_bytes()),
    ];
    let zip = env.input("methods.zip", &raw_zip(&entries));
    let run = env.run(&["parse", s(&zip)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.texts().len(), 2);
    let warning = run
        .warnings()
        .into_iter()
        .find(|w| w.contains("compression method whatscope does not read"))
        .unwrap_or_else(|| panic!("no warning: {}", run.stderr));
    for shown in [
        "IMG-1.jpg (bzip2)",
        "IMG-2.jpg (LZMA)",
        "doc.pdf (Zstandard)",
        "x.ppmd (PPMd)",
        "y.bin (Deflate64)",
    ] {
        assert!(warning.contains(shown), "{shown}: {warning}");
    }

    let zip = env.input("lzma-chat.zip", &raw_zip(&[with_method("_chat.txt", 14)]));
    let run = env.run(&["parse", s(&zip)]);
    run.assert_clear_failure("lzma-chat.zip");
    assert!(
        run.error()
            .contains("compressed with LZMA, which whatscope does not read"),
        "{}",
        run.error()
    );
}

#[test]
fn z15_local_header_disagreeing_with_central_directory_rejected() {
    let env = Env::new();
    let renamed = Raw {
        local_name: Some(b"_chat.tx_".to_vec()),
        ..Raw::stored("_chat.txt", CHAT.as_bytes())
    };
    let resized = Raw {
        local_size: Some(5),
        ..Raw::stored("_chat.txt", CHAT.as_bytes())
    };
    let encrypted_locally = {
        let mut zip = raw_zip(&[Raw::stored("_chat.txt", CHAT.as_bytes())]);
        zip[6] |= 1; // the local header alone says "encrypted"
        zip
    };
    let cases = [
        ("renamed.zip", raw_zip(&[renamed])),
        ("resized.zip", raw_zip(&[resized])),
        ("flagged.zip", encrypted_locally),
    ];
    for (name, bytes) in cases {
        let zip = env.input(name, &bytes);
        let run = env.run(&["parse", s(&zip)]);
        run.assert_clear_failure(name);
        assert!(
            run.error().contains("inconsistent archive"),
            "{name}: {}",
            run.error()
        );
    }
    // The same entry with agreeing headers reads fine.
    let zip = env.input(
        "agreeing.zip",
        &raw_zip(&[Raw::stored("_chat.txt", CHAT.as_bytes())]),
    );
    assert_eq!(env.run(&["parse", s(&zip)]).code, 0);
}

// ---------------------------------------------------------------------------------------------
// F2: arbitrary bytes as a zip (the CI-safe twin of fuzz/fuzz_targets/import_zip.rs)

/// Tiny limits, so every mutated size or count meets one.
fn tiny_limits() -> Limits {
    Limits {
        max_text_bytes: 64 << 10,
        max_zip_entries: 64,
        max_zip_ratio: 50,
    }
}

/// Valid small zips of each shape the reader meets: stored, deflated, with media, ZIP64-less
/// hand-made, with a data-descriptor-free symlink and an encrypted entry.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        vec![
            deflated_zip(&[
                ("_chat.txt", CHAT.as_bytes()),
                ("IMG-1.jpg", &noise(300, 1)),
            ]),
            raw_zip(&[
                Raw::symlink("link", "../x"),
                Raw::stored("WhatsApp Chat with Ana.txt", CHAT.as_bytes()),
                Raw {
                    flags: UTF8_NAMES | ENCRYPTED,
                    ..Raw::stored("IMG-2.jpg", b"secret")
                },
            ]),
            deflated_zip(&[("_chat.txt", &CHAT.repeat(40).into_bytes())]),
        ]
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Put32 { at: usize, value: u32 },
    Truncate { keep: usize },
    Splice { at: usize, bytes: Vec<u8> },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (
            any::<usize>(),
            prop_oneof![Just(0u32), Just(u32::MAX), Just(0xFFFF), any::<u32>()]
        )
            .prop_map(|(at, value)| Mutation::Put32 { at, value }),
        any::<usize>().prop_map(|keep| Mutation::Truncate { keep }),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 0..64)
        )
            .prop_map(|(at, bytes)| Mutation::Splice { at, bytes }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len().max(1);
    match m {
        Mutation::Flip { at, bit } => {
            if let Some(b) = bytes.get_mut(at % len) {
                *b ^= 1 << bit;
            }
        }
        Mutation::Put32 { at, value } => {
            let at = at % len;
            for (i, b) in value.to_le_bytes().into_iter().enumerate() {
                if let Some(slot) = bytes.get_mut(at + i) {
                    *slot = b;
                }
            }
        }
        Mutation::Truncate { keep } => bytes.truncate(keep % len),
        Mutation::Splice { at, bytes: new } => {
            let at = at % len;
            let at = at.min(bytes.len());
            bytes.splice(at..at, new.iter().copied());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn f2_arbitrary_zip_bytes_never_panic_and_respect_limits(
        seed in 0usize..3,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let mut bytes = seeds()[seed].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let limits = tiny_limits();
        if let Ok(file) = source::read_zip(Cursor::new(&bytes), "f2.zip", "f2.zip", &limits) {
            prop_assert!(file.bytes.len() as u64 <= limits.max_text_bytes);
            prop_assert!(file.media.len() < limits.max_zip_entries);
            for w in &file.warnings {
                prop_assert!(whatscope::sanitize::is_terminal_safe(w), "{w:?}");
            }
            if let Ok(decoded) = whatscope::import::decode::decode(file.bytes) {
                let _ = whatscope::import::parse(&decoded.text, &Default::default());
            }
        }
    }
}

#[test]
fn f2_seeds_read_cleanly() {
    for (i, seed) in seeds().iter().enumerate() {
        let file = source::read_zip(Cursor::new(seed), "seed.zip", "seed.zip", &tiny_limits())
            .unwrap_or_else(|e| panic!("seed {i}: {e}"));
        assert!(!file.bytes.is_empty(), "seed {i}");
    }
}
