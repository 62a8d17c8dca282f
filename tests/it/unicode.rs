//! Unicode normalisation through the real binary (issue 12 point 5, issue 13 point 9): text
//! written two ways (decomposed on macOS, precomposed elsewhere) is one word for search and
//! statistics, names in compatibility forms (`Ｚorblax`, `𝐙orblax`) are the plain name
//! wherever names are matched, an archive of the previous schema re-indexes itself, and the
//! opt-out holds against look-alike spellings.

use crate::support::bin::*;
use crate::support::files::*;
use serde_json::Value;
use std::fs;
use std::path::Path;

/// `Ä` as macOS tools write it: `A` and a combining diaeresis.
const DECOMPOSED: &str = "A\u{308}nderung";
const PRECOMPOSED: &str = "\u{C4}nderung";

fn export(lines: &[(&str, &str)]) -> String {
    lines
        .iter()
        .enumerate()
        .map(|(i, (sender, text))| format!("12/01/2024, 10:{i:02} - {sender}: {text}\n"))
        .collect()
}

/// The texts of every hit of `query`.
fn hit_texts(env: &Env, query: &str) -> Vec<String> {
    let out = env.json(&["search", query, "--json", "--limit", "1000"]);
    out["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["text"].as_str().expect("text").to_string())
        .collect()
}

fn senders_of(env: &Env, query: &str) -> Vec<String> {
    let out = env.json(&["search", query, "--json", "--limit", "1000"]);
    let mut senders: Vec<String> = out["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["sender"].as_str().expect("sender").to_string())
        .collect();
    senders.sort();
    senders
}

#[test]
fn decomposed_text_is_found_by_precomposed_folded_and_uppercase_queries() {
    let env = Env::new();
    let text = format!("die {DECOMPOSED} kommt morgen");
    let chat = env.write(
        "WhatsApp Chat with Team.txt",
        export(&[("Ana", &text), ("Ben", "ok")]).as_bytes(),
    );
    env.ok(&["import", s(&chat)]);
    for query in [PRECOMPOSED, "anderung", "ANDERUNG", "\u{E4}nderung"] {
        // The stored text keeps what the export wrote.
        assert_eq!(
            hit_texts(&env, query),
            vec![text.clone()],
            "query {query:?}"
        );
    }
}

#[test]
fn decomposed_query_finds_precomposed_text() {
    let env = Env::new();
    let text = format!("die {PRECOMPOSED} kommt");
    let chat = env.write(
        "WhatsApp Chat with Team.txt",
        export(&[("Ana", &text), ("Ben", "ok")]).as_bytes(),
    );
    env.ok(&["import", s(&chat)]);
    assert_eq!(hit_texts(&env, DECOMPOSED), vec![text.clone()]);
    // In a phrase too.
    assert_eq!(
        hit_texts(&env, &format!("\"{DECOMPOSED} kommt\"")),
        vec![text]
    );
}

#[test]
fn compatibility_forms_of_a_name_in_from_find_the_plain_names_messages() {
    let env = Env::new();
    let chat = env.write(
        "WhatsApp Chat with Crew.txt",
        export(&[
            ("Zorblax", "plain"),
            (
                "\u{1D419}orblax",
                "mathematical bold, as fancy-font profile names are",
            ),
            ("Ben", "someone else"),
        ])
        .as_bytes(),
    );
    env.ok(&["import", s(&chat)]);
    let both = vec!["Zorblax".to_string(), "\u{1D419}orblax".to_string()];
    for query in [
        "from:\u{FF3A}orblax",
        "from:\u{1D419}orblax",
        "from:zorblax",
        "from:\"\u{FF3A}ORBLAX\"",
    ] {
        assert_eq!(senders_of(&env, query), both, "query {query:?}");
    }
    // A full-width chat name in `chat:` too.
    assert_eq!(env.total("chat:\u{FF23}rew"), 3);
}

#[test]
fn top_words_count_the_decomposed_and_precomposed_spelling_as_one_word() {
    let env = Env::new();
    let chat = env.write(
        "WhatsApp Chat with Team.txt",
        export(&[
            ("Ana", &format!("eine {DECOMPOSED}")),
            ("Ben", &format!("noch eine {PRECOMPOSED}")),
            ("Ana", &format!("{} bitte", PRECOMPOSED.to_uppercase())),
        ])
        .as_bytes(),
    );
    env.ok(&["import", s(&chat)]);
    let stats = env.json(&["stats", "--json"]);
    let words: Vec<(String, u64)> = stats["top_words"]
        .as_array()
        .expect("top_words")
        .iter()
        .map(|w| {
            (
                w["word"].as_str().expect("word").to_string(),
                w["count"].as_u64().expect("count"),
            )
        })
        .collect();
    let anderung: Vec<&(String, u64)> = words
        .iter()
        .filter(|(w, _)| w.contains("nderung"))
        .collect();
    assert_eq!(anderung, vec![&("anderung".to_string(), 3)], "{words:?}");
}

#[test]
fn one_person_written_two_ways_is_one_participant() {
    let env = Env::new();
    // `Jörg` precomposed and decomposed, and in full-width capitals.
    let chat = env.write(
        "WhatsApp Chat with Team.txt",
        export(&[
            ("J\u{F6}rg", "eins"),
            ("Jo\u{308}rg", "zwei"),
            ("\u{FF2A}\u{D6}RG", "drei"),
            ("Ben", "vier"),
        ])
        .as_bytes(),
    );
    env.ok(&["import", s(&chat)]);
    let stats = env.json(&["stats", "--json"]);
    let people: Vec<(String, u64)> = stats["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().expect("name").to_string(),
                p["messages"].as_u64().expect("n"),
            )
        })
        .collect();
    // Shown under the smallest spelling, whatever the order of import.
    assert_eq!(
        people,
        vec![("J\u{F6}rg".to_string(), 3), ("Ben".to_string(), 1)]
    );
    let by_person = env.json(&["stats", "--json", "--participant", "jorg"]);
    assert_eq!(by_person["messages"], 3, "{by_person}");
}

