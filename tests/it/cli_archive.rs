//! The archive through the real binary, ripgrep-style: `import` → `chats` → `search` → `log`
//! with every JSON field of docs/cli.md checked against values worked out by hand from fixtures 01
//! and 04, idempotent and merging imports, `.txt` vs `.zip` of one chat, query totals, errors
//! and exit codes, file modes, data-dir selection and control characters in JSON output.

use crate::support::bin::{bare, describe, parse_ndjson, s};
use crate::support::files::{assert_private, files_under};
use crate::support::fixtures::fixture_path;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

const HIKING_TXT: &str = "WhatsApp Chat with Hiking Crew.txt";
const HIKING_ZIP: &str = "WhatsApp Chat with Hiking Crew.zip";
const BOOK_TXT: &str = "WhatsApp Chat - Book Club 📚.txt";
const BOOK_ZIP: &str = "WhatsApp Chat - Book Club 📚.zip";
const HIKING: &str = "Hiking Crew";
const BOOK: &str = "Book Club 📚";

fn fixture_01() -> Vec<u8> {
    fs::read(fixture_path("01_android_en_gb_24h_group.txt")).unwrap()
}

fn fixture_04() -> Vec<u8> {
    fs::read(fixture_path("04_ios_en_us_12h_nnbsp_2024.txt")).unwrap()
}

/// A temp dir holding a data dir (`data/`, not created: the binary creates it) and inputs.
struct Env {
    tmp: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    /// Writes an input file under `in/<sub>/<name>` and returns its path.
    fn write(&self, sub: &str, name: &str, bytes: &[u8]) -> PathBuf {
        let dir = self.tmp.path().join("in").join(sub);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    /// The binary with `--data-dir DATA` before the arguments and a clean environment.
    fn cmd(&self) -> Command {
        let mut c = bare();
        c.arg("--data-dir").arg(self.data());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert_ok(&out, args);
        out
    }

    fn json(&self, args: &[&str]) -> Value {
        parse_json(&self.ok(args).stdout, args)
    }

    fn ndjson(&self, args: &[&str]) -> Vec<Value> {
        parse_ndjson(&self.ok(args).stdout)
    }

    /// Both fixture chats under export names: 01 as an Android `.txt`, 04 as an iOS one.
    fn fixtures(&self) -> (PathBuf, PathBuf) {
        (
            self.write("fx", HIKING_TXT, &fixture_01()),
            self.write("fx", BOOK_TXT, &fixture_04()),
        )
    }

    /// An archive holding fixtures 01 and 04.
    fn archive() -> Env {
        let env = Env::new();
        let (a, b) = env.fixtures();
        env.ok(&["import", s(&a), s(&b)]);
        env
    }

    fn search(&self, query: &str, extra: &[&str]) -> Value {
        let mut args = vec!["search", query, "--json"];
        args.extend_from_slice(extra);
        self.json(&args)
    }

    fn total(&self, query: &str) -> u64 {
        self.search(query, &["--limit", "1000"])["total"]
            .as_u64()
            .unwrap()
    }

    fn chats(&self) -> Vec<Value> {
        self.json(&["chats", "--json"])
            .as_array()
            .expect("chats --json is an array")
            .clone()
    }

    fn chat(&self, name: &str) -> Value {
        let all = self.chats();
        all.iter()
            .find(|c| c["chat"] == name)
            .unwrap_or_else(|| panic!("no chat {name:?} in {all:#?}"))
            .clone()
    }

    fn log(&self, chat: &str) -> Vec<Value> {
        self.ndjson(&["log", "--chat", chat, "--json", "--limit", "100000"])
    }
}

fn assert_ok(out: &Output, args: &[&str]) {
    assert!(
        out.status.success(),
        "whatscope {args:?} failed: {}",
        describe(out)
    );
}

fn parse_json(stdout: &[u8], args: &[&str]) -> Value {
    serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "whatscope {args:?}: stdout is not one JSON value ({e}):\n{}",
            String::from_utf8_lossy(stdout)
        )
    })
}

/// Every key of `expected` has that value in `actual` (more fields may be added, docs/cli.md).
#[track_caller]
fn assert_fields(actual: &Value, expected: &Value) {
    let want = expected.as_object().expect("expected is an object");
    let got = actual
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {actual}"));
    for (k, v) in want {
        assert_eq!(
            got.get(k),
            Some(v),
            "field {k:?} of {actual:#}\nexpected {v}"
        );
    }
}

