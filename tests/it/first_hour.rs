//! A new user's first hour through the real binary (issue 15): install metadata, `--help`
//! listing every enumerated flag's values, and clear answers to the first mistakes (a
//! mistyped `forget`, an unreadable `export --query`, queries without a word, `AND`/`NOT`,
//! Ctrl-C during an import, and nouns that agree with their numbers).

use crate::support::bin::{describe, s, Env};
use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

/// An archive of one chat whose messages are known word by word.
fn with_chat() -> Env {
    let env = Env::new();
    let export = env.write("WhatsApp Chat with Food Club.txt", FOOD_CLUB.as_bytes());
    env.ok(&["import", s(&export)]);
    env
}

const FOOD_CLUB: &str = "\
12/01/2024, 10:00 - Maya Lopez: pizza tonight?
12/01/2024, 10:01 - Jonas Becker: pizza and curry, both
12/01/2024, 10:02 - Maya Lopez: only curry for me
12/01/2024, 10:03 - Rita Alves: not hungry, sorry
12/01/2024, 10:04 - Jonas Becker: pizza then
";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Texts of every hit of `query`, and the search's JSON.
fn search(env: &Env, query: &str) -> (Vec<String>, Value) {
    let v = env.json(&["search", "--json", "--limit", "100", "--", query]);
    let texts = v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["text"].as_str().unwrap_or_default().to_string())
        .collect();
    (texts, v)
}

// ---------------------------------------------------------------------------------------------
// 1. Install

#[test]
fn install_metadata_names_licenses_repository_keywords_and_categories() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    for field in [
        "license = \"MIT OR Apache-2.0\"",
        "repository = \"https://github.com/whatscope/whatscope\"",
        "keywords = [",
        "categories = [\"command-line-utilities\", \"text-processing\"]",
    ] {
        assert!(manifest.contains(field), "Cargo.toml lacks {field}");
    }
    let mit = fs::read_to_string(root.join("LICENSE-MIT")).expect("LICENSE-MIT");
    assert!(mit.contains("Permission is hereby granted, free of charge"));
    assert!(mit.contains("Copyright (c) the whatscope developers"));
    let apache = fs::read_to_string(root.join("LICENSE-APACHE")).expect("LICENSE-APACHE");
    assert!(apache.contains("Apache License") && apache.contains("Version 2.0, January 2004"));
    assert!(apache.contains("END OF TERMS AND CONDITIONS"));
}

// ---------------------------------------------------------------------------------------------
// 2. --help lists the values of every enumerated flag

#[test]
fn help_lists_the_values_of_every_enumerated_flag() {
    let env = Env::new();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["import", "--help"],
            &["--date-order", "dmy", "mdy", "ymd"],
        ),
        (&["parse", "--help"], &["--date-order", "dmy", "mdy", "ymd"]),
        (&["search", "--help"], &["--sort", "relevance", "date"]),
        (&["export", "--help"], &["--format", "ndjson", "csv"]),
        (
            &["completions", "--help"],
            &["bash", "zsh", "fish", "elvish", "powershell"],
        ),
    ];
    for (args, values) in cases {
        let help = stdout(&env.ok(args));
        for v in *values {
            assert!(help.contains(v), "{args:?} does not list {v}:\n{help}");
        }
    }
    // The short help lists them too.
    let short = stdout(&env.ok(&["import", "-h"]));
    assert!(short.contains("dmy, mdy, ymd"), "{short}");
}

