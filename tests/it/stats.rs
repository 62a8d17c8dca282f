//! `whatscope stats` against figures worked out by hand from the fixture texts (every field of
//! docs/statistics.md for fixtures 01, 04 and 17, plus query- and participant-scoped cases where the
//! whole-chat definitions of sessions and replies matter), and consistency properties on
//! generated chats: totals add up, and a query's statistics agree with statistics recomputed
//! independently from that query's `search --json` hits and the chats' `log --json`.

use crate::support::bin::{s, Env, BIN};
use crate::support::fixtures::fixture;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::process::{Command, Output};
use tempfile::TempDir;
use whatscope::index::archive::Archive;
use whatscope::index::writer::{import, ImportOptions};
use whatscope::stats::{self, Scope};
use whatscope::textscan;
use whatscope_synth::{self as synth, LineEnding};

const HIKING: &str = "Hiking Crew";
const BOOK: &str = "Book Club 📚";
const RAVI: &str = "Ravi Shah";

/// Fixture files with the export names WhatsApp gives them (the chat name comes from there).
const FIXTURES: [(&str, &str); 3] = [
    (
        "01_android_en_gb_24h_group.txt",
        "WhatsApp Chat with Hiking Crew.txt",
    ),
    (
        "04_ios_en_us_12h_nnbsp_2024.txt",
        "WhatsApp Chat - Book Club 📚.txt",
    ),
    (
        "17_android_en_ambiguous_daymonth.txt",
        "WhatsApp Chat with Ravi Shah.txt",
    ),
];

/// An archive holding the given fixtures (indexes into [`FIXTURES`]), imported by the binary.
fn archive_of(fixtures: &[usize]) -> Env {
    let env = Env::new();
    for &i in fixtures {
        let (file, export) = FIXTURES[i];
        env.write(export, &fixture(file));
    }
    env.ok(&["import", s(&env.path("in"))]);
    env
}

/// `stats --json` with `extra` arguments.
trait Stats {
    fn stats(&self, extra: &[&str]) -> Value;
}

impl Stats for Env {
    fn stats(&self, extra: &[&str]) -> Value {
        let mut args = vec!["stats", "--json"];
        args.extend_from_slice(extra);
        self.json(&args)
    }
}

/// Compares field by field, so a failure names the figure that is wrong.
fn assert_fields(got: &Value, want: &Value) {
    let (Some(g), Some(w)) = (got.as_object(), want.as_object()) else {
        panic!("not objects");
    };
    for (k, v) in w {
        assert_eq!(g.get(k), Some(v), "field `{k}`");
    }
    let extra: Vec<&String> = g.keys().filter(|k| !w.contains_key(*k)).collect();
    assert!(extra.is_empty(), "unchecked fields {extra:?}");
}

fn hours(pairs: &[(usize, u64)]) -> Value {
    let mut h = [0u64; 24];
    for (i, n) in pairs {
        h[*i] = *n;
    }
    json!(h)
}

/// The 7 × 24 heatmap from (weekday, hour, count) triples.
fn heat(cells: &[(usize, usize, u64)]) -> Value {
    let mut m = [[0u64; 24]; 7];
    for (d, h, n) in cells {
        m[*d][*h] = *n;
    }
    json!(m)
}

fn words(list: &[&str]) -> Value {
    json!(list
        .iter()
        .map(|w| json!({"word": w, "count": 1}))
        .collect::<Vec<_>>())
}

#[test]
fn fixture_01_hiking_crew_by_hand() {
    let env = archive_of(&[0]);
    let got = env.stats(&[]);
    // Messages in time order (system lines 1–5, 14–16, 22, 23, 30 skipped):
    //  6 14/03 09:15 Maya   text     start of session 1
    //  7       09:17 Tomás  text     reply to Maya after 120 s
    //  8       09:18 Tomás  media    same sender
    //  9       09:21 +44    text     reply to Tomás after 180 s
    // 10       09:22 Maya   text     reply to +44 after 60 s
    // 17 15/03 19:02 Tomás  deleted  session 2
    // 18       19:03 Jonas  deleted  reply to Tomás after 60 s
    // 19       19:05 Jonas  text     same sender
    // 20 16/03 07:30 Tomás  hidden   session 3
    // 21       07:31 Tomás  text     same sender
    // 24       12:10 Jonas  location session 4 (4 h 39 min after)
    // 25       12:11 Jonas  text     same sender
    // 26 17/03 21:47 Maya   text     session 5
    // 14/03/2023 was a Tuesday.
    let want = json!({
        "scope": {"chat": null, "query": null, "participant": null},
        "messages": 13, "system": 11,
        "first": "2023-03-14T09:15:00", "last": "2023-03-17T21:47:00",
        "active_days": 4,
        "kinds": {"text": 8, "media": 1, "deleted": 2, "poll": 0, "location": 1, "call": 0,
                  "hidden": 1, "waiting": 0, "system": 11},
        "media_types": {"other": 1},
        "participants": [
            // words: "Count me in" 3 + "^ that was a view-once photo of the map" 9
            {"name": "Tomás Rivera", "messages": 5, "words": 12, "media": 1, "deleted": 1,
             "links": 0, "emojis": 0, "first": "2023-03-14T09:17:00", "last": "2023-03-16T07:31:00",
             "sessions_started": 2, "median_response_secs": 120, "media_types": {"other": 1}},
            // words: "Sorry, wrong chat 🙈" 3 + "Meet here at 8" 4 (the location is not text)
            {"name": "Jonas Becker", "messages": 4, "words": 7, "media": 0, "deleted": 1,
             "links": 1, "emojis": 1, "first": "2023-03-15T19:03:00", "last": "2023-03-16T12:11:00",
             "sessions_started": 1, "median_response_secs": 60, "media_types": {}},
            // words: 8 + 8 ("Kit list so far boots waterproofs 2L water") + 9
            {"name": "Maya Lopez", "messages": 3, "words": 25, "media": 0, "deleted": 0,
             "links": 0, "emojis": 0, "first": "2023-03-14T09:15:00", "last": "2023-03-17T21:47:00",
             "sessions_started": 2, "median_response_secs": 60, "media_types": {}},
            // "Hi all, it's Priya - got the link from the climbing wall group": 12 words
            {"name": "+44 7700 900123", "messages": 1, "words": 12, "media": 0, "deleted": 0,
             "links": 0, "emojis": 0, "first": "2023-03-14T09:21:00", "last": "2023-03-14T09:21:00",
             "sessions_started": 0, "median_response_secs": 180, "media_types": {}},
        ],
        "by_hour": hours(&[(7, 2), (9, 5), (12, 2), (19, 3), (21, 1)]),
        "by_weekday": [0, 5, 3, 4, 1, 0, 0],
        "by_weekday_hour": heat(&[(1, 9, 5), (2, 19, 3), (3, 7, 2), (3, 12, 2), (4, 21, 1)]),
        "by_month": [{"month": "2023-03", "messages": 13}],
        "interactions": [
            {"from": "+44 7700 900123", "to": "Tomás Rivera", "replies": 1},
            {"from": "Jonas Becker", "to": "Tomás Rivera", "replies": 1},
            {"from": "Maya Lopez", "to": "+44 7700 900123", "replies": 1},
            {"from": "Tomás Rivera", "to": "Maya Lopez", "replies": 1},
        ],
        // Every word is used once; stop words (in, me, hi, all, it's, got, the, from, so, that,
        // was, a, of, once, here, at, to, might) are out, "8" has no letter, the link is a
        // domain; the first 20 in byte order.
        "top_words": words(&["25th", "2l", "april", "boots", "chat", "climbing", "count",
            "everyone", "far", "first", "forecast", "grim", "group", "idea", "kit", "link",
            "list", "looks", "map", "meet"]),
        "top_emojis": [{"emoji": "🙈", "count": 1}],
        "top_domains": [{"domain": "maps.google.com", "count": 1}],
        "chats": 1,
    });
    assert_fields(&got, &want);
}