fn is_id(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 16
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The report entry for `path`.
fn file_report<'a>(report: &'a Value, path: &Path) -> &'a Value {
    report["files"]
        .as_array()
        .expect("files is an array")
        .iter()
        .find(|f| f["path"] == s(path))
        .unwrap_or_else(|| panic!("no report for {} in {report:#}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// Hand-made expectations

/// Fixture 01 in time order: (ts, sender, kind, text). No attachments, nothing edited.
const HIKING_LOG: [(&str, Option<&str>, &str, &str); 24] = [
    ("2023-03-14T09:12:00", None, "system", "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."),
    ("2023-03-14T09:12:00", None, "system", "Maya Lopez created group \"Hiking Crew\""),
    ("2023-03-14T09:12:00", None, "system", "Maya Lopez added you"),
    ("2023-03-14T09:13:00", None, "system", "Maya Lopez added Tomás Rivera"),
    ("2023-03-14T09:14:00", None, "system", "+44 7700 900123 joined using this group's invite link"),
    ("2023-03-14T09:15:00", Some("Maya Lopez"), "text", "Welcome everyone! First trip idea: Snowdon in April?"),
    ("2023-03-14T09:17:00", Some("Tomás Rivera"), "text", "Count me in"),
    ("2023-03-14T09:18:00", Some("Tomás Rivera"), "media", ""),
    ("2023-03-14T09:21:00", Some("+44 7700 900123"), "text", "Hi all, it's Priya - got the link from the climbing wall group"),
    ("2023-03-14T09:22:00", Some("Maya Lopez"), "text", "Kit list so far:\n- boots\n- waterproofs\n- 2L water"),
    ("2023-03-15T18:40:00", None, "system", "Maya Lopez changed the subject from \"Hiking Crew\" to \"Hiking Crew 🥾\""),
    ("2023-03-15T18:41:00", None, "system", "Maya Lopez changed this group's icon"),
    ("2023-03-15T18:45:00", None, "system", "Maya Lopez changed the group description"),
    ("2023-03-15T19:02:00", Some("Tomás Rivera"), "deleted", "This message was deleted"),
    ("2023-03-15T19:03:00", Some("Jonas Becker"), "deleted", "You deleted this message"),
    ("2023-03-15T19:05:00", Some("Jonas Becker"), "text", "Sorry, wrong chat 🙈"),
    ("2023-03-16T07:30:00", Some("Tomás Rivera"), "hidden", "null"),
    ("2023-03-16T07:31:00", Some("Tomás Rivera"), "text", "^ that was a view-once photo of the map"),
    ("2023-03-16T12:00:00", None, "system", "+44 7700 900123 left"),
    ("2023-03-16T12:04:00", None, "system", "Maya Lopez added +44 7700 900123"),
    ("2023-03-16T12:10:00", Some("Jonas Becker"), "location", "location: https://maps.google.com/?q=53.068500,-4.076200"),
    ("2023-03-16T12:11:00", Some("Jonas Becker"), "text", "Meet here at 8"),
    ("2023-03-17T21:47:00", Some("Maya Lopez"), "text", "Forecast looks grim.\nMight postpone to the 25th.\n\nThoughts?"),
    ("2023-03-17T22:03:00", None, "system", "Your security code with Tomás Rivera changed. Tap to learn more."),
];

/// Fixture 04 in time order: (ts, sender, kind, text, edited). No attachments (omitted media).
/// 2024+ iOS attributes events to the group or the actor: still system, sender null.
const BOOK_LOG: [(&str, Option<&str>, &str, &str, bool); 18] = [
    ("2024-08-14T21:00:10", None, "system", "Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them.", false),
    ("2024-08-14T21:00:10", None, "system", "Rita Alves created group “Book Club 📚”", false),
    ("2024-08-14T21:00:11", None, "system", "Rita Alves added you", false),
    ("2024-08-14T21:01:57", None, "system", "You're now an admin", false),
    ("2024-08-14T21:02:30", None, "system", "Rita Alves changed this group's icon", false),
    ("2024-08-14T21:05:12", Some("Rita Alves"), "text", "First pick: “Piranesi”. Thoughts?", false),
    ("2024-08-14T21:06:01", None, "system", "~\u{202F}Jun joined using this group's invite link", false),
    ("2024-08-14T21:06:40", Some("Jun"), "text", "I'm in! Thanks for the link", false),
    ("2024-08-14T21:07:02", Some("Lena Park"), "text", "@Rita Alves can we meet on the 29th?", false),
    ("2024-08-14T21:07:45", Some("Rita Alves"), "poll", "POLL:\nMeeting day?\nOPTION: Thu 29th (2 votes)\nOPTION: Sat 31st (1 vote)", false),
    ("2024-08-14T21:10:03", Some("Jun"), "text", "Thursday works, see you then", true),
    ("2024-08-15T00:14:09", Some("Lena Park"), "media", "", false),
    ("2024-08-15T00:15:31", Some("Lena Park"), "text", "my annotated copy, sorry for the mess", false),
    ("2024-08-15T07:48:00", Some("Rita Alves"), "deleted", "This message was deleted.", false),
    ("2024-08-15T12:02:41", Some("Jun"), "media", "", false),
    ("2024-08-15T12:03:00", Some("Jun"), "text", "the author interview I mentioned", false),
    ("2024-08-16T18:31:00", None, "system", "Rita Alves changed the group description", false),
    ("2024-08-31T22:12:45", Some("Lena Park"), "text", "Great session tonight! Next book:\n“The Left Hand of Darkness”\nVote by Friday 🗳️", false),
];

fn hiking_summary() -> Value {
    json!({"chat": HIKING, "messages": 13, "system": 11, "participants": 4,
           "first": "2023-03-14T09:15:00", "last": "2023-03-17T21:47:00"})
}

fn book_summary() -> Value {
    json!({"chat": BOOK, "messages": 11, "system": 7, "participants": 3,
           "first": "2024-08-14T21:05:12", "last": "2024-08-31T22:12:45"})
}

fn assert_log(log: &[Value], chat: &str, expected: &[(&str, Option<&str>, &str, &str, bool)]) {
    assert_eq!(log.len(), expected.len(), "log of {chat}: {log:#?}");
    for (m, (ts, sender, kind, text, edited)) in log.iter().zip(expected) {
        assert!(is_id(&m["id"]), "id of {m}");
        assert_fields(
            m,
            &json!({"chat": chat, "ts": ts, "sender": sender, "kind": kind, "text": text,
                    "attachment": null, "edited": edited}),
        );
    }
    let ids: HashSet<&str> = log.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), log.len(), "ids are unique");
}

fn hiking_expected() -> Vec<(
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    bool,
)> {
    HIKING_LOG
        .iter()
        .map(|&(ts, sender, kind, text)| (ts, sender, kind, text, false))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// import → chats → search → log

#[test]
fn import_chats_search_log_json_shapes() {
    let env = Env::new();
    let (hiking, book) = env.fixtures();

    let report = env.json(&["import", s(&hiking), s(&book), "--json"]);
    assert_eq!(report["files"].as_array().unwrap().len(), 2, "{report:#}");
    assert_fields(&report, &json!({"added": 42, "duplicates": 0}));
    let f = file_report(&report, &hiking);
    assert_fields(
        f,
        &json!({"path": s(&hiking), "chat": HIKING, "added": 24, "duplicates": 0, "skipped_lines": []}),
    );
    let format = f["format"].as_str().unwrap();
    assert!(format.contains("android"), "format of 01: {format}");
    let f = file_report(&report, &book);
    assert_fields(
        f,
        &json!({"path": s(&book), "chat": BOOK, "added": 18, "duplicates": 0, "skipped_lines": []}),
    );
    let format = f["format"].as_str().unwrap();
    assert!(format.contains("ios"), "format of 04: {format}");

    // chats: `messages` have a sender, `system` do not; first/last over messages with a sender.
    let chats = env.chats();
    assert_eq!(chats.len(), 2, "{chats:#?}");
    assert_fields(&env.chat(HIKING), &hiking_summary());
    assert_fields(&env.chat(BOOK), &book_summary());

    // log: NDJSON in time order, every field.
    let hiking_log = env.log(HIKING);
    assert_log(&hiking_log, HIKING, &hiking_expected());
    let book_log = env.log(BOOK);
    assert_log(&book_log, BOOK, &BOOK_LOG);

    // search: the object, one hit with every field.
    let r = env.search("trip", &[]);
    assert_fields(&r, &json!({"query": "trip", "total": 1}));
    let hits = r["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{r:#}");
    let hit = &hits[0];
    assert_fields(
        hit,
        &json!({"id": hiking_log[5]["id"], "chat": HIKING, "ts": "2023-03-14T09:15:00",
                "sender": "Maya Lopez", "kind": "text",
                "text": "Welcome everyone! First trip idea: Snowdon in April?",
                "attachment": null, "edited": false,
                "snippet": "Welcome everyone! First «trip» idea: Snowdon in April?"}),
    );
    assert!(hit["score"].as_f64().is_some_and(|x| x > 0.0), "{hit}");

    // An edited message: marker gone from text and snippet, `edited: true`; a phrase snippet.
    let r = env.search("thursday", &[]);
    assert_fields(&r, &json!({"query": "thursday", "total": 1}));
    assert_fields(
        &r["hits"][0],
        &json!({"id": book_log[10]["id"], "chat": BOOK, "ts": "2024-08-14T21:10:03",
                "sender": "Jun", "kind": "text", "text": "Thursday works, see you then",
                "attachment": null, "edited": true,
                "snippet": "«Thursday» works, see you then"}),
    );
    let r = env.search("\"wrong chat\"", &[]);
    assert_fields(&r, &json!({"query": "\"wrong chat\"", "total": 1}));
    assert_eq!(r["hits"][0]["snippet"], "Sorry, «wrong chat» 🙈");
    // Accent-insensitive, and every match in the snippet is marked.
    let r = env.search("tomas", &[]);
    let snippets: HashSet<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["snippet"].as_str().unwrap())
        .collect();
    assert_eq!(
        snippets,
        HashSet::from([
            "Maya Lopez added «Tomás» Rivera",
            "Your security code with «Tomás» Rivera changed. Tap to learn more."
        ])
    );
    // A multi-word query is echoed as one string.
    let r = env.json(&["search", "wrong", "chat", "--json"]);
    assert_fields(&r, &json!({"query": "wrong chat", "total": 1}));

    // log: --after (inclusive), --limit, --offset, and a unique part of the name.
    let page = env.ndjson(&[
        "log",
        "--chat",
        "hiking",
        "--after",
        "2023-03-16",
        "--limit",
        "3",
        "--json",
    ]);
    let ts: Vec<&str> = page.iter().map(|m| m["ts"].as_str().unwrap()).collect();
    assert_eq!(
        ts,
        [
            "2023-03-16T07:30:00",
            "2023-03-16T07:31:00",
            "2023-03-16T12:00:00"
        ]
    );
    let page = env.ndjson(&[
        "log",
        "--chat",
        "HIKING CREW",
        "--limit",
        "2",
        "--offset",
        "22",
        "--json",
    ]);
    assert_eq!(page, hiking_log[22..].to_vec());
    let after = env.ndjson(&[
        "log",
        "--chat",
        BOOK,
        "--after",
        "2024-08-15T12:02:41",
        "--json",
    ]);
    assert_eq!(after, book_log[14..].to_vec());
}