/// A copy of `tests/fixtures/archive_schema2`: an archive written by the whatscope before
/// Unicode normalisation (schema 2) from an export whose Ana wrote `Änderung` decomposed and
/// whose `Jörg` was then forgotten (`forget --participant Jörg`), so it also holds an
/// opt-out entry of that version.
fn schema2_archive(env: &Env) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive_schema2");
    copy_dir(&fixture, &env.data());
}

fn schema_version(env: &Env) -> u64 {
    let meta: Value =
        serde_json::from_slice(&fs::read(env.data().join("meta.json")).expect("meta"))
            .expect("json");
    meta["schema_version"].as_u64().expect("schema_version")
}

#[test]
fn an_archive_of_the_previous_schema_reindexes_itself_once() {
    let env = Env::new();
    schema2_archive(&env);
    assert_eq!(schema_version(&env), 2);
    let first = env.ok(&["search", "anderung", "--json"]);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains("re-indexing the archive"), "{stderr}");
    let found: Value = serde_json::from_slice(&first.stdout).expect("json");
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["hits"][0]["text"], format!("die {DECOMPOSED} kommt"));
    assert!(schema_version(&env) > 2);
    // Once: the next command just reads it, and everything else came along.
    let again = env.ok(&["search", PRECOMPOSED]);
    assert!(again.stderr.is_empty(), "{}", describe(&again));
    assert_eq!(env.total("from:ana OR from:ben"), 2);
    assert_eq!(
        env.total("zusammen"),
        0,
        "the forgotten person stays erased"
    );
    assert_private(&env.data());
}

#[test]
fn optout_entries_of_the_previous_version_keep_matching_and_forget_extends_them() {
    let env = Env::new();
    schema2_archive(&env);
    // The entry of that version was made from `Jörg` lowercased: it still matches any case.
    let again = env.write(
        "WhatsApp Chat with Team.txt",
        export(&[
            ("J\u{F6}rg", "wieder da"),
            ("J\u{D6}RG", "auch"),
            ("Ben", "ok"),
        ])
        .as_bytes(),
    );
    let report = env.json(&["import", s(&again), "--json"]);
    assert_eq!(report["files"][0]["opted_out"], 2, "{report}");
    // Named again, the person's entry gets the folded form, which catches look-alikes.
    env.ok(&["forget", "--participant", "J\u{F6}rg", "--yes"]);
    let look_alikes = env.write(
        "WhatsApp Chat with Team 2.txt",
        export(&[
            ("Jorg", "ohne Umlaut"),
            ("\u{FF2A}o\u{308}rg", "breit"),
            ("Ben", "ok"),
        ])
        .as_bytes(),
    );
    let report = env.json(&["import", s(&look_alikes), "--json"]);
    assert_eq!(report["files"][0]["opted_out"], 2, "{report}");
    assert_eq!(env.total("umlaut OR breit"), 0);
}

#[test]
fn a9_optout_holds_against_look_alike_names() {
    let env = Env::new();
    let first = env.write(
        "WhatsApp Chat with Crew.txt",
        export(&[("Zorblax", "hello"), ("Ben", "hi")]).as_bytes(),
    );
    env.ok(&["import", s(&first)]);
    env.ok(&["forget", "--participant", "Zorblax", "--yes"]);
    let look_alikes = [
        "\u{FF3A}orblax",   // full-width Z
        "ZORBLAX",          // upper case
        "Z\u{F6}rblax",     // an accent added
        "Zo\u{308}rblax",   // the same accent, decomposed
        "\u{1D419}orblax",  // mathematical bold Z
        "~\u{202F}Zorblax", // a non-contact's mark
    ];
    let lines: Vec<(&str, &str)> = look_alikes
        .iter()
        .map(|n| (*n, "back again"))
        .chain([("Ben", "still here")])
        .collect();
    let again = env.write("WhatsApp Chat with Crew 2.txt", export(&lines).as_bytes());
    let report = env.json(&["import", s(&again), "--json"]);
    assert_eq!(
        report["files"][0]["opted_out"],
        look_alikes.len(),
        "{report}"
    );
    assert_eq!(report["added"], 1, "{report}");
    assert_eq!(env.total("back"), 0);
    assert_eq!(env.total("from:zorblax"), 0);
}