#[test]
fn fixture_04_book_club_by_hand() {
    let env = archive_of(&[1]);
    let got = env.stats(&[]);
    // Messages in time order (system lines 1–5, 7 and 20 skipped, the 2024 iOS attributions
    // to "Book Club 📚" and to Rita included):
    //  6 14/08 21:05:12 Rita  text     session 1
    //  8       21:06:40 Jun   text     reply to Rita after 88 s
    //  9       21:07:02 Lena  text     reply to Jun after 22 s
    // 10       21:07:45 Rita  poll     reply to Lena after 43 s
    // 14       21:10:03 Jun   text     reply to Rita after 138 s (edited)
    // 15 15/08 00:14:09 Lena  media    session 2 (3 h 04 min later)
    // 16       00:15:31 Lena  text     same sender
    // 17       07:48:00 Rita  deleted  session 3
    // 18       12:02:41 Jun   media    session 4
    // 19       12:03:00 Jun   text     same sender
    // 21 31/08 22:12:45 Lena  text     session 5
    // 14/08/2024 was a Wednesday, 31/08/2024 a Saturday.
    let want = json!({
        "scope": {"chat": null, "query": null, "participant": null},
        "messages": 11, "system": 7,
        "first": "2024-08-14T21:05:12", "last": "2024-08-31T22:12:45",
        "active_days": 3,
        "kinds": {"text": 7, "media": 2, "deleted": 1, "poll": 1, "location": 0, "call": 0,
                  "hidden": 0, "waiting": 0, "system": 7},
        "media_types": {"image": 1, "video": 1},
        "participants": [
            // 6 ("I'm in! Thanks for the link") + 5 + 0 + 5; replies 88 and 138: lower median 88
            {"name": "Jun", "messages": 4, "words": 16, "media": 1, "deleted": 0,
             "links": 0, "emojis": 0, "first": "2024-08-14T21:06:40", "last": "2024-08-15T12:03:00",
             "sessions_started": 1, "median_response_secs": 88, "media_types": {"video": 1}},
            // 8 ("@Rita Alves can we meet on the 29th?") + 0 + 7 + 13
            {"name": "Lena Park", "messages": 4, "words": 28, "media": 1, "deleted": 0,
             "links": 0, "emojis": 1, "first": "2024-08-14T21:07:02", "last": "2024-08-31T22:12:45",
             "sessions_started": 2, "median_response_secs": 22, "media_types": {"image": 1}},
            // "First pick: “Piranesi”. Thoughts?" 4; a poll's text is not counted
            {"name": "Rita Alves", "messages": 3, "words": 4, "media": 0, "deleted": 1,
             "links": 0, "emojis": 0, "first": "2024-08-14T21:05:12", "last": "2024-08-15T07:48:00",
             "sessions_started": 2, "median_response_secs": 43, "media_types": {}},
        ],
        "by_hour": hours(&[(0, 2), (7, 1), (12, 2), (21, 5), (22, 1)]),
        "by_weekday": [0, 0, 5, 5, 0, 1, 0],
        "by_weekday_hour": heat(&[(2, 21, 5), (3, 0, 2), (3, 7, 1), (3, 12, 2), (5, 22, 1)]),
        "by_month": [{"month": "2024-08", "messages": 11}],
        "interactions": [
            {"from": "Jun", "to": "Rita Alves", "replies": 2},
            {"from": "Lena Park", "to": "Jun", "replies": 1},
            {"from": "Rita Alves", "to": "Lena Park", "replies": 1},
        ],
        "top_words": words(&["29th", "alves", "annotated", "author", "book", "copy",
            "darkness", "first", "friday", "great", "hand", "interview", "left", "link",
            "meet", "mentioned", "mess", "next", "pick", "piranesi"]),
        // The 📚 of the group's name is in system messages only.
        "top_emojis": [{"emoji": "🗳", "count": 1}],
        "top_domains": [],
        "chats": 1,
    });
    assert_fields(&got, &want);
}