#[test]
fn p12_import_is_idempotent() {
    let env = Env::new();
    let (hiking, book) = env.fixtures();
    let dir = hiking.parent().unwrap();
    let first = env.json(&["import", s(dir), "--json"]);
    assert_fields(&first, &json!({"added": 42, "duplicates": 0}));
    let chats = env.chats();
    let second = env.json(&["import", s(dir), "--json"]);
    assert_fields(&second, &json!({"added": 0, "duplicates": 42}));
    assert_fields(
        file_report(&second, &hiking),
        &json!({"chat": HIKING, "added": 0, "duplicates": 24, "skipped_lines": []}),
    );
    assert_fields(
        file_report(&second, &book),
        &json!({"chat": BOOK, "added": 0, "duplicates": 18, "skipped_lines": []}),
    );
    // And one file twice in one command: the second copy is all duplicates.
    let third = env.json(&["import", s(&hiking), s(&hiking), "--json"]);
    assert_fields(&third, &json!({"added": 0, "duplicates": 48}));
    assert_eq!(env.chats(), chats);
    assert_eq!(env.log(HIKING).len(), 24);
    assert_eq!(env.log(BOOK).len(), 18);
}

// ---------------------------------------------------------------------------------------------
// Merging overlapping exports

#[test]
fn p12_overlapping_exports_merge_to_the_union() {
    use whatscope_synth::{android_en_gb, generate_messages, render_export, LineEnding};
    let env = Env::new();
    let style = android_en_gb();
    let n = 600;
    let cut = n * 6 / 10;
    let msgs = generate_messages(7, n, &style);
    let name = "WhatsApp Chat with Merge Test.txt";
    // A: an older export (the first 60%); B: a newer one of the same chat, A and more.
    let a = env.write(
        "a",
        name,
        render_export(&style, &msgs[..cut], LineEnding::Lf).as_bytes(),
    );
    let b = env.write(
        "b",
        name,
        render_export(&style, &msgs, LineEnding::Lf).as_bytes(),
    );

    // What B holds, message by message, according to `parse`.
    let parsed_b = parse_ndjson(&bare().args(["parse", s(&b)]).output().unwrap().stdout);
    assert_eq!(parsed_b.len(), n, "the synthetic export round-trips");
    let parsed_a = parse_ndjson(&bare().args(["parse", s(&a)]).output().unwrap().stdout);
    assert_eq!(parsed_a.len(), cut);

    let ra = env.json(&["import", s(&a), "--json"]);
    assert_fields(&ra, &json!({"added": cut, "duplicates": 0}));
    let rb = env.json(&["import", s(&b), "--json"]);
    assert_fields(&rb, &json!({"added": n - cut, "duplicates": cut}));
    assert_fields(
        file_report(&rb, &b),
        &json!({"chat": "Merge Test", "added": n - cut, "duplicates": cut}),
    );

    let chat = env.chat("Merge Test");
    let total = chat["messages"].as_u64().unwrap() + chat["system"].as_u64().unwrap();
    assert_eq!(total, n as u64, "{chat}");
    assert_eq!(env.chats().len(), 1);
    let log = env.log("Merge Test");
    assert_eq!(log.len(), n);
    let log_ids: HashSet<&str> = log.iter().map(|m| m["id"].as_str().unwrap()).collect();
    let parsed_ids: HashSet<&str> = parsed_b.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(log_ids.len(), n);
    assert_eq!(log_ids, parsed_ids, "the archive holds exactly B");
    // Time order, ties in file order.
    let keys: Vec<(&str, u64)> = {
        let line: std::collections::HashMap<&str, u64> = parsed_b
            .iter()
            .map(|m| (m["id"].as_str().unwrap(), m["line"].as_u64().unwrap()))
            .collect();
        log.iter()
            .map(|m| {
                let id = m["id"].as_str().unwrap();
                (m["ts"].as_str().unwrap(), line[id])
            })
            .collect()
    };
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "log is in time order"
    );

    // The older export again: nothing new.
    let again = env.json(&["import", s(&a), "--json"]);
    assert_fields(&again, &json!({"added": 0, "duplicates": cut}));
    let again = env.json(&["import", s(&b), "--json"]);
    assert_fields(&again, &json!({"added": 0, "duplicates": n}));
    assert_eq!(env.log("Merge Test").len(), n);

    // The other order: B first, then A adds nothing.
    let env2 = Env::new();
    env2.ok(&["import", s(&b)]);
    let ra = env2.json(&["import", s(&a), "--json"]);
    assert_fields(&ra, &json!({"added": 0, "duplicates": cut}));
    assert_eq!(env2.chat("Merge Test"), chat);
}

#[test]
fn p12_identical_messages_in_one_export_are_all_kept() {
    let env = Env::new();
    let name = "WhatsApp Chat with Twins.txt";
    let body = "\
13/02/2024, 10:00 - Ana: ok
13/02/2024, 10:00 - Ana: ok
13/02/2024, 10:00 - Ana: ok
13/02/2024, 10:01 - Ben: 👍
13/02/2024, 10:02 - Ana: ok
";
    // An older export holding the first of the three identical lines only.
    let older = env.write("older", name, body.lines().next().unwrap().as_bytes());
    let full = env.write("full", name, body.as_bytes());

    let r = env.json(&["import", s(&older), "--json"]);
    assert_fields(&r, &json!({"added": 1, "duplicates": 0}));
    let r = env.json(&["import", s(&full), "--json"]);
    assert_fields(&r, &json!({"added": 4, "duplicates": 1}));
    assert_fields(
        &env.chat("Twins"),
        &json!({"chat": "Twins", "messages": 5, "system": 0, "participants": 2,
                "first": "2024-02-13T10:00:00", "last": "2024-02-13T10:02:00"}),
    );
    let log = env.log("Twins");
    let texts: Vec<(&str, &str)> = log
        .iter()
        .map(|m| (m["ts"].as_str().unwrap(), m["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        texts,
        [
            ("2024-02-13T10:00:00", "ok"),
            ("2024-02-13T10:00:00", "ok"),
            ("2024-02-13T10:00:00", "ok"),
            ("2024-02-13T10:01:00", "👍"),
            ("2024-02-13T10:02:00", "ok"),
        ]
    );
    let ids: HashSet<&str> = log.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 5, "identical messages get distinct ids");
    assert_eq!(env.total("ok"), 4);

    for path in [&full, &older] {
        let r = env.json(&["import", s(path), "--json"]);
        assert_eq!(r["added"], 0, "{r:#}");
    }
    assert_eq!(env.log("Twins"), log);
    assert_eq!(env.total("ok"), 4);
}

// ---------------------------------------------------------------------------------------------
// One chat as .txt and as .zip

fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn the_same_chat_as_txt_and_zip_is_not_duplicated() {
    let env = Env::new();
    let hiking_txt = env.write("txt", HIKING_TXT, &fixture_01());
    let book_txt = env.write("txt", BOOK_TXT, &fixture_04());
    // Android zips hold the chat under the export's name; iOS zips hold `_chat.txt`.
    let hiking_zip = env.write(
        "zip",
        HIKING_ZIP,
        &zip_bytes(&[
            (HIKING_TXT, &fixture_01()),
            ("IMG-20230314-WA0001.jpg", b"\xff\xd8\xff\xe0"),
        ]),
    );
    let book_zip = env.write("zip", BOOK_ZIP, &zip_bytes(&[("_chat.txt", &fixture_04())]));

    let r = env.json(&["import", s(&hiking_txt), s(&book_txt), "--json"]);
    assert_fields(&r, &json!({"added": 42, "duplicates": 0}));
    let r = env.json(&["import", s(&hiking_zip), s(&book_zip), "--json"]);
    assert_fields(&r, &json!({"added": 0, "duplicates": 42}));
    let chats: Vec<&str> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["chat"].as_str().unwrap())
        .collect();
    assert_eq!(chats, [HIKING, BOOK], "the zip's name names the chat");
    assert_eq!(env.chats().len(), 2);
    assert_fields(&env.chat(HIKING), &hiking_summary());
    assert_fields(&env.chat(BOOK), &book_summary());

    // Zips first, both forms in one command: still each message once.
    let env2 = Env::new();
    let r = env2.json(&[
        "import",
        s(&hiking_zip),
        s(&book_zip),
        s(&hiking_txt),
        s(&book_txt),
        "--json",
    ]);
    assert_fields(&r, &json!({"added": 42, "duplicates": 42}));
    assert_eq!(env2.chats().len(), 2);
    assert_fields(&env2.chat(HIKING), &hiking_summary());
    assert_fields(&env2.chat(BOOK), &book_summary());
    assert_log(&env2.log(HIKING), HIKING, &hiking_expected());
    assert_log(&env2.log(BOOK), BOOK, &BOOK_LOG);
    // The same ids whichever form came first.
    assert_eq!(env.log(HIKING), env2.log(HIKING));
    assert_eq!(env.log(BOOK), env2.log(BOOK));
}

