//! F1/F3 (and F5) in CI (docs/reliability.md): the fuzz targets' own checks, from
//! `fuzz/oracles.rs`, run over every committed seed corpus and over proptest inputs (arbitrary
//! bytes, seeds mutated with the libFuzzer dictionary, hostile strings), plus a time bound on
//! 1 MiB inputs. The fuzzer itself is run by hand (`fuzz/README.md`); this keeps its invariants
//! from regressing between runs.
//!
//! F7's "random chunking" does not apply to this importer: every source is read whole
//! (`read_to_end`, zip entries likewise) before `decode::decode` sees one `Vec<u8>`, so there is
//! no chunk boundary for a multi-byte char or a CRLF to straddle. Its other equivalences live in
//! `tests/it/parser_props.rs` (`f7_...`), double import in `tests/it/cli_archive.rs`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::props::config;
use proptest::prelude::*;
use whatscope::import::decode::{decode, Encoding};
use whatscope::import::{self, ParseOptions};
use whatscope::sanitize::Mode;

// The very checks the fuzz targets run (see the file's header): a test failure here is a fuzz
// crash, and the reverse.
#[path = "../../../fuzz/oracles.rs"]
mod oracles;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Files of `fuzz/corpus/<target>/`, sorted, skipping dotfiles (libFuzzer's `.state` and such).
fn corpus_files(target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    files
}

/// The `[[bin]]` names of `fuzz/Cargo.toml`: the fuzz targets.
fn fuzz_targets() -> Vec<String> {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("fuzz/Cargo.toml");
    let mut out = Vec::new();
    let mut in_bin = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if let Some(v) = line.strip_prefix("name = \"").filter(|_| in_bin) {
            out.push(v.trim_end_matches('"').to_string());
        }
    }
    out
}

/// What libFuzzer hands a `|s: &str|` target for these bytes: the longest valid UTF-8 prefix
/// (`arbitrary`'s `&str::arbitrary_take_rest`).
fn as_fuzz_str(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// Runs `check` and, when it panics, panics again naming the input that did it.
fn naming(what: &str, check: impl FnOnce() + std::panic::UnwindSafe) {
    if let Err(e) = std::panic::catch_unwind(check) {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("{what}: {msg}");
    }
}

/// `fuzz/whatsapp.dict`'s tokens, unescaped (`\xNN`, `\\`, `\"`), for mutations; read once.
fn dictionary() -> &'static [Vec<u8>] {
    static DICT: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    DICT.get_or_init(read_dictionary)
}