#[test]
fn fixture_17_pottery_by_hand() {
    let env = archive_of(&[2]);
    let got = env.stats(&[]);
    // Dates read day-first (03/02/24 is 3 February). Messages in time order:
    //  2 Sat 03/02 10:01 Meera text  session      8 words
    //  3           10:05 Ravi  text  reply 240 s  6
    //  4 Mon 05/02 19:30 Meera media session
    //  5           19:31 Meera text               3
    //  6 Sun 11/02 08:45 Ravi  text  session      8
    //  7           09:00 Meera text  reply 900 s  5 ("Yes, 02/03 at 10am": 02 and 03 are words)
    //  8 Sat 02/03 10:10 Ravi  media session
    //  9           10:11 Ravi  text               1 + 😭
    // 10 Thu 07/03 18:20 Meera deleted session
    // 11           18:21 Meera text               10
    // 13 Mon 01/04 12:00 Ravi  text  session      8
    // 14 Tue 09/04 20:15 Meera call  session
    // 15 Fri 12/04 07:50 Ravi  text  session      6
    // 16 Sat 04/05 16:40 Meera text  session      4
    // 17           16:41 Meera media
    let want = json!({
        "scope": {"chat": null, "query": null, "participant": null},
        "messages": 15, "system": 1,
        "first": "2024-02-03T10:01:00", "last": "2024-05-04T16:41:00",
        "active_days": 9,
        "kinds": {"text": 10, "media": 3, "deleted": 1, "poll": 0, "location": 0, "call": 1,
                  "hidden": 0, "waiting": 0, "system": 1},
        "media_types": {"other": 3},
        "participants": [
            {"name": "Meera Iyer", "messages": 9, "words": 30, "media": 2, "deleted": 1,
             "links": 0, "emojis": 0, "first": "2024-02-03T10:01:00", "last": "2024-05-04T16:41:00",
             "sessions_started": 5, "median_response_secs": 900, "media_types": {"other": 2}},
            {"name": "Ravi Shah", "messages": 6, "words": 29, "media": 1, "deleted": 0,
             "links": 0, "emojis": 1, "first": "2024-02-03T10:05:00", "last": "2024-04-12T07:50:00",
             "sessions_started": 4, "median_response_secs": 240, "media_types": {"other": 1}},
        ],
        "by_hour": hours(&[(7, 1), (8, 1), (9, 1), (10, 4), (12, 1), (16, 2), (18, 2), (19, 2), (20, 1)]),
        "by_weekday": [3, 1, 0, 2, 1, 6, 2],
        "by_weekday_hour": heat(&[
            (5, 10, 4), (0, 19, 2), (6, 8, 1), (6, 9, 1), (3, 18, 2), (0, 12, 1), (1, 20, 1),
            (4, 7, 1), (5, 16, 2),
        ]),
        "by_month": [
            {"month": "2024-02", "messages": 6},
            {"month": "2024-03", "messages": 4},
            {"month": "2024-04", "messages": 3},
            {"month": "2024-05", "messages": 2},
        ],
        "interactions": [
            {"from": "Meera Iyer", "to": "Ravi Shah", "replies": 1},
            {"from": "Ravi Shah", "to": "Meera Iyer", "replies": 1},
        ],
        // "below" is an English stop word, "let" is not.
        "top_words": words(&["10am", "2nd", "april", "attached", "bowl", "call", "class",
            "cracked", "days", "dry", "exhibition", "first", "fool", "free", "glaze", "good",
            "hear", "kiln", "let", "march"]),
        "top_emojis": [{"emoji": "😭", "count": 1}],
        "top_domains": [],
        "chats": 1,
    });
    assert_fields(&got, &want);
}