// ---------------------------------------------------------------------------------------------
// Query totals

#[test]
fn search_totals_are_exact() {
    let env = Env::archive();
    // Counted by hand in fixtures 01 (Hiking Crew) and 04 (Book Club 📚).
    let cases: &[(&str, u64)] = &[
        ("trip", 1),
        ("FORECAST", 1), // case-insensitive
        ("tomas", 2),    // accent-insensitive: two system lines name Tomás
        ("snowdon", 1),
        ("link", 4),                // 2 texts + 2 "joined using this group's invite link"
        ("link -joined", 2),        // exclusion
        ("\"wrong chat\"", 1),      // phrase
        ("\"chat wrong\"", 0),      // phrase order matters
        ("wrong chat", 1),          // AND
        ("snowdon OR piranesi", 2), // OR
        ("thou*", 2),               // prefix: "Thoughts?" in both chats
        ("snowdn~", 1),             // fuzzy
        ("🙈", 1),                  // emoji token
        ("nosuchword", 0),
        ("from:jun", 4), // "~ Jun" normalised; the join event is system
        ("from:\"Maya Lopez\"", 3),
        ("from:jonas", 4), // deleted, two texts, location
        ("from:jun -interview", 3),
        ("chat:\"Book Club\"", 18), // every message of the chat, system included
        ("chat:hiking", 24),
        ("chat:hiking from:maya", 3),
        ("kind:media", 3),
        ("kind:text", 15),
        ("kind:system", 18),
        ("kind:deleted", 3),
        ("kind:poll", 1),
        ("kind:hidden", 1),
        ("kind:location", 1),
        ("kind:call", 0),
        ("has:media", 3),
        ("has:link", 1),                           // only the maps URL
        ("has:emoji", 4),                          // 🥾 (subject), 🙈, 📚 (group created), 🗳️
        ("after:2023-03-16 before:2023-03-17", 6), // after inclusive, before exclusive
        ("before:2023-03-15", 10),
        ("after:2024-08-15", 7),
        ("after:2024-08-15 chat:hiking", 0),
        ("thoughts before:2024-01-01", 1),
        ("kind:text -chat:hiking", 7),
    ];
    let mut wrong = Vec::new();
    for &(query, want) in cases {
        let r = env.search(query, &["--limit", "1000"]);
        let total = r["total"].as_u64().unwrap();
        let hits = r["hits"].as_array().unwrap().len() as u64;
        if total != want || hits != want {
            wrong.push(format!(
                "{query:?}: total {total}, {hits} hits, expected {want}"
            ));
        }
    }
    assert!(wrong.is_empty(), "wrong totals:\n{}", wrong.join("\n"));
}

#[test]
fn search_sort_and_limit() {
    let env = Env::archive();
    let ts = |r: &Value| -> Vec<String> {
        r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["ts"].as_str().unwrap().to_string())
            .collect()
    };

    // --sort date: newest first.
    let r = env.search("link", &["--sort", "date"]);
    assert_eq!(r["total"], 4);
    assert_eq!(
        ts(&r),
        [
            "2024-08-14T21:06:40",
            "2024-08-14T21:06:01",
            "2023-03-14T09:21:00",
            "2023-03-14T09:14:00"
        ]
    );

    // Relevance: scores never increase.
    let r = env.search("link OR group OR trip", &["--limit", "1000"]);
    let scores: Vec<f64> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(scores.len() >= 5, "{r:#}");
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // --limit cuts the hits, never the total.
    let r = env.search("kind:text", &["--limit", "3", "--sort", "date"]);
    assert_eq!(r["total"], 15);
    assert_eq!(
        ts(&r),
        [
            "2024-08-31T22:12:45",
            "2024-08-15T12:03:00",
            "2024-08-15T00:15:31"
        ]
    );
    let r = env.search("link", &["--limit", "1"]);
    assert_eq!(r["total"], 4);
    assert_eq!(r["hits"].as_array().unwrap().len(), 1);

    // Filters only, date order: every hit passes the filters.
    let r = env.search("from:jun", &["--sort", "date"]);
    assert_eq!(
        ts(&r),
        [
            "2024-08-15T12:03:00",
            "2024-08-15T12:02:41",
            "2024-08-14T21:10:03",
            "2024-08-14T21:06:40"
        ]
    );
    for h in r["hits"].as_array().unwrap() {
        assert_fields(h, &json!({"chat": BOOK, "sender": "Jun"}));
    }
    let r = env.search("kind:media", &[]);
    for h in r["hits"].as_array().unwrap() {
        assert_eq!(h["kind"], "media", "{h}");
    }
}

// ---------------------------------------------------------------------------------------------
// Errors and exit codes

#[track_caller]
fn assert_error(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", describe(out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{}", describe(out));
    assert!(!err.contains("RUST_BACKTRACE"), "{}", describe(out));
}

#[track_caller]
fn assert_user_error(out: &Output) {
    assert_error(out, 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: "), "{}", describe(out));
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "one error line: {}",
        describe(out)
    );
    assert!(
        err.lines().any(|l| l.starts_with("hint: ") && l.len() > 6),
        "a hint: {}",
        describe(out)
    );
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: {}",
        describe(out)
    );
}