fn read_dictionary() -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(fuzz_dir().join("whatsapp.dict")).expect("whatsapp.dict");
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(quoted) = line
            .trim()
            .strip_prefix('"')
            .and_then(|l| l.strip_suffix('"'))
        else {
            continue;
        };
        let b = quoted.as_bytes();
        let mut tok = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match (b[i], b.get(i + 1)) {
                (b'\\', Some(b'x')) => {
                    let hex = std::str::from_utf8(&b[i + 2..i + 4]).expect("hex escape");
                    tok.push(u8::from_str_radix(hex, 16).expect("hex escape"));
                    i += 4;
                }
                (b'\\', Some(&c)) => {
                    tok.push(c);
                    i += 2;
                }
                (c, _) => {
                    tok.push(c);
                    i += 1;
                }
            }
        }
        out.push(tok);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Corpus replay (F1, F3, F5, and every other target's seeds through F1)

/// Every committed seed goes through the oracle of its target, and every seed of every corpus
/// also through F1 (any bytes are a possible export). Every fuzz target must have seeds, so a
/// new target cannot be added without its corpus, and a corpus cannot silently vanish.
#[test]
fn f1_f3_f5_seed_corpora_replay_through_the_fuzz_oracles() {
    let targets = fuzz_targets();
    for t in ["parse_export", "to_display", "header"] {
        assert!(
            targets.iter().any(|x| x == t),
            "fuzz target {t} missing: {targets:?}"
        );
    }
    let corpus_root = fuzz_dir().join("corpus");
    let mut corpora: Vec<String> = std::fs::read_dir(&corpus_root)
        .expect("fuzz/corpus")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    corpora.sort();
    for t in &targets {
        assert!(
            corpora.contains(t) && !corpus_files(t).is_empty(),
            "fuzz target {t} has no seeds in fuzz/corpus/{t}/"
        );
    }

    let mut replayed = 0;
    for corpus in &corpora {
        for path in corpus_files(corpus) {
            let bytes = std::fs::read(&path).expect("read seed");
            let what = path.display().to_string();
            naming(&format!("{what} (parse_export)"), || {
                oracles::parse_export(&bytes)
            });
            match corpus.as_str() {
                "to_display" => naming(&what, || oracles::to_display(as_fuzz_str(&bytes))),
                "header" => naming(&what, || {
                    let s = as_fuzz_str(&bytes);
                    oracles::header_line(s);
                    s.lines().for_each(oracles::header_line);
                }),
                _ => {}
            }
            replayed += 1;
        }
    }
    // 10 + 10 + 7 seeds committed with these targets.
    assert!(replayed >= 27, "only {replayed} seeds replayed");
}

// ---------------------------------------------------------------------------------------------
// F1: parse_export

/// One edit of a seed, the kinds libFuzzer's mutator makes most.
#[derive(Debug, Clone)]
enum Mutation {
    SetByte(prop::sample::Index, u8),
    InsertToken(prop::sample::Index, prop::sample::Index),
    Delete(prop::sample::Index, usize),
    /// Copy a slice elsewhere: splices header lines into bodies and the like.
    Duplicate(prop::sample::Index, usize, prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    use prop::sample::Index;
    prop_oneof![
        3 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::SetByte(i, b)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Mutation::InsertToken(i, t)),
        2 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        2 => (any::<Index>(), 1usize..200, any::<Index>()).prop_map(|(i, n, j)| Mutation::Duplicate(i, n, j)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut bytes: Vec<u8>, edits: &[Mutation], dict: &[Vec<u8>]) -> Vec<u8> {
    for m in edits {
        let len = bytes.len();
        let at = |i: &prop::sample::Index| if len == 0 { 0 } else { i.index(len + 1) };
        match m {
            Mutation::SetByte(i, b) if len > 0 => {
                let i = i.index(len);
                bytes[i] = *b;
            }
            Mutation::SetByte(..) => bytes.push(0),
            Mutation::InsertToken(i, t) => {
                let pos = at(i);
                let tok = &dict[t.index(dict.len())];
                bytes.splice(pos..pos, tok.iter().copied());
            }
            Mutation::Delete(i, n) => {
                let pos = at(i);
                bytes.drain(pos..(pos + n).min(len));
            }
            Mutation::Duplicate(i, n, j) => {
                let from = at(i);
                let piece = bytes[from..(from + n).min(len)].to_vec();
                let to = at(j);
                bytes.splice(to..to, piece);
            }
            Mutation::Truncate(i) => bytes.truncate(at(i)),
        }
    }
    bytes
}

fn seed_bytes() -> Vec<Vec<u8>> {
    corpus_files("parse_export")
        .iter()
        .map(|p| std::fs::read(p).expect("read seed"))
        .collect()
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary bytes, optionally behind a BOM, through the F1 oracle.
    #[test]
    fn f1_arbitrary_bytes_pass_the_parse_export_oracle(
        prefix in prop::sample::select(vec![&b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF", b"\xFF\xFE\0\0"]),
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
    ) {
        let mut all = prefix.to_vec();
        all.extend_from_slice(&bytes);
        oracles::parse_export(&all);
    }

    /// Real-format seeds (every header style, UTF-16, CR-only, damaged input) with up to 16
    /// byte-level edits and dictionary insertions, as the fuzzer would explore them.
    #[test]
    fn f1_mutated_seeds_pass_the_parse_export_oracle(
        seed in prop::sample::select(seed_bytes()),
        edits in prop::collection::vec(mutation(), 1..16),
    ) {
        let bytes = mutate(seed, &edits, dictionary());
        oracles::parse_export(&bytes);
    }
}

/// A small deterministic generator (xorshift), so the big inputs are the same on every run.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const MIB: usize = 1 << 20;

/// CPU time of the calling thread: unlike wall time it does not grow when other tests or other
/// builds share the cores, so the bound below fails on slow code, not on a busy machine.
#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant libc knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// Repeats pieces from `pick` until `MIB` bytes, cut at exactly 1 MiB.
fn mebibyte(mut pick: impl FnMut() -> Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(MIB + 4096);
    while out.len() < MIB {
        out.extend(pick());
    }
    out.truncate(MIB);
    out
}

/// F1's `-timeout=2 -max_len=1048576` as a test: 1 MiB inputs of the shapes that are
/// expensive for a line parser each pass the whole oracle (decode + four parses) in 2 s of
/// CPU. The slowest, a million empty lines, takes ~0.7 s here.
#[test]
fn f1_one_mebibyte_inputs_pass_the_oracle_within_two_seconds() {
    let dict = dictionary();
    let seeds = seed_bytes();
    let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15);
    let utf16 = |s: &[u8]| -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        for u in String::from_utf8_lossy(s).encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out.truncate(MIB);
        out
    };
    // Only seeds that decode as plain UTF-8 are repeated: a UTF-16 or NUL-holding seed in the
    // middle would make the whole input binary, and the parser would never run.
    let text_seeds: Vec<Vec<u8>> = seeds
        .into_iter()
        .filter(|s| {
            decode(s.clone()).is_ok_and(|d| d.encoding == Encoding::Utf8 && d.nul_lines.is_empty())
        })
        .collect();
    assert!(text_seeds.len() >= 5, "{} plain seeds", text_seeds.len());
    // (name, input, messages it must parse into with default options: the big inputs reach
    // the parser instead of being refused early)
    let mut cases: Vec<(&str, Vec<u8>, usize)> = vec![
        (
            "real seeds repeated",
            {
                let mut i = 0;
                mebibyte(|| {
                    i += 1;
                    text_seeds[i % text_seeds.len()].clone()
                })
            },
            10_000,
        ),
        ("one 1 MiB line", vec![b'a'; MIB], 0),
        (
            "random bytes",
            mebibyte(|| rng.next().to_le_bytes().to_vec()),
            0,
        ),
        (
            "dictionary tokens",
            mebibyte(|| dict[rng.below(dict.len())].clone()),
            0,
        ),
        (
            "a header per line",
            mebibyte(|| b"14/03/2023, 09:15 - A: x\n".to_vec()),
            40_000,
        ),
        ("empty CR lines", vec![b'\r'; MIB], 0),
        (
            "header-shaped noise",
            mebibyte(|| b"[1/1/1, 1:1:1] ".to_vec()),
            0,
        ),
    ];
    let tokens = mebibyte(|| dict[rng.below(dict.len())].clone());
    cases.push(("UTF-16LE tokens", utf16(&tokens), 0));

    // Debug builds are ~10x slower; the catalog's bound is for the release build CI runs.
    let limit = if cfg!(debug_assertions) {
        Duration::from_secs(30)
    } else {
        Duration::from_secs(2)
    };
    for (name, bytes, min_messages) in cases {
        assert!(bytes.len() >= MIB - 1, "{name}: only {} bytes", bytes.len());
        let messages = decode(bytes.clone()).map_or(0, |d| {
            import::parse(&d.text, &ParseOptions::default()).map_or(0, |p| p.len())
        });
        assert!(messages >= min_messages, "{name}: {messages} messages");
        let started = thread_cpu_time();
        naming(name, || oracles::parse_export(&bytes));
        let took = thread_cpu_time().saturating_sub(started);
        eprintln!("F1 1 MiB {name}: {took:?}, {messages} messages");
        assert!(took < limit, "{name}: {took:?} for 1 MiB (limit {limit:?})");
    }
}

// ---------------------------------------------------------------------------------------------
// F3: to_display

/// Payloads of docs/reliability.md and chars whose grapheme rules join neighbours.
const HOSTILE: &[&str] = &[
    "\x1b]0;title\x07",
    "\x1b[2J",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "\x1b]8;;http://evil.example\x1b\\bank\x1b]8;;\x1b\\",
    "\x1bP$q m\x1b\\",
    "\u{9b}2J",
    "\u{9d}0;t\u{9c}",
    "\u{85}",
    "\u{202a}",
    "\u{202e}",
    "\u{2066}",
    "\u{2069}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{200e}",
    "\u{200f}",
    "\u{61c}",
    "\u{2060}",
    "\u{2064}",
    "\u{feff}",
    "\u{ad}",
    "\u{e0041}",
    "\u{e007f}",
    "\u{fe0f}",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\x08",
    "\0",
    "\x7f",
    "\u{2028}",
    "\u{2029}",
    "\u{600}",
    "\u{94d}",
    "\u{93c}",
    "\u{915}",
    "\u{1100}",
    "\u{1161}",
    "\u{ac00}",
    "\u{1f1e9}",
    "\u{1f468}",
    "\u{1f3fd}",
    "\u{301}",
    "\u{ff9e}",
    "e",
    " ",
];

fn display_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(HOSTILE).prop_map(str::to_owned),
        4 => any::<char>().prop_map(String::from),
        2 => "[a-zA-Z0-9 ]{1,12}",
        1 => (prop::sample::select(HOSTILE), 1usize..80).prop_map(|(h, n)| h.repeat(n)),
        1 => (0usize..300).prop_map(|n| "\u{301}".repeat(n)),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// Any Unicode scalar values through the F3 oracle.
    #[test]
    fn f3_arbitrary_strings_pass_the_to_display_oracle(
        s in prop::collection::vec(any::<char>(), 0..300).prop_map(String::from_iter),
    ) {
        oracles::to_display(&s);
    }

    /// Escape sequences, bidi and format chars, joiners and floods, mixed.
    #[test]
    fn f3_hostile_strings_pass_the_to_display_oracle(
        s in prop::collection::vec(display_fragment(), 0..40).prop_map(|v| v.concat()),
    ) {
        oracles::to_display(&s);
    }
}

/// Lines long enough for the default cap of 4096 graphemes, which short random strings never
/// reach, and floods of every joining kind.
#[test]
fn f3_long_lines_and_floods_pass_the_to_display_oracle() {
    for s in [
        "x".repeat(5000),
        format!("short\n{}\nend", "é".repeat(5000)),
        "\t".repeat(2000),
        "\u{1F1E9}".repeat(9000),
        format!("Z{}", "\u{301}".repeat(10_000)),
        "\u{1100}".repeat(3000),
        vec!["\u{1F468}"; 500].join("\u{200D}"),
        "\x1b[2J".repeat(3000),
        "\r\n".repeat(5000),
    ] {
        let head: String = s.chars().take(8).collect();
        naming(&format!("{head:?}…"), || oracles::to_display(&s));
    }
}

/// The oracle can fail: each kind of unsafe output it exists to catch makes it panic, while
/// ordinary text, emoji ZWJ sequences and ZWNJ (which the sanitizer keeps on purpose) pass.
#[test]
fn f3_the_display_oracle_rejects_unsafe_output() {
    let cap = whatscope::sanitize::MIN_LINE_GRAPHEMES;
    let zalgo = format!("Z{}", "\u{301}".repeat(9));
    let long = "x".repeat(cap + 1);
    let bad: &[(&str, Mode)] = &[
        ("\x1b[2J", Mode::MultiLine),
        ("a\x07b", Mode::MultiLine),
        ("a\rb", Mode::MultiLine),
        ("a\tb", Mode::MultiLine),
        ("\u{9b}", Mode::MultiLine),
        ("a\nb", Mode::OneLine),
        ("Alice\u{202E}gnp.exe", Mode::OneLine),
        ("a\u{2066}b", Mode::OneLine),
        ("a\u{061C}b", Mode::OneLine),
        ("pass\u{200B}word", Mode::OneLine),
        ("a\u{200F}b", Mode::OneLine),
        ("a\u{2060}b", Mode::OneLine),
        ("\u{FEFF}x", Mode::OneLine),
        ("\u{E0041}", Mode::OneLine),
        (&zalgo, Mode::OneLine),
        (&long, Mode::OneLine),
    ];
    for (s, mode) in bad {
        let caught = std::panic::catch_unwind(|| oracles::check_display_clean(s, *mode, cap));
        assert!(caught.is_err(), "oracle let {s:?} ({mode:?}) through");
    }
    for (s, mode) in [
        ("plain text, ␛ and ⏎", Mode::OneLine),
        ("a\nb", Mode::MultiLine),
        ("\u{1F469}\u{200D}\u{1F52C} \u{2764}\u{FE0F}", Mode::OneLine),
        ("می\u{200C}خواهم", Mode::OneLine),
        (&format!("e{}", "\u{301}".repeat(8)), Mode::OneLine),
    ] {
        oracles::check_display_clean(s, mode, cap);
    }
}

// ---------------------------------------------------------------------------------------------
// F6: the round trip's one exception

/// F6's round trip (`tests/it/parser_props.rs`, `f6_...`) excludes bodies with a header-like
/// line, because an export cannot tell such a line from a real message (docs/reliability.md,
/// F6). This pins the exception down: in every style, a body line that is a header of the
/// same style is read as a new message, and it is exactly such a line (`header::scan` accepts
/// it), so "round trip holds iff no body line matches the header grammar".
#[test]
fn f6_header_like_body_lines_are_read_as_new_messages() {
    use whatscope::import::header;
    use whatscope_synth::{self as synth, Kind, LineEnding, SynthMessage};

    let ts = chrono::NaiveDate::from_ymd_opt(2023, 3, 14)
        .and_then(|d| d.and_hms_opt(9, 15, 0))
        .expect("valid time");
    let later = ts + chrono::TimeDelta::minutes(5);
    for style in synth::all_styles() {
        let spoof = format!(
            "{}Bob: I owe Alice 500",
            synth::render_header(&style, later)
        );
        assert!(header::scan(&spoof).is_some(), "{}: {spoof:?}", style.name);
        let msg = SynthMessage {
            ts,
            sender: Some("Alice".into()),
            kind: Kind::Text,
            text: format!("see below\n{spoof}"),
            attachment: None,
        };
        let export = synth::render_export(&style, &[msg], LineEnding::Lf);
        let parsed = import::parse(&export, &ParseOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", style.name));
        let got: Vec<(Option<&str>, &str)> =
            parsed.messages().map(|m| (m.sender, m.text)).collect();
        assert_eq!(
            got,
            [
                (Some("Alice"), "see below"),
                (Some("Bob"), "I owe Alice 500")
            ],
            "{}:\n{export}",
            style.name
        );
    }
}