#[test]
fn help_date_order_takes_any_case_and_names_the_values_when_wrong() {
    let env = Env::new();
    let export = env.write("WhatsApp Chat with Food Club.txt", FOOD_CLUB.as_bytes());
    env.ok(&["parse", s(&export), "--date-order", "DMY"]);
    let out = env.run(&["parse", s(&export), "--date-order", "dym"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = stderr(&out);
    assert!(
        err.contains("dmy") && err.contains("mdy") && err.contains("ymd"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. First mistakes: forget

#[test]
fn first_mistakes_forget_a_name_with_no_messages_is_an_error_with_the_closest_names() {
    let env = with_chat();
    let out = env.run(&["forget", "--participant", "Jonas Beker", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one error line and one hint: {err}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains("no messages by Jonas Beker"),
        "{err}"
    );
    assert!(lines[1].starts_with("hint: "), "{err}");
    assert!(lines[1].contains("Jonas Becker"), "{err}");
    assert!(!lines[1].contains("Rita Alves"), "not close: {err}");
    assert!(lines[1].contains("--opt-out-only"), "{err}");
    assert!(!stdout(&out).contains("erased"), "{}", describe(&out));
    // A typo a few letters off is found by edit distance.
    let out = env.run(&["forget", "--participant", "Rita Alvse", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stderr(&out).contains("Rita Alves"), "{}", describe(&out));
    // Nothing was recorded: a later import still takes the name.
    assert!(
        !env.data().join("opted-out.txt").exists() || {
            let list = fs::read_to_string(env.data().join("opted-out.txt")).unwrap_or_default();
            list.lines().all(|l| l.starts_with('#') || l.is_empty())
        }
    );
    let (hits, _) = search(&env, "from:jonas");
    assert_eq!(hits.len(), 2);
}

#[test]
fn first_mistakes_forget_opt_out_only_records_someone_not_in_the_archive() {
    let env = with_chat();
    let out = env.ok(&[
        "forget",
        "--participant",
        "Lena Vogel",
        "--opt-out-only",
        "--yes",
    ]);
    let said = stdout(&out);
    assert!(said.contains("Lena Vogel is now opted out"), "{said}");
    assert!(said.contains("erased 0 messages"), "{said}");
    // Her messages are kept out of a later import.
    let later = env.write(
        "WhatsApp Chat with Food Club 2.txt",
        b"13/01/2024, 09:00 - Lena Vogel: hello everyone\n13/01/2024, 09:01 - Maya Lopez: welcome\n",
    );
    let report = env.json(&["import", s(&later), "--json"]);
    assert_eq!(report["files"][0]["opted_out"], 1, "{report}");
    assert_eq!(search(&env, "hello").0.len(), 0);
    // Forgetting her again (already opted out) is no mistake.
    env.ok(&["forget", "--participant", "Lena Vogel", "--yes"]);
}

#[test]
fn first_mistakes_forget_opt_out_only_refuses_someone_with_messages() {
    let env = with_chat();
    let out = env.run(&[
        "forget",
        "--participant",
        "Rita Alves",
        "--opt-out-only",
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: ") && err.contains("Rita Alves has 1 message in the archive"),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
    assert_eq!(search(&env, "hungry").0.len(), 1, "nothing erased");
}

// ---------------------------------------------------------------------------------------------
// 3. First mistakes: queries

#[test]
fn first_mistakes_export_refuses_a_query_with_a_part_it_cannot_read() {
    let env = with_chat();
    for (query, part) in [
        ("kind:meida", "kind:meida"),
        ("pizza after:2024-13-45", "after:2024-13-45"),
        ("has:pictures", "has:pictures"),
        ("***", "***"),
    ] {
        let out = env.run(&["export", "--query", query]);
        assert_eq!(out.status.code(), Some(2), "{query}: {}", describe(&out));
        assert!(out.stdout.is_empty(), "{query}: exported anyway");
        let err = stderr(&out);
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: export --query: ") && first.contains(&format!("`{part}`")),
            "{query}: {err}"
        );
        assert!(err.contains("\nhint: "), "{query}: {err}");
    }
    // The same query through `search` and `stats` is read leniently, with a note.
    let (_, v) = search(&env, "pizza kind:meida");
    assert_eq!(v["total"], 3, "{v}");
    assert_eq!(v["lenient"], true, "{v}");
    assert!(v["notes"][0]
        .as_str()
        .unwrap_or_default()
        .contains("kind:meida"));
    let out = env.ok(&["stats", "--query", "pizza kind:meida"]);
    assert!(stderr(&out).contains("kind:meida"), "{}", describe(&out));
    // A query it can read exports as ever.
    let out = env.ok(&["export", "--query", "kind:text pizza"]);
    assert_eq!(stdout(&out).lines().count(), 3);
}

#[test]
fn first_mistakes_search_without_a_word_or_filter_matches_nothing_and_says_so() {
    let env = with_chat();
    for query in ["(", "***", "((", "-", "\"\"", "from:", "kind:meida"] {
        let (hits, v) = search(&env, query);
        assert_eq!(v["total"], 0, "{query:?}: {v}");
        assert!(hits.is_empty());
        assert_eq!(v["lenient"], true, "{query:?}: {v}");
        assert!(
            v["notes"].as_array().is_some_and(|n| !n.is_empty()),
            "{query:?}: {v}"
        );
        let out = env.ok(&["search", "--", query]);
        assert!(
            stderr(&out).contains("note: "),
            "{query:?}: {}",
            describe(&out)
        );
        assert!(
            stdout(&out).contains("0 matches"),
            "{query:?}: {}",
            describe(&out)
        );
    }
    // A query that is read whole says so too.
    let (_, v) = search(&env, "pizza");
    assert_eq!(v["lenient"], false, "{v}");
    assert_eq!(v["total"], 3, "{v}");
    // Exclusions alone still mean "everything else".
    assert_eq!(search(&env, "-pizza").1["total"], 2);
}

#[test]
fn first_mistakes_search_reads_and_or_not_as_operators() {
    let env = with_chat();
    let texts = |q: &str| {
        let mut t = search(&env, q).0;
        t.sort();
        t
    };
    assert_eq!(texts("pizza AND curry"), vec!["pizza and curry, both"]);
    assert_eq!(
        texts("pizza NOT curry"),
        vec!["pizza then", "pizza tonight?"]
    );
    assert_eq!(
        texts("hungry OR tonight"),
        vec!["not hungry, sorry", "pizza tonight?"]
    );
    assert_eq!(texts("curry AND NOT pizza"), vec!["only curry for me"]);
    // Lowercase, or with nothing to join, they are words.
    assert_eq!(texts("pizza and"), vec!["pizza and curry, both"]);
    assert_eq!(texts("NOT"), vec!["not hungry, sorry"]);
    assert_eq!(texts("AND curry"), vec!["pizza and curry, both"]);
    assert_eq!(search(&env, "pizza AND curry").1["lenient"], false);
}

// ---------------------------------------------------------------------------------------------
// 3. First mistakes: Ctrl-C during an import

/// An Android export of `n` numbered messages, about 40 bytes each.
fn big_export(n: usize) -> String {
    let mut out = String::with_capacity(n * 48);
    for i in 0..n {
        let (day, rest) = (1 + (i / 1440) % 28, i % 1440);
        out.push_str(&format!(
            "{day:02}/02/2024, {:02}:{:02} - Ana Souza: message number {i}\n",
            rest / 60,
            rest % 60
        ));
    }
    out
}

/// Imports `big` from stdin and sends SIGINT once the import is surely running: the pipe
/// holds 64 KiB, so when writing far more than that returns, whatscope is reading the
/// export inside the import. Then the rest is written and the import left to react.
#[cfg(unix)]
fn interrupted_import(env: &Env, big: &str) -> Output {
    let mut child = env
        .cmd()
        .args(["import", "--chat", "Big", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn import");
    let mut stdin = child.stdin.take().expect("stdin");
    let half = big.len() / 2;
    assert!(half > 1 << 20, "the export must be far larger than a pipe");
    stdin.write_all(&big.as_bytes()[..half]).expect("write");
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    // SAFETY: kill(2) with our child's pid and a signal number.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    stdin.write_all(&big.as_bytes()[half..]).expect("write");
    drop(stdin);
    child.wait_with_output().expect("wait")
}

#[cfg(unix)]
#[test]
fn first_mistakes_ctrl_c_during_import_exits_130_and_leaves_the_archive_as_it_was() {
    let env = with_chat();
    let before = env.json(&["chats", "--json"]);
    let big = big_export(60_000);
    let out = interrupted_import(&env, &big);
    assert_eq!(out.status.code(), Some(130), "{}", describe(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("interrupted") && err.contains("the archive was left as it was"),
        "{err}"
    );
    assert!(stdout(&out).is_empty(), "no report: {}", describe(&out));
    assert_eq!(env.json(&["chats", "--json"]), before);
    assert_eq!(search(&env, "number").1["total"], 0);
    // Interrupting the first import leaves no archive behind.
    let fresh = Env::new();
    let out = interrupted_import(&fresh, &big);
    assert_eq!(out.status.code(), Some(130), "{}", describe(&out));
    assert!(!fresh.data().exists(), "a new archive was left behind");
}

// ---------------------------------------------------------------------------------------------
// 3. First mistakes: plural agreement

#[test]
fn first_mistakes_counts_of_one_are_singular() {
    let env = Env::new();
    let one = env.write(
        "WhatsApp Chat with Solo.txt",
        b"12/01/2024, 10:00 - Maya Lopez: pizza tonight?\n",
    );
    let report = stdout(&env.ok(&["import", s(&one)]));
    assert!(
        report.contains("  1 message: 1 added, 0 already in the archive"),
        "{report}"
    );
    assert!(
        report.contains("imported 1 file: 1 message added, 0 duplicates skipped"),
        "{report}"
    );
    let again = stdout(&env.ok(&["import", s(&one)]));
    assert!(
        again.contains("imported 1 file: 0 messages added, 1 duplicate skipped"),
        "{again}"
    );
    let found = stdout(&env.ok(&["search", "pizza"]));
    assert!(found.contains("1 match"), "{found}");
    let stats = stdout(&env.ok(&["stats"]));
    assert!(
        stats.contains("1 message · 0 system · 1 participant · 1 chat"),
        "{stats}"
    );
    assert!(stats.contains("1 active day"), "{stats}");
    let out = env.ok(&["export", "--output", s(&env.tmp.path().join("out.ndjson"))]);
    assert!(
        stderr(&out).contains("exported 1 message to"),
        "{}",
        describe(&out)
    );
    for text in [&report, &again, &found, &stats, &stderr(&out)] {
        for wrong in [
            "1 messages",
            "1 lines",
            "1 files",
            "1 duplicates",
            "1 chats",
        ] {
            assert!(!text.contains(wrong), "{wrong:?} in {text}");
        }
    }
}