#[test]
fn errors_are_one_line_with_a_hint_and_exit_codes_follow_the_spec() {
    // No archive (an empty data dir, and one that does not exist).
    let env = Env::new();
    fs::create_dir_all(env.data()).unwrap();
    assert_user_error(&env.run(&["search", "trip", "--json"]));
    assert_user_error(&env.run(&["search", "trip"]));
    assert_user_error(&env.run(&["chats", "--json"]));
    assert_user_error(&env.run(&["log", "--chat", HIKING, "--json"]));
    let missing = Env::new();
    assert_user_error(&missing.run(&["search", "trip", "--json"]));
    assert!(
        !missing.data().exists(),
        "reading commands do not create the data dir"
    );

    // An archive without that chat.
    let env = Env::archive();
    let out = env.run(&["log", "--chat", "nosuchchat", "--json"]);
    assert_user_error(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("nosuchchat"));
    assert_user_error(&env.run(&["log", "--chat", "nosuchchat"]));
    // A bad --after is a failure with a hint, not a parser panic.
    assert_user_error(&env.run(&["log", "--chat", HIKING, "--after", "yesterday"]));
    // A missing export.
    let out = env.run(&["import", "/nonexistent/WhatsApp Chat with Nobody.txt"]);
    assert_error(&out, 1);
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));

    // Usage errors: exit 2.
    assert_error(&env.run(&["search", "trip", "--bogus"]), 2);
    assert_error(&env.run(&["chats", "--nope"]), 2);
    assert_error(&env.run(&["import", "--json"]), 2); // no path
    assert_error(&env.run(&["log", "--json"]), 2); // no --chat
    assert_error(&env.run(&["search", "trip", "--limit", "many"]), 2);
    assert_error(&env.run(&["search", "trip", "--sort", "size"]), 2);
    assert_error(&env.run(&["frobnicate"]), 2);
    // The archive is untouched by all that.
    assert_fields(&env.chat(HIKING), &hiking_summary());
}

// ---------------------------------------------------------------------------------------------
// Data at rest

#[cfg(unix)]
#[test]
fn data_dir_is_0700_and_files_0600() {
    let env = Env::archive();
    assert_private(&env.data());
    let count = files_under(&env.data()).len();
    assert!(count >= 3, "the archive has files: {count}");
    // Still after a second commit and after reading.
    let (hiking, _) = env.fixtures();
    let extra = env.write(
        "more",
        "WhatsApp Chat with Extra.txt",
        b"01/05/2024, 10:00 - Ana: hi\n",
    );
    env.ok(&["import", s(&hiking), s(&extra)]);
    env.ok(&["search", "hi"]);
    env.ok(&["chats"]);
    assert_private(&env.data());
}

// ---------------------------------------------------------------------------------------------
// Choosing the data dir

#[test]
fn data_dir_after_the_subcommand_and_from_the_environment() {
    let env = Env::new();
    let (hiking, _) = env.fixtures();
    let data = env.data();
    let out = bare()
        .args(["import", s(&hiking), "--data-dir", s(&data), "--json"])
        .output()
        .unwrap();
    assert_ok(&out, &["import … --data-dir"]);
    assert_fields(&parse_json(&out.stdout, &[]), &json!({"added": 24}));
    assert!(data.is_dir(), "the archive is in the given dir");

    let out = bare()
        .args(["chats", "--json", "--data-dir", s(&data)])
        .output()
        .unwrap();
    assert_ok(&out, &["chats --json --data-dir"]);
    let after: Value = parse_json(&out.stdout, &[]);
    assert_fields(&after[0], &hiking_summary());

    let out = bare()
        .env("WHATSCOPE_DATA_DIR", &data)
        .args(["chats", "--json"])
        .output()
        .unwrap();
    assert_ok(&out, &["WHATSCOPE_DATA_DIR chats --json"]);
    assert_eq!(parse_json(&out.stdout, &[]), after);

    let out = bare()
        .env("WHATSCOPE_DATA_DIR", &data)
        .args(["search", "trip", "--json"])
        .output()
        .unwrap();
    assert_ok(&out, &["WHATSCOPE_DATA_DIR search"]);
    assert_eq!(parse_json(&out.stdout, &[])["total"], 1);

    // An import through the environment lands there too.
    let (_, book) = env.fixtures();
    let out = bare()
        .env("WHATSCOPE_DATA_DIR", &data)
        .args(["import", s(&book)])
        .output()
        .unwrap();
    assert_ok(&out, &["WHATSCOPE_DATA_DIR import"]);
    assert_eq!(env.chats().len(), 2);

    // The flag wins over the environment.
    let other = env.tmp.path().join("other");
    let out = bare()
        .env("WHATSCOPE_DATA_DIR", &other)
        .args(["--data-dir", s(&data), "chats", "--json"])
        .output()
        .unwrap();
    assert_ok(&out, &["--data-dir over WHATSCOPE_DATA_DIR"]);
    assert_eq!(parse_json(&out.stdout, &[]).as_array().unwrap().len(), 2);
    assert!(!other.exists());
}

// ---------------------------------------------------------------------------------------------
// Control characters never reach stdout raw in JSON

/// Fails on raw ESC, BEL, other C0 controls but `\n`, DEL, C1 controls and bidi controls.
#[track_caller]
fn assert_no_raw_controls(what: &str, out: &[u8]) {
    assert!(
        !out.contains(&0x1b),
        "{what}: raw ESC in {:?}",
        String::from_utf8_lossy(out)
    );
    assert!(
        !out.contains(&0x07),
        "{what}: raw BEL in {:?}",
        String::from_utf8_lossy(out)
    );
    let text = std::str::from_utf8(out).expect("stdout is UTF-8");
    for c in text.chars() {
        let bad = matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}');
        assert!(!bad, "{what}: raw {c:?} in {text:?}");
    }
}

#[test]
fn control_characters_are_escaped_in_json_output() {
    let env = Env::new();
    let export = "\
01/02/2024, 10:00 - Mallory\u{1b}[31m: evil \u{1b}[2J bell \u{7} rlo \u{202e}gnp.exe c1 \u{9b}6n tab\tend
01/02/2024, 10:01 - Ana: payload on a
second line \u{1b}]0;pwned\u{7} evil
13/02/2024, 10:02 - Ana: fine
";
    let path = env.write("cc", "WhatsApp Chat with Evil.txt", export.as_bytes());
    let chat = "Evil\u{1b}]0;title\u{7}\u{202e}Chat";
    let out = env.run(&["import", s(&path), "--chat", chat, "--json"]);
    assert_ok(&out, &["import --chat <controls>"]);
    assert_no_raw_controls("import --json", &out.stdout);
    let report = parse_json(&out.stdout, &[]);
    assert_fields(&report, &json!({"added": 3}));
    assert_eq!(
        report["files"][0]["chat"], chat,
        "JSON keeps the data, escaped"
    );

    let out = env.ok(&["chats", "--json"]);
    assert_no_raw_controls("chats --json", &out.stdout);
    assert_eq!(parse_json(&out.stdout, &[])[0]["chat"], chat);

    let out = env.ok(&["search", "evil", "--json"]);
    assert_no_raw_controls("search --json", &out.stdout);
    let raw = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(raw.contains("\\u001b[2J"), "ESC escaped as \\u001b: {raw}");
    assert!(raw.contains("\\u0007"), "BEL escaped as \\u0007: {raw}");
    let r = parse_json(&out.stdout, &[]);
    assert_eq!(r["total"], 2);
    let hits = r["hits"].as_array().unwrap();
    let mallory = hits
        .iter()
        .find(|h| h["ts"] == "2024-02-01T10:00:00")
        .unwrap();
    let text = mallory["text"].as_str().unwrap();
    assert!(text.contains("evil \u{1b}[2J bell \u{7} rlo "), "{text:?}");
    assert!(text.contains('\u{9b}') && text.contains('\t'), "{text:?}");
    assert_eq!(mallory["sender"], "Mallory\u{1b}[31m");
    assert_eq!(mallory["chat"], chat);

    for args in [
        &["search", "evil", "--json", "--sort", "date"][..],
        &["search", "kind:text", "--json"],
        &["search", "from:mallory", "--json"],
        &["log", "--chat", "evil", "--json"],
        &["log", "--chat", chat, "--json"],
    ] {
        let out = env.ok(args);
        assert_no_raw_controls(&format!("{args:?}"), &out.stdout);
        assert!(!out.stdout.is_empty(), "{args:?} printed something");
    }
    let log = env.ndjson(&["log", "--chat", "evil", "--json"]);
    assert_eq!(log.len(), 3);
    assert_eq!(log[0]["sender"], "Mallory\u{1b}[31m");
    assert_eq!(
        log[1]["text"],
        "payload on a\nsecond line \u{1b}]0;pwned\u{7} evil"
    );
}