#[test]
fn scopes_pick_messages_but_sessions_use_the_whole_chat() {
    let env = archive_of(&[0, 1, 2]);

    // Only text messages of the hiking chat. Jonas's "Sorry, wrong chat" follows his own
    // (deleted, not picked) message: no reply, no session. Tomás's text at 07:31 follows his
    // hidden message: nothing either. The chat is still walked whole.
    let got = env.stats(&["--chat", "hiking crew", "--query", "kind:text"]);
    assert_eq!(
        got["scope"],
        json!({"chat": HIKING, "query": "kind:text", "participant": null})
    );
    assert_eq!(got["messages"], 8);
    assert_eq!(got["system"], 0);
    let brief: Vec<Value> = got["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            json!([
                p["name"],
                p["messages"],
                p["sessions_started"],
                p["median_response_secs"]
            ])
        })
        .collect();
    assert_eq!(
        brief,
        vec![
            json!(["Maya Lopez", 3, 2, 60]),
            json!(["Jonas Becker", 2, 0, null]),
            json!(["Tomás Rivera", 2, 0, 120]),
            json!(["+44 7700 900123", 1, 0, 180]),
        ]
    );
    assert_eq!(
        got["interactions"],
        json!([
            {"from": "+44 7700 900123", "to": "Tomás Rivera", "replies": 1},
            {"from": "Maya Lopez", "to": "+44 7700 900123", "replies": 1},
            {"from": "Tomás Rivera", "to": "Maya Lopez", "replies": 1},
        ])
    );
    assert_eq!(got["kinds"]["text"], 8);
    assert_eq!(got["kinds"]["deleted"], 0);

    // One participant: Jonas answers Tomás once (60 s) and starts one session.
    let got = env.stats(&["--participant", "Jonas Becker"]);
    assert_eq!(got["messages"], 4);
    assert_eq!(got["participants"].as_array().unwrap().len(), 1);
    assert_eq!(got["participants"][0]["sessions_started"], 1);
    assert_eq!(got["participants"][0]["median_response_secs"], 60);
    assert_eq!(
        got["interactions"],
        json!([{"from": "Jonas Becker", "to": "Tomás Rivera", "replies": 1}])
    );
    assert_eq!(got["scope"]["participant"], "Jonas Becker");

    // A word across the three chats: one message each, months in between listed with 0.
    let got = env.stats(&["--query", "sorry"]);
    assert_eq!(got["messages"], 3);
    assert_eq!(got["chats"], 3);
    assert_eq!(got["first"], "2023-03-15T19:05:00");
    assert_eq!(got["last"], "2024-08-15T00:15:31");
    let months = got["by_month"].as_array().unwrap();
    assert_eq!(months.len(), 18, "2023-03 to 2024-08");
    let nonzero: Vec<&Value> = months.iter().filter(|m| m["messages"] != 0).collect();
    assert_eq!(
        nonzero,
        vec![
            &json!({"month": "2023-03", "messages": 1}),
            &json!({"month": "2024-04", "messages": 1}),
            &json!({"month": "2024-08", "messages": 1}),
        ]
    );
    assert_eq!(got["top_words"][0], json!({"word": "sorry", "count": 3}));
    // Ravi's "Sorry, missed your call" opens a session; the other two continue one.
    let sessions: u64 = got["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sessions_started"].as_u64().unwrap())
        .sum();
    assert_eq!(sessions, 1);
    assert_eq!(got["interactions"], json!([]));

    // System messages a query matches are counted apart: the two group names with emoji.
    let got = env.stats(&["--query", "has:emoji"]);
    assert_eq!(
        (got["messages"].as_u64(), got["system"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(got["kinds"]["system"], 2);

    // The whole archive is the sum of its chats.
    let all = env.stats(&[]);
    assert_eq!(all["messages"], 13 + 11 + 15);
    assert_eq!(all["system"], 11 + 7 + 1);
    assert_eq!(all["chats"], 3);
    for chat in [HIKING, BOOK, RAVI] {
        let one = env.stats(&["--chat", chat]);
        assert_eq!(one["scope"]["chat"], chat);
        assert_eq!(one["chats"], 1);
    }
}

/// Meera writes more than a quarter of an archive of her chat with Ravi and a book club she
/// is not in: statistics may walk every chat for so big a share, but count only hers.
#[test]
fn a_person_with_a_big_share_of_the_archive_is_counted_only_in_their_chats() {
    let env = archive_of(&[1, 2]);
    let got = env.stats(&["--participant", "Meera Iyer"]);
    assert_eq!(got["messages"], 9);
    assert_eq!(got["chats"], 1);
    assert_eq!(got["per_chat"], json!([{"chat": RAVI, "messages": 9}]));
    let partners: Vec<&Value> = got["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["person"])
        .collect();
    assert_eq!(partners, vec![&json!("Ravi Shah")]);
    // The same figures as her messages picked by a query that names her chat too.
    let by_chat = env.stats(&["--participant", "Meera Iyer", "--chat", RAVI]);
    for key in [
        "messages",
        "participants",
        "interactions",
        "by_month",
        "top_words",
    ] {
        assert_eq!(got[key], by_chat[key], "{key}");
    }
}

#[test]
fn unknown_names_are_errors_with_hints() {
    let env = archive_of(&[0]);
    for (args, what) in [
        (&["stats", "--chat", "Nope"][..], "no chat named"),
        (
            &["stats", "--participant", "Nobody"][..],
            "no participant named",
        ),
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: ") && err.contains(what), "{err}");
        assert!(err.contains("hint: "), "{err}");
        assert!(out.stdout.is_empty());
    }
    // The library wants exact names.
    let archive = whatscope::ops::open(&env.data()).unwrap();
    let e = stats::compute(
        &archive,
        &Scope {
            chat: Some("hiking crew".into()),
            ..Scope::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("no chat named"), "{e}");
}

#[test]
fn plain_output_is_readable_and_safe() {
    let env = archive_of(&[0, 1]);
    let out = env.ok(&["stats"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for part in [
        "Participants",
        "Tomás Rivera",
        "When: hour × weekday",
        "Mon  ",
        "Who answers whom",
        "Top words",
        "maps.google.com",
        "█",
    ] {
        assert!(text.contains(part), "missing {part:?} in\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "no colour with NO_COLOR / a pipe");

    // Names with control characters and bidi overrides never reach the terminal raw.
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("WhatsApp Chat with Evil\u{202E}Chat.txt");
    fs::write(
        &export,
        "14/03/2023, 09:15 - Eve\u{1b}[2J: hi \u{1b}]0;pwned\u{7} www.evil\u{1b}.com 😈\n\
         14/03/2023, 09:16 - Bob: ok\n",
    )
    .unwrap();
    let data = tmp.path().join("data");
    let run = |args: &[&str]| {
        Command::new(BIN)
            .env("NO_COLOR", "1")
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(run(&["import", export.to_str().unwrap()]).status.success());
    let out = run(&["stats"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || ('\u{202A}'..='\u{202E}').contains(&c)),
        "{text:?}"
    );
    assert!(text.contains("Eve"), "{text}");
    let out = run(&["stats", "--json"]);
    let raw = String::from_utf8(out.stdout).unwrap();
    assert!(!raw.contains('\u{1b}') && !raw.contains('\u{202E}'));
    let v: Value = serde_json::from_str(&raw).unwrap();
    // One message each: ordered by name, "Bob" first.
    assert_eq!(v["participants"][1]["name"], "Eve\u{1b}[2J");
    assert_eq!(v["top_domains"][0]["count"], 1);
}

#[test]
fn deleted_documents_are_gone_from_every_figure() {
    // Maya's messages deleted in the index but not merged away yet (as a `forget` leaves them
    // until the segments merge): the chat is walked again without them.
    let env = archive_of(&[0]);
    let archive = whatscope::ops::open(&env.data()).unwrap();
    let mut writer = whatscope::index::writer::open_writer(&archive).unwrap();
    writer.delete_term(tantivy::Term::from_field_text(
        archive.fields.sender_raw,
        "Maya Lopez",
    ));
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();
    archive.reload().unwrap();
    let searcher = archive.searcher();
    // However the import's two indexing threads shared the messages out, the three deletions
    // are still in the segments, not merged away.
    let deleted: u32 = searcher
        .segment_readers()
        .iter()
        .map(|r| r.num_deleted_docs())
        .sum();
    assert_eq!(deleted, 3, "the deletions are still in the segments");
    let st = serde_json::to_value(stats::compute(&archive, &Scope::default()).unwrap()).unwrap();
    assert_eq!(st["messages"], 10);
    assert_eq!(st["system"], 11);
    assert_eq!(st["first"], "2023-03-14T09:17:00");
    assert_eq!(st["last"], "2023-03-16T12:11:00");
    assert_eq!(st["active_days"], 3);
    let brief: Vec<Value> = st["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            json!([
                p["name"],
                p["messages"],
                p["sessions_started"],
                p["median_response_secs"]
            ])
        })
        .collect();
    // Tomás now opens the chat (09:17), and his 19:02 and 07:30 messages open sessions.
    assert_eq!(
        brief,
        vec![
            json!(["Tomás Rivera", 5, 3, null]),
            json!(["Jonas Becker", 4, 1, 60]),
            json!(["+44 7700 900123", 1, 0, 180]),
        ]
    );
    assert_eq!(
        st["interactions"],
        json!([
            {"from": "+44 7700 900123", "to": "Tomás Rivera", "replies": 1},
            {"from": "Jonas Becker", "to": "Tomás Rivera", "replies": 1},
        ])
    );
    assert_eq!(st["by_hour"], hours(&[(7, 2), (9, 3), (12, 2), (19, 3)]));
    assert_eq!(
        st["top_words"],
        words(&[
            "chat", "climbing", "count", "group", "link", "map", "meet", "photo", "priya", "sorry",
            "view", "wall", "wrong"
        ])
    );
    // The same through a query and a participant scope.
    let q = stats::compute(
        &archive,
        &Scope {
            query: Some("kit OR welcome OR sorry".into()),
            ..Scope::default()
        },
    )
    .unwrap();
    assert_eq!(q.messages, 1);
    assert!(stats::compute(
        &archive,
        &Scope {
            participant: Some("Maya Lopez".into()),
            ..Scope::default()
        },
    )
    .unwrap()
    .participants
    .is_empty());
}

#[test]
fn anonymized_stats_show_no_names() {
    let env = archive_of(&[0]);
    let plain = env.stats(&[]);
    let out = env.ok(&["--anonymize", "stats", "--json"]);
    let anon: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(anon["messages"], plain["messages"]);
    let text = String::from_utf8(out.stdout).unwrap()
        + &String::from_utf8(env.ok(&["stats", "--anonymize"]).stdout).unwrap();
    for name in [
        "Maya", "Lopez", "Tomás", "Rivera", "Jonas", "Becker", "7700",
    ] {
        assert!(!text.contains(name), "{name} in {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Generated chats

/// Three generated chats (different seeds, formats and sizes) in one archive.
struct Synth {
    tmp: TempDir,
    archive: Archive,
}

fn synth_archive() -> Synth {
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, (seed, n, style)) in [
        (3, 2500, synth::android_en_gb()),
        (5, 1500, synth::ios_en_us()),
        (8, 900, synth::android_de()),
    ]
    .into_iter()
    .enumerate()
    {
        let p = tmp.path().join(format!("WhatsApp Chat with Synth {i}.txt"));
        fs::write(&p, synth::generate_export(seed, n, &style, LineEnding::Lf)).unwrap();
        paths.push(p);
    }
    let archive = whatscope::ops::open_or_create(&tmp.path().join("data")).unwrap();
    let report = import(&archive, &paths, &ImportOptions::default(), &|_| false, &()).unwrap();
    assert_eq!(report.added, 2500 + 1500 + 900);
    Synth { tmp, archive }
}

impl Synth {
    fn cli_json(&self, args: &[&str]) -> Value {
        let out = Command::new(BIN)
            .arg("--data-dir")
            .arg(self.tmp.path().join("data"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Every message of a chat in time order, from `log --json`.
    fn log(&self, chat: &str) -> Vec<Value> {
        let out = Command::new(BIN)
            .arg("--data-dir")
            .arg(self.tmp.path().join("data"))
            .args(["log", "--chat", chat, "--json", "--limit", "100000"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

fn sum(v: &Value) -> u64 {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .sum()
}

#[test]
fn generated_totals_add_up() {
    let s = synth_archive();
    let scopes = [
        Scope::default(),
        Scope {
            chat: Some("Synth 1".into()),
            ..Scope::default()
        },
        Scope {
            query: Some("the OR pizza".into()),
            ..Scope::default()
        },
        Scope {
            query: Some("has:link -kind:text".into()),
            ..Scope::default()
        },
    ];
    for scope in scopes {
        let st = stats::compute(&s.archive, &scope).unwrap();
        let v = serde_json::to_value(&st).unwrap();
        let m = st.messages;
        assert!(m > 0, "{scope:?}");
        assert_eq!(st.participants.iter().map(|p| p.messages).sum::<u64>(), m);
        assert_eq!(sum(&v["by_hour"]), m);
        assert_eq!(sum(&v["by_weekday"]), m);
        assert_eq!(st.by_month.iter().map(|x| x.messages).sum::<u64>(), m);
        assert_eq!(
            st.by_weekday_hour.iter().flatten().sum::<u64>(),
            m,
            "heatmap"
        );
        let kinds: u64 = v["kinds"]
            .as_object()
            .unwrap()
            .values()
            .map(|x| x.as_u64().unwrap())
            .sum();
        assert_eq!(kinds, m + st.system);
        // Months are consecutive from first to last.
        let first = st.first.as_deref().unwrap();
        let last = st.last.as_deref().unwrap();
        assert_eq!(st.by_month.first().unwrap().month, first[..7]);
        assert_eq!(st.by_month.last().unwrap().month, last[..7]);
        for w in st.by_month.windows(2) {
            assert!(w[0].month < w[1].month);
        }
        // Replies are at most the messages that are not session starts.
        let replies: u64 = st.interactions.iter().map(|i| i.replies).sum();
        let sessions: u64 = st.participants.iter().map(|p| p.sessions_started).sum();
        assert!(replies + sessions <= m);
        for w in st.participants.windows(2) {
            assert!(w[0].messages >= w[1].messages);
        }
    }
}

/// The docs/statistics.md figures a query's hits determine, recomputed from `search --json` hits and the
/// chats' full `log --json`, compared with `stats --json` of the same query.
#[test]
fn generated_query_stats_match_search_hits() {
    let s = synth_archive();
    let chats: Vec<String> = (0..3).map(|i| format!("Synth {i}")).collect();
    let logs: HashMap<&str, Vec<Value>> = chats.iter().map(|c| (c.as_str(), s.log(c))).collect();
    for query in [
        "the",
        "pizza OR coffee",
        "has:emoji",
        "kind:media",
        "-the -a",
        "after:2019-02-01 before:2019-03-01",
        "chat:\"Synth 2\" tomorrow",
    ] {
        let got = s.cli_json(&["stats", "--json", &format!("--query={query}")]);
        let search = s.cli_json(&["search", "--json", "--limit", "1000000", "--", query]);
        let hits = search["hits"].as_array().unwrap();
        assert_eq!(search["total"].as_u64().unwrap(), hits.len() as u64);
        let want = recompute(hits, &logs);
        for field in [
            "messages",
            "system",
            "first",
            "last",
            "active_days",
            "kinds",
            "by_hour",
            "by_weekday",
            "participants",
            "interactions",
            "top_emojis",
            "top_domains",
        ] {
            assert_eq!(
                without_media_types(&got[field]),
                want[field],
                "`{field}` of query {query:?}"
            );
        }
        let months: Vec<&Value> = got["by_month"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["messages"] != 0)
            .collect();
        let want_months: Vec<&Value> = want["by_month"].as_array().unwrap().iter().collect();
        assert_eq!(months, want_months, "by_month of {query:?}");
        assert!(got["messages"].as_u64().unwrap() > 0, "{query:?} matches");
    }
}

/// A plain reference implementation of docs/statistics.md over message objects.
fn recompute(hits: &[Value], logs: &HashMap<&str, Vec<Value>>) -> Value {
    let picked: HashSet<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    let mut messages = 0u64;
    let mut system = 0u64;
    let mut kinds: BTreeMap<String, u64> = [
        "text", "media", "deleted", "poll", "location", "call", "hidden", "waiting", "system",
    ]
    .iter()
    .map(|k| (k.to_string(), 0))
    .collect();
    let mut by_hour = [0u64; 24];
    let mut by_weekday = [0u64; 7];
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    let mut days: HashSet<String> = HashSet::new();
    let mut emojis: HashMap<String, u64> = HashMap::new();
    let mut domains: HashMap<String, u64> = HashMap::new();
    #[derive(Default)]
    struct P {
        messages: u64,
        words: u64,
        media: u64,
        deleted: u64,
        links: u64,
        emojis: u64,
        first: String,
        last: String,
        sessions: u64,
        responses: Vec<u64>,
    }
    let mut people: BTreeMap<String, P> = BTreeMap::new();
    let (mut first, mut last): (Option<String>, Option<String>) = (None, None);
    for h in hits {
        let kind = h["kind"].as_str().unwrap();
        let Some(sender) = h["sender"].as_str() else {
            system += 1;
            *kinds.get_mut("system").unwrap() += 1;
            continue;
        };
        messages += 1;
        *kinds.get_mut(kind).unwrap() += 1;
        let ts = h["ts"].as_str().unwrap().to_string();
        let t = chrono::NaiveDateTime::parse_from_str(&ts, "%Y-%m-%dT%H:%M:%S").unwrap();
        use chrono::{Datelike, Timelike};
        by_hour[t.hour() as usize] += 1;
        by_weekday[t.weekday().num_days_from_monday() as usize] += 1;
        *months.entry(ts[..7].to_string()).or_default() += 1;
        days.insert(ts[..10].to_string());
        first = Some(first.map_or(ts.clone(), |f| f.min(ts.clone())));
        last = Some(last.map_or(ts.clone(), |l| l.max(ts.clone())));
        let text = h["text"].as_str().unwrap();
        let p = people.entry(sender.to_string()).or_insert_with(|| P {
            first: ts.clone(),
            last: ts.clone(),
            ..P::default()
        });
        p.messages += 1;
        if kind == "text" || kind == "media" {
            p.words += textscan::count_words(text) as u64;
        }
        p.media += u64::from(kind == "media");
        p.deleted += u64::from(kind == "deleted");
        for e in textscan::emojis(text) {
            p.emojis += 1;
            *emojis.entry(e).or_default() += 1;
        }
        for l in textscan::links(text) {
            p.links += 1;
            *domains.entry(textscan::link_domain(l)).or_default() += 1;
        }
        p.first = p.first.clone().min(ts.clone());
        p.last = p.last.clone().max(ts.clone());
    }
    // Sessions and replies: walk each chat's log (time order), system messages skipped.
    let mut interactions: BTreeMap<(String, String), u64> = BTreeMap::new();
    for log in logs.values() {
        let mut prev: Option<(i64, String)> = None;
        for m in log {
            let Some(sender) = m["sender"].as_str() else {
                continue;
            };
            let t = chrono::NaiveDateTime::parse_from_str(
                m["ts"].as_str().unwrap(),
                "%Y-%m-%dT%H:%M:%S",
            )
            .unwrap()
            .and_utc()
            .timestamp();
            if picked.contains(m["id"].as_str().unwrap()) {
                let p = people.get_mut(sender).unwrap();
                match &prev {
                    Some((pt, _)) if t - pt >= 3600 => p.sessions += 1,
                    None => p.sessions += 1,
                    Some((pt, ps)) if ps != sender => {
                        p.responses.push((t - pt) as u64);
                        *interactions
                            .entry((sender.to_string(), ps.clone()))
                            .or_default() += 1;
                    }
                    Some(_) => {}
                }
            }
            prev = Some((t, sender.to_string()));
        }
    }
    let mut participants: Vec<(String, P)> = people.into_iter().collect();
    participants.sort_by(|a, b| b.1.messages.cmp(&a.1.messages).then(a.0.cmp(&b.0)));
    let participants: Vec<Value> = participants
        .into_iter()
        .map(|(name, mut p)| {
            p.responses.sort_unstable();
            let median =
                (!p.responses.is_empty()).then(|| p.responses[(p.responses.len() - 1) / 2]);
            json!({"name": name, "messages": p.messages, "words": p.words, "media": p.media,
                   "deleted": p.deleted, "links": p.links, "emojis": p.emojis,
                   "first": p.first, "last": p.last, "sessions_started": p.sessions,
                   "median_response_secs": median})
        })
        .collect();
    let mut interactions: Vec<((String, String), u64)> = interactions.into_iter().collect();
    interactions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let top = |m: HashMap<String, u64>, key: &str| -> Value {
        let mut v: Vec<(String, u64)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(stats::TOP);
        json!(v
            .into_iter()
            .map(|(k, c)| json!({key: k, "count": c}))
            .collect::<Vec<_>>())
    };
    json!({
        "messages": messages, "system": system, "first": first, "last": last,
        "active_days": days.len(), "kinds": kinds, "by_hour": by_hour, "by_weekday": by_weekday,
        "by_month": months.into_iter().map(|(m, c)| json!({"month": m, "messages": c})).collect::<Vec<_>>(),
        "participants": participants,
        "interactions": interactions.into_iter()
            .map(|((f, t), r)| json!({"from": f, "to": t, "replies": r})).collect::<Vec<_>>(),
        "top_emojis": top(emojis, "emoji"),
        "top_domains": top(domains, "domain"),
    })
}

/// Top words over the archive equal a count of each message's words from the stored text.
#[test]
fn generated_top_words_match_stored_text() {
    let s = synth_archive();
    for query in ["", "pizza", "kind:media"] {
        let got = stats::compute(
            &s.archive,
            &Scope {
                query: (!query.is_empty()).then(|| query.to_string()),
                ..Scope::default()
            },
        )
        .unwrap();
        let search = s.cli_json(&["search", "--json", "--limit", "1000000", "--", query]);
        let mut counts: HashMap<String, u64> = HashMap::new();
        for h in search["hits"].as_array().unwrap() {
            let kind = h["kind"].as_str().unwrap();
            if h["sender"].is_null() || !(kind == "text" || kind == "media") {
                continue;
            }
            for w in whatscope::index::words::top_word_terms(h["text"].as_str().unwrap()) {
                *counts.entry(w).or_default() += 1;
            }
        }
        let mut want: Vec<(String, u64)> = counts.into_iter().collect();
        want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        want.truncate(stats::TOP);
        let got: Vec<(String, u64)> = got
            .top_words
            .iter()
            .map(|w| (w.word.clone(), w.count))
            .collect();
        assert_eq!(got, want, "query {query:?}");
        assert!(!got
            .iter()
            .any(|(w, _)| whatscope::index::stopwords::is_stop_word(w)));
    }
}

/// A 1:1 chat's anonymized statistics hide who wrote what (two people: a pseudonym hides
/// nobody) and say so where the table would be, rather than "0 participants" and an empty table.
#[test]
fn anonymized_stats_of_a_one_to_one_chat_say_why_people_are_hidden() {
    let tmp = TempDir::new().expect("temp dir");
    let export = tmp.path().join("WhatsApp Chat with Maya Lopez.txt");
    fs::write(
        &export,
        "02/05/2024, 10:01 - Maya Lopez: hello there\n\
         02/05/2024, 10:02 - Jonas Becker: hi Maya\n\
         02/05/2024, 10:03 - Maya Lopez: see you at noon\n",
    )
    .expect("write export");
    let data = tmp.path().join("archive");
    let run = |args: &[&str]| -> Output {
        Command::new(BIN)
            .env("HOME", tmp.path())
            .env("XDG_CONFIG_HOME", tmp.path().join("config"))
            .env("NO_COLOR", "1")
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .output()
            .expect("run whatscope")
    };
    assert!(run(&["import", &export.display().to_string()])
        .status
        .success());
    let out = run(&["--anonymize", "stats", "--chat", "Maya Lopez"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("0 participants"), "{text}");
    assert!(text.contains("participants hidden"), "{text}");
    assert!(
        text.contains("per-person figures are hidden in the anonymized view: fewer than 3 people"),
        "{text}"
    );
    assert!(!text.contains("name  messages"), "an empty table:\n{text}");
    assert!(!text.contains("Maya") && !text.contains("Jonas"), "{text}");
}

/// Emoji are counted by Unicode's emoji data: symbols that show as text (`©`, `↔`, a bare `❤`,
/// digits) are no emoji, nor are dingbats and arrows next to emoji in Unicode's blocks; the
/// same symbols asked to show as emoji (U+FE0F, a keycap) are, and so is a newer emoji.
#[test]
fn emoji_are_counted_by_unicode_emoji_data() {
    let tmp = TempDir::new().expect("temp dir");
    let export = tmp.path().join("WhatsApp Chat with Symbols.txt");
    fs::write(
        &export,
        "02/05/2024, 10:01 - Maya Lopez: © 2024 Acme® ↔ ↚ ✁ ❶ ❤ 1 #2\n\
         02/05/2024, 10:02 - Jonas Becker: ❤\u{FE0F} 1\u{FE0F}\u{20E3} \u{1FAE0} \u{1FABF}\n\
         02/05/2024, 10:03 - Maya Lopez: ©\u{FE0F} \u{1FAE0}\n",
    )
    .expect("write export");
    let env = Env {
        tmp: tempfile::tempdir().expect("temp dir"),
    };
    env.ok(&["import", &export.display().to_string()]);
    let s = env.stats(&[]);
    assert_eq!(
        s["top_emojis"],
        json!([
            {"emoji": "\u{1FAE0}", "count": 2},
            {"emoji": "1\u{20E3}", "count": 1},
            {"emoji": "©", "count": 1},
            {"emoji": "❤", "count": 1},
            {"emoji": "\u{1FABF}", "count": 1},
        ])
    );
    let emojis = |name: &str| -> u64 {
        s["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["emojis"].as_u64())
            .expect("a participant's emojis")
    };
    assert_eq!(emojis("Maya Lopez"), 2);
    assert_eq!(emojis("Jonas Becker"), 4);
    // `has:emoji` finds the messages that hold one: not the first, which only has symbols.
    let hits = env.json(&["search", "--json", "has:emoji"]);
    assert_eq!(hits["total"], 2, "{hits}");
    let symbols_only = hits["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .any(|h| h["text"].as_str().is_some_and(|t| t.starts_with("© 2024")));
    assert!(!symbols_only, "{hits}");
}

/// A participant list without `media_types` (docs/media.md; tests/it/media.rs checks them), which
/// [`recompute`] does not work out from search hits.
fn without_media_types(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(list) = v.as_array_mut() {
        for p in list {
            if let Some(o) = p.as_object_mut() {
                o.remove("media_types");
            }
        }
    }
    v
}

/// Statistics read several segments and skip erased messages: an archive made by three imports
/// (three segments) from which a person was then forgotten gives, for every scope, the same
/// statistics as an archive that opted that person out before one import of the same exports.
#[test]
fn statistics_over_several_segments_and_an_erasure_equal_those_of_one_clean_import() {
    let styles = synth::all_styles();
    let exports: Vec<(String, String, Vec<synth::SynthMessage>)> = (0..3)
        .map(|i| {
            let style = &styles[i * 5 % styles.len()];
            let messages = synth::generate_messages(40 + i as u64, 3_000, style);
            let text = synth::render_export(style, &messages, LineEnding::Lf);
            (
                format!("WhatsApp Chat with Segment {i}.txt"),
                text,
                messages,
            )
        })
        .collect();
    let senders: Vec<String> = {
        let mut all: Vec<String> = exports[0]
            .2
            .iter()
            .filter_map(|m| m.sender.clone())
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let (forgotten, kept) = (&senders[0], &senders[1]);

    let piecewise = Env::new();
    for (name, text, _) in &exports {
        let path = piecewise.write(name, text.as_bytes());
        piecewise.ok(&["import", s(&path)]);
    }
    piecewise.ok(&["forget", "--participant", forgotten, "--yes"]);

    let clean = Env::new();
    // An archive must exist to hold the opt-out: a file without messages makes one.
    let empty = clean.write("WhatsApp Chat with Nobody.txt", b"nothing here\n");
    clean.run(&["import", s(&empty)]);
    clean.ok(&[
        "forget",
        "--participant",
        forgotten,
        "--yes",
        "--opt-out-only",
    ]);
    let paths: Vec<_> = exports
        .iter()
        .map(|(name, text, _)| clean.write(name, text.as_bytes()))
        .collect();
    let mut import = vec!["import"];
    import.extend(paths.iter().map(|p| s(p)));
    clean.ok(&import);

    let scopes: Vec<Vec<&str>> = vec![
        vec![],
        vec!["--chat", "Segment 1"],
        vec!["--participant", kept],
        vec!["--query", "the"],
        vec!["--chat", "Segment 0", "--participant", kept],
    ];
    for scope in scopes {
        let mut args = vec!["stats", "--json"];
        args.extend(&scope);
        let (a, b) = (piecewise.json(&args), clean.json(&args));
        assert!(a["messages"].as_u64().unwrap_or(0) > 0, "{scope:?}: {a}");
        assert_eq!(a, b, "{scope:?}");
    }
}

/// The import hands documents to the index in each export's order, whichever thread built
/// them, so inside every segment a chat's messages stand in time order: the walk through a
/// chat in time order (sessions, replies) then sorts an almost sorted list. Built out of
/// order, a person's statistics cost a third more (docs/performance.md, "10 M messages").
#[test]
fn an_import_keeps_each_chats_messages_in_time_order_inside_every_segment() {
    let tmp = TempDir::new().unwrap();
    let style = synth::ios_en_gb();
    // Several of the import's chunks of 4 096 messages, so several threads build them.
    let path = tmp.path().join("WhatsApp Chat with Ordered.txt");
    fs::write(
        &path,
        synth::generate_export(21, 30_000, &style, LineEnding::Lf),
    )
    .unwrap();
    let archive = whatscope::ops::open_or_create(&tmp.path().join("data")).unwrap();
    let report = import(
        &archive,
        &[path],
        &ImportOptions::default(),
        &|_| false,
        &(),
    )
    .unwrap();
    assert_eq!(report.added, 30_000);

    let searcher = archive.searcher();
    let mut docs = 0;
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let ts = fast.i64("ts").unwrap();
        let line = fast.u64("line").unwrap();
        let keys: Vec<(i64, u64)> = (0..segment.max_doc())
            .map(|d| (ts.first(d).unwrap(), line.first(d).unwrap()))
            .collect();
        docs += keys.len();
        let out_of_order = keys.windows(2).filter(|w| w[0] > w[1]).count();
        assert_eq!(out_of_order, 0, "a segment of {} documents", keys.len());
    }
    assert_eq!(docs, 30_000);
}

/// A chat spread over segments out of time order: its export imported in parts, the latest
/// part first, one part not in time order itself. The walk through a chat (sessions, replies)
/// merges two segments' runs when each is in time order and sorts them otherwise; either way
/// a query's statistics equal those recomputed from its hits and the chat's log.
#[test]
fn statistics_of_a_chat_spread_over_segments_out_of_time_order_match_its_log() {
    let style = synth::android_en_gb();
    let messages = synth::generate_messages(77, 3_000, &style);
    // Parts split where the minute changes, so no two parts share a timestamp (the order of
    // equal times across exports is the line, which restarts in each part).
    let split_after = |at: usize| {
        (at..messages.len())
            .find(|i| messages[*i].ts != messages[i - 1].ts)
            .expect("a later minute")
    };
    let (a, b) = (split_after(1_000), split_after(2_000));
    let mut middle = messages[a..b].to_vec();
    middle.rotate_right(50);
    let parts = [messages[..a].to_vec(), middle, messages[b..].to_vec()];
    let env_of = |order: &[usize]| -> Env {
        let env = Env::new();
        for &i in order {
            let dir = env.path(&format!("part {i}"));
            fs::create_dir_all(&dir).expect("mkdir");
            let path = dir.join("WhatsApp Chat with Mixed.txt");
            fs::write(
                &path,
                synth::render_export(&style, &parts[i], LineEnding::Lf),
            )
            .expect("write part");
            env.ok(&["import", s(&path)]);
        }
        env
    };
    // Two runs in time order, the later imported first; then three, one of them out of order.
    for order in [&[2, 0][..], &[2, 0, 1][..]] {
        let env = env_of(order);
        let log = env.ok(&["log", "--chat", "Mixed", "--json", "--limit", "100000"]);
        let log: Vec<Value> = String::from_utf8_lossy(&log.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a log line"))
            .collect();
        let imported: usize = order.iter().map(|i| parts[*i].len()).sum();
        assert_eq!(log.len(), imported, "{order:?}");
        let logs = HashMap::from([("Mixed", log)]);
        for query in ["the", "-the"] {
            let got = env.json(&["stats", "--json", &format!("--query={query}")]);
            let search = env.json(&["search", "--json", "--limit", "1000000", "--", query]);
            let want = recompute(search["hits"].as_array().expect("hits"), &logs);
            assert!(got["messages"].as_u64().unwrap_or(0) > 0, "{query:?}");
            for field in ["messages", "system", "participants", "interactions"] {
                assert_eq!(
                    without_media_types(&got[field]),
                    want[field],
                    "`{field}` of {query:?}, parts imported in the order {order:?}"
                );
            }
        }
    }
}