/// A name in `from:` is that whole name when one person has it (`from:"Anna"` is Anna, never
/// Anna Fischer); only a value that is no whole name matches names by their words.
#[test]
fn from_a_whole_name_selects_exactly_that_name() {
    let env = Env::new();
    let export = env.write(
        "a",
        "WhatsApp Chat with Anna.txt",
        b"01/02/2024, 10:00 - Anna: hello\n01/02/2024, 10:01 - Anna Fischer: hi Anna\n01/02/2024, 10:02 - Bob: morning both\n01/02/2024, 10:03 - Anna Fischer: coffee?\n01/02/2024, 10:04 - Anna: yes\n01/02/2024, 10:05 - Anna Fischer: great\n",
    );
    assert_ok(&env.run(&["import", s(&export)]), &["import"]);
    let total = |query: &str| {
        let args = ["search", "--json", query];
        let out = env.run(&args);
        assert_ok(&out, &args);
        parse_json(&out.stdout, &args)["total"].as_u64()
    };
    assert_eq!(total("from:\"Anna\""), Some(2));
    assert_eq!(
        total("from:anna"),
        Some(2),
        "a bare whole name is exact too"
    );
    assert_eq!(total("from:ANNA"), Some(2), "compared folded");
    assert_eq!(total("from:\"Anna Fischer\""), Some(3));
    assert_eq!(
        total("from:fischer"),
        Some(3),
        "no whole name: matched by words"
    );
    assert_eq!(total("from:ann*"), Some(5), "a prefix matches by words");
    // `stats --participant` and `stats --query from:` agree with the search, to the message.
    let args = ["stats", "--json", "--participant", "Anna"];
    let out = env.run(&args);
    assert_ok(&out, &args);
    assert_eq!(parse_json(&out.stdout, &args)["messages"].as_u64(), Some(2));
    let args = ["stats", "--json", "--query", "from:\"Anna\""];
    let out = env.run(&args);
    assert_ok(&out, &args);
    let stats = parse_json(&out.stdout, &args);
    let names: Vec<&str> = stats["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["Anna"]);
    assert_eq!(stats["messages"].as_u64(), Some(2));
}

/// People (docs/people.md): a number and a name merged across two chats are one person in
/// `people`, `from:`, statistics (participants and interactions), pseudonyms and `forget`;
/// `split` restores the figures exactly.
#[test]
fn people_merge_a_number_and_a_name_across_two_chats() {
    let env = Env::new();
    let old = env.write(
        "p",
        "WhatsApp Chat with Family 2021.txt",
        "01/02/2021, 10:00 - +44 7700 900461: hi from my old number\n01/02/2021, 10:01 - Bob: hi\n01/02/2021, 10:02 - +44 7700 900461: ok\n01/02/2021, 10:05 - Bob: later\n".as_bytes(),
    );
    let new = env.write(
        "p",
        "WhatsApp Chat with Family 2023.txt",
        "01/03/2023, 10:00 - Lucía Rivera: new phone\n01/03/2023, 10:01 - Bob: hi Lucía\n01/03/2023, 10:02 - Lucía Rivera: yes\n01/03/2023, 10:03 - Bob: ok\n".as_bytes(),
    );
    env.ok(&["import", s(&old), s(&new)]);
    let participants = |env: &Env| {
        let args = ["stats", "--json"];
        let stats = parse_json(&env.ok(&args).stdout, &args);
        let rows: Vec<(String, u64)> = stats["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap_or("").to_string(),
                    p["messages"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        (rows, stats["interactions"].clone())
    };
    let before = participants(&env);
    assert_eq!(
        before.0,
        [
            ("Bob".to_string(), 4),
            ("+44 7700 900461".to_string(), 2),
            ("Lucía Rivera".to_string(), 2)
        ]
    );
    // Suggested, with its reason: a number and a name who write with the same people.
    let args = ["people", "suggest", "--json"];
    let suggestions = parse_json(&env.ok(&args).stdout, &args);
    assert_eq!(
        suggestions[0]["names"],
        json!(["+44 7700 900461", "Lucía Rivera"])
    );
    assert!(suggestions[0]["reason"]
        .as_str()
        .unwrap_or("")
        .contains("never in the same chat"));

    env.ok(&[
        "people",
        "merge",
        "+44 7700 900461",
        "Lucía Rivera",
        "--as",
        "Lucía",
    ]);
    env.ok(&["people", "merge", "Lucía Rivera", "+44 7700 900461"]); // idempotent
    let args = ["people", "--json"];
    let people = parse_json(&env.ok(&args).stdout, &args);
    assert_eq!(people.as_array().map(Vec::len), Some(2));
    let lucia = people
        .as_array()
        .and_then(|p| p.iter().find(|r| r["person"] == "Lucía"))
        .expect("the merged person");
    assert_eq!(lucia["names"], json!(["+44 7700 900461", "Lucía Rivera"]));
    assert_eq!(lucia["messages"], 4);
    assert_eq!(lucia["chats"].as_array().map(Vec::len), Some(2));
    // Statistics per person equal the sum; Bob's replies go to one person.
    let (rows, interactions) = participants(&env);
    assert_eq!(rows, [("Bob".to_string(), 4), ("Lucía".to_string(), 4)]);
    assert_eq!(
        interactions,
        json!([{"from": "Bob", "to": "Lucía", "replies": 4}, {"from": "Lucía", "to": "Bob", "replies": 2}])
    );
    let args = ["search", "--json", "from:\"Lucía Rivera\""];
    assert_eq!(parse_json(&env.ok(&args).stdout, &args)["total"], 4);
    // One pseudonym for the person, whichever name they wrote under.
    let args = ["--anonymize", "log", "--json", "--chat", "Family 2021"];
    let old_log = parse_ndjson(&env.ok(&args).stdout);
    let args = ["--anonymize", "log", "--json", "--chat", "Family 2023"];
    let new_log = parse_ndjson(&env.ok(&args).stdout);
    assert_eq!(old_log[0]["sender"], new_log[0]["sender"]);
    // Split restores the previous figures exactly.
    env.ok(&["people", "split", "Lucía Rivera"]);
    assert_eq!(participants(&env), before);
    // Merged again, forget erases both names and keeps both out of a re-import.
    env.ok(&["people", "merge", "+44 7700 900461", "Lucía Rivera"]);
    env.ok(&["forget", "--participant", "Lucía Rivera", "--yes"]);
    env.ok(&["import", s(&old), s(&new)]);
    let (rows, _) = participants(&env);
    assert_eq!(rows, [("Bob".to_string(), 4)]);
    let args = ["people", "--json"];
    assert_eq!(
        parse_json(&env.ok(&args).stdout, &args)
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let kept = fs::read_to_string(env.data().join("people.json")).unwrap_or_default();
    assert!(
        !kept.contains("Lucía") && !kept.contains("+44") && !kept.contains("900461"),
        "the merge went with the person, kept only as opt-out hashes: {kept}"
    );
    // `forget --undo` under one name lets every name back in; the re-import makes them one
    // person again.
    env.ok(&["forget", "--undo", "+44 7700 900461"]);
    env.ok(&["import", s(&old), s(&new)]);
    let (rows, _) = participants(&env);
    assert_eq!(
        rows,
        [("+44 7700 900461".to_string(), 4), ("Bob".to_string(), 4)]
    );
}

/// Two chats of one person under an old number and a name; every figure below is worked out
/// by hand from the lines (minutes apart; a session ends after an hour of silence).
fn two_chats_of_one_person(env: &Env) {
    let old = env.write(
        "pc",
        "WhatsApp Chat with Family 2021.txt",
        concat!(
            "01/02/2021, 10:00 - +44 7700 900461: a\n",
            "01/02/2021, 10:01 - Bob: b\n", // Bob → number, 60 s
            "01/02/2021, 10:03 - +44 7700 900461: c\n", // number → Bob, 120 s
            "01/02/2021, 10:04 - Carol: d\n", // Carol → number, 60 s
            "01/02/2021, 10:10 - +44 7700 900461: e\n", // number → Carol, 360 s
        )
        .as_bytes(),
    );
    let new = env.write(
        "pc",
        "WhatsApp Chat with Family 2023.txt",
        concat!(
            "01/03/2023, 10:00 - Lucía Rivera: f\n",
            "01/03/2023, 10:05 - Bob: g\n", // Bob → Lucía, 300 s
            "01/03/2023, 10:06 - Lucía Rivera: h\n", // Lucía → Bob, 60 s
            "01/03/2023, 10:07 - +44 7700 900461: k\n", // number → Lucía (no reply merged)
            "01/03/2023, 12:00 - Bob: i\n", // a new session: no reply
            "01/03/2023, 12:10 - Lucía Rivera: j\n", // Lucía → Bob, 600 s
        )
        .as_bytes(),
    );
    env.ok(&["import", s(&old), s(&new)]);
}

fn participant_stats(env: &Env, name: &str, extra: &[&str]) -> Value {
    let mut args = vec!["stats", "--json", "--participant", name];
    args.extend_from_slice(extra);
    parse_json(&env.ok(&args).stdout, &args)
}

#[test]
fn people_stats_across_chats_per_chat_and_partners() {
    let env = Env::new();
    two_chats_of_one_person(&env);
    let before = participant_stats(&env, "Lucía Rivera", &[]);
    assert_eq!(
        before["per_chat"],
        json!([{"chat": "Family 2023", "messages": 3}])
    );
    assert_eq!(
        before["partners"],
        json!([
            {"person": "Bob", "replies_to": 2, "replies_from": 1, "median_response_secs": 60},
            {"person": "+44 7700 900461", "replies_to": 0, "replies_from": 1, "median_response_secs": null},
        ])
    );

    env.ok(&[
        "people",
        "merge",
        "+44 7700 900461",
        "Lucía Rivera",
        "--as",
        "Lucía",
    ]);
    let mut merged = participant_stats(&env, "+44 7700 900461", &[]);
    let mut by_name = participant_stats(&env, "Lucía Rivera", &[]);
    merged["scope"].take();
    by_name["scope"].take();
    assert_eq!(merged, by_name, "either name is the person");
    assert_eq!(merged["messages"], 7);
    assert_eq!(
        merged["per_chat"],
        json!([{"chat": "Family 2023", "messages": 4}, {"chat": "Family 2021", "messages": 3}])
    );
    let per_chat_sum: u64 = merged["per_chat"]
        .as_array()
        .expect("per_chat")
        .iter()
        .filter_map(|c| c["messages"].as_u64())
        .sum();
    assert_eq!(Some(per_chat_sum), merged["messages"].as_u64());
    // Persons, not names: the number answering Lucía is no partner any more; median of the
    // person's replies to Bob (120, 60, 600 s) is 120.
    assert_eq!(
        merged["partners"],
        json!([
            {"person": "Bob", "replies_to": 3, "replies_from": 2, "median_response_secs": 120},
            {"person": "Carol", "replies_to": 1, "replies_from": 1, "median_response_secs": 360},
        ])
    );
    // replies_to are the person's interactions.
    assert_eq!(
        merged["interactions"],
        json!([{"from": "Lucía", "to": "Bob", "replies": 3}, {"from": "Lucía", "to": "Carol", "replies": 1}])
    );
    // The whole archive's interactions say the same of the partners' replies.
    let args = ["stats", "--json"];
    let all = parse_json(&env.ok(&args).stdout, &args);
    for (from, replies) in [("Bob", 2), ("Carol", 1)] {
        let found = all["interactions"]
            .as_array()
            .expect("interactions")
            .iter()
            .find(|i| i["from"] == from && i["to"] == "Lucía")
            .map(|i| i["replies"].clone());
        assert_eq!(found, Some(json!(replies)), "{all}");
    }
    // Other scopes' JSON is unchanged: no such fields.
    for extra in [&[][..], &["--chat", "Family 2023"][..]] {
        let mut args = vec!["stats", "--json"];
        args.extend_from_slice(extra);
        let other = parse_json(&env.ok(&args).stdout, &args);
        assert!(
            other.get("per_chat").is_none() && other.get("partners").is_none(),
            "{other}"
        );
    }
    let one_chat = participant_stats(&env, "Lucía Rivera", &["--chat", "Family 2021"]);
    assert!(one_chat.get("per_chat").is_none(), "{one_chat}");

    // The plain text has both sections.
    let text = env.ok(&["stats", "--participant", "Lucía Rivera"]).stdout;
    let text = String::from_utf8_lossy(&text);
    for part in [
        "Chats",
        "Family 2021",
        "Partners",
        "replies from",
        "2m 00s",
        "6m 00s",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }

    // Split restores the previous figures exactly.
    env.ok(&["people", "split", "+44 7700 900461"]);
    assert_eq!(participant_stats(&env, "Lucía Rivera", &[]), before);
}

#[test]
fn people_export_by_person_covers_every_name_and_masks_only_the_others() {
    let env = Env::new();
    let old = env.write(
        "pe",
        "WhatsApp Chat with Family 2021.txt",
        concat!(
            "01/02/2021, 10:00 - +44 7700 900461: hi Bob and Carol\n",
            "01/02/2021, 10:01 - Bob: hi\n",
            "01/02/2021, 10:02 - +44 7700 900461: Carol, are you there?\n",
            "01/02/2021, 10:03 - Carol: yes\n",
            "01/02/2021, 10:04 - +44 7700 900461: soon I am Lucía Rivera on a new phone\n",
        )
        .as_bytes(),
    );
    let new = env.write(
        "pe",
        "WhatsApp Chat with Family 2023.txt",
        concat!(
            "01/03/2023, 09:59 - Lucía Rivera joined using this group's invite link\n",
            "01/03/2023, 10:00 - Lucía Rivera: new phone, Bob\n",
            "01/03/2023, 10:01 - Bob: welcome\n",
            "01/03/2023, 10:02 - Lucía Rivera: thanks\n",
        )
        .as_bytes(),
    );
    env.ok(&["import", s(&old), s(&new)]);
    env.ok(&[
        "people",
        "merge",
        "+44 7700 900461",
        "Lucía Rivera",
        "--as",
        "Lucía",
    ]);
    for asked in ["Lucía Rivera", "+44 7700 900461", "lucia rivera"] {
        let args = ["export", "--participant", asked];
        let out = env.ok(&args).stdout;
        let mut lines = parse_ndjson(&out);
        let summary = lines.pop().expect("the summary line")["summary"].clone();
        // Every message of the person, under both names, each shown as written.
        let senders: Vec<&str> = lines.iter().filter_map(|m| m["sender"].as_str()).collect();
        assert_eq!(lines.len(), 5, "{asked}: {lines:?}");
        assert_eq!(
            senders.iter().filter(|s| **s == "+44 7700 900461").count(),
            3
        );
        assert_eq!(senders.iter().filter(|s| **s == "Lucía Rivera").count(), 2);
        // Their other name in their own text is theirs, not masked; the others' names are.
        let texts: Vec<&str> = lines.iter().filter_map(|m| m["text"].as_str()).collect();
        assert!(
            texts.contains(&"soon I am Lucía Rivera on a new phone"),
            "{texts:?}"
        );
        let bytes = String::from_utf8_lossy(&out);
        for other in ["Bob", "Carol"] {
            assert!(!bytes.contains(other), "{other} in {bytes}");
        }
        assert_eq!(summary["messages"], 5, "{summary}");
        assert_eq!(summary["chats"].as_array().map(Vec::len), Some(2));
        // The system line naming their other name is theirs too.
        let events = summary["events"].as_array().expect("events");
        assert_eq!(events.len(), 1, "{summary}");
        assert!(events[0]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Lucía Rivera joined")));
        // Their statistics show them by their display name, the partners masked.
        let stats = &summary["statistics"];
        assert_eq!(stats["participants"][0]["name"], "Lucía", "{stats}");
        assert_eq!(stats["participants"][0]["messages"], 5);
        assert_eq!(stats["per_chat"].as_array().map(Vec::len), Some(2));
    }
}

#[test]
fn people_stats_across_chats_anonymized_shows_pseudonyms_only() {
    let env = Env::new();
    two_chats_of_one_person(&env);
    env.ok(&[
        "people",
        "merge",
        "+44 7700 900461",
        "Lucía Rivera",
        "--as",
        "Lucía",
    ]);
    let args = [
        "--anonymize",
        "stats",
        "--json",
        "--participant",
        "Lucía Rivera",
    ];
    let out = env.ok(&args).stdout;
    let anon = parse_json(&out, &args);
    let text = String::from_utf8_lossy(&out);
    // Group chats' names stay (masked like text: they hold no one's name here).
    for real in ["Bob", "Carol", "Lucía", "Rivera", "7700"] {
        assert!(!text.contains(real), "{real} in {text}");
    }
    // The person's own figures are shown (they were asked for by name), partners by pseudonym:
    // the same pseudonyms the log shows.
    let args = ["--anonymize", "log", "--json", "--chat", "Family 2021"];
    let log = parse_ndjson(&env.ok(&args).stdout);
    let person = log[0]["sender"].clone();
    let (bob, carol) = (log[1]["sender"].clone(), log[3]["sender"].clone());
    assert_eq!(anon["scope"]["participant"], person);
    assert_eq!(anon["participants"][0]["name"], person);
    let partners: Vec<(Value, Value, Value)> = anon["partners"]
        .as_array()
        .expect("partners")
        .iter()
        .map(|p| {
            (
                p["person"].clone(),
                p["replies_to"].clone(),
                p["replies_from"].clone(),
            )
        })
        .collect();
    assert_eq!(
        partners,
        [(bob, json!(3), json!(2)), (carol, json!(1), json!(1))]
    );
    let chats: Vec<u64> = anon["per_chat"]
        .as_array()
        .expect("per_chat")
        .iter()
        .filter_map(|c| c["messages"].as_u64())
        .collect();
    assert_eq!(chats, [4, 3]);
    let plain = env
        .ok(&["--anonymize", "stats", "--participant", "Lucía Rivera"])
        .stdout;
    let plain = String::from_utf8_lossy(&plain);
    assert!(plain.contains("Partners"), "{plain}");
    // Group chats' names stay (masked like text: they hold no one's name here).
    for real in ["Bob", "Carol", "Lucía", "Rivera", "7700"] {
        assert!(!plain.contains(real), "{real} in {plain}");
    }
}

/// `people suggest` on a chat with a number-change line and with case, accent and emoji
/// variants of one name: each candidate comes with its reason, and nothing is merged.
#[test]
fn people_suggest_number_changes_and_name_variants() {
    let env = Env::new();
    let export = env.write(
        "s",
        "WhatsApp Chat with Choir.txt",
        "01/02/2024, 10:00 - +1 555 0100: hi all\n01/02/2024, 10:01 - Ana Souza: hello\n02/02/2024, 09:00 - +1 555 0100 changed to +1 555 0199\n02/02/2024, 09:05 - +1 555 0199: new number, same me\n02/02/2024, 09:06 - ana souza 🌸: welcome back\n02/02/2024, 09:07 - Aná Souza: yes\n02/02/2024, 09:08 - Bob: hi\n"
            .as_bytes(),
    );
    env.ok(&["import", s(&export)]);
    let args = ["people", "suggest", "--json"];
    let suggestions = parse_json(&env.ok(&args).stdout, &args);
    let list = suggestions.as_array().expect("a list");
    let names_of = |reason: &str| -> Vec<Value> {
        list.iter()
            .filter(|s| s["reason"].as_str().unwrap_or("").contains(reason))
            .map(|s| s["names"].clone())
            .collect()
    };
    assert_eq!(
        names_of("changed to"),
        [json!(["+1 555 0100", "+1 555 0199"])],
        "{suggestions}"
    );
    let variants = names_of("up to case, accents, marks, emoji and spaces");
    assert_eq!(variants.len(), 1, "{suggestions}");
    let mut names: Vec<&str> = variants[0]
        .as_array()
        .expect("names")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    names.sort_unstable();
    // `Ana Souza` and `Aná Souza` are already one participant (names compare folded); the
    // emoji variant is the candidate.
    assert!(names.contains(&"ana souza 🌸"), "{suggestions}");
    assert_eq!(names.len(), 2, "{suggestions}");
    // Suggestions are never applied by themselves.
    assert!(!env.data().join("people.json").exists());
}

/// Many equal scores and equal times: two chats of the same short messages at the same
/// minutes, on the same lines. Which of them fill a page must not depend on the order the
/// exports were imported in (that decides the segments and the documents' order in them).
#[test]
fn a_search_page_of_equal_scores_and_times_does_not_depend_on_the_import_order() {
    let export = |who: &str| {
        let mut text = String::new();
        for n in 0..300 {
            text.push_str(&format!(
                "0{}/03/2024, 1{}:{:02} - {who}: haha\n",
                1 + n % 9,
                n % 10,
                n % 60
            ));
        }
        text
    };
    let pages = |first: &str, second: &str| {
        let env = crate::support::bin::Env::new();
        let a = env.write("WhatsApp Chat with Alpha.txt", export("Ana").as_bytes());
        let b = env.write("WhatsApp Chat with Beta.txt", export("Bob").as_bytes());
        let by_name = |n: &str| {
            if n == "a" {
                s(&a).to_string()
            } else {
                s(&b).to_string()
            }
        };
        env.ok(&["import", &by_name(first)]);
        env.ok(&["import", &by_name(second)]);
        let ids = |sort: &str| -> Vec<String> {
            let found = env.json(&["search", "haha", "--limit", "7", "--sort", sort, "--json"]);
            assert_eq!(found["total"], 600);
            let hits = found["hits"].as_array().expect("hits");
            hits.iter()
                .map(|h| h["id"].as_str().unwrap_or("").to_string())
                .collect()
        };
        (ids("relevance"), ids("date"))
    };
    let ab = pages("a", "b");
    let ba = pages("b", "a");
    assert_eq!(ab.0.len(), 7);
    assert_eq!(ab, ba, "the same archive content gave two different pages");
}
