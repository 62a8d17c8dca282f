//! Privacy and data rights through the real binary (docs/privacy.md, docs/reliability.md, V and R):
//! anonymized output holds no real identity, pseudonyms are stable per archive and differ
//! across archives, `forget` erases for good and keeps the person out of later imports,
//! `export` round-trips and writes atomically, `purge` removes everything, and every file
//! stays private.

use crate::support::bin::*;
use crate::support::files::*;
use crate::support::fixtures::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Every anonymized output of an archive, concatenated per command.
fn anonymized_outputs(env: &Env) -> Vec<(String, Vec<u8>)> {
    let mut outs = Vec::new();
    let mut grab = |label: &str, args: &[&str]| {
        let out = env.ok(args);
        outs.push((label.to_string(), out.stdout));
    };
    // The flag is global: before and after the subcommand.
    grab("chats --json", &["chats", "--json", "--anonymize"]);
    grab("chats", &["--anonymize", "chats"]);
    for q in [
        "kind:text",
        "kind:system",
        "kind:media",
        "has:media",
        "number",
        "mail OR cell OR ring",
        "from:Maya",
        "zelda",
        "maya",
        "\"Tomás Rivera\"",
    ] {
        grab(
            &format!("search {q} --json"),
            &["search", q, "--json", "--anonymize", "--limit", "1000"],
        );
        grab(
            &format!("search {q}"),
            &["--anonymize", "search", q, "--limit", "1000"],
        );
    }
    for chat in ["Hiking Crew", "Book Club 📚", "Reunion", "Zelda Quintero"] {
        grab(
            &format!("log {chat} --json"),
            &["log", "--chat", chat, "--json", "--anonymize"],
        );
        grab(
            &format!("log {chat}"),
            &["--anonymize", "log", "--chat", chat],
        );
    }
    grab("stats --json", &["stats", "--json", "--anonymize"]);
    grab(
        "stats --json --chat",
        &["--anonymize", "stats", "--json", "--chat", "Zelda Quintero"],
    );
    grab(
        "stats --json --participant",
        &[
            "stats",
            "--json",
            "--anonymize",
            "--participant",
            "Maya Lopez",
        ],
    );
    grab("stats", &["stats", "--anonymize"]);
    grab("export", &["export", "--anonymize"]);
    grab("export csv", &["export", "--anonymize", "--format", "csv"]);
    grab(
        "export query",
        &["export", "--anonymize", "--query", "maya OR zelda"],
    );
    outs
}

#[test]
fn v3_anonymized_outputs_hold_no_real_identity() {
    let env = Env::archive();
    for (label, bytes) in anonymized_outputs(&env) {
        let leaks = found(&bytes, CANARIES);
        assert!(
            leaks.is_empty(),
            "`{label}` leaks {leaks:?}:\n{}",
            String::from_utf8_lossy(&bytes)
        );
    }
    // Commands that print exports as they are refuse the flag rather than ignore it.
    let input = env.write("x.txt", ZELDA.as_bytes());
    let out = env.run(&["parse", s(&input), "--anonymize"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(out.stdout.is_empty());
    // Everything was there to leak: the plain outputs hold the canaries.
    let plain = env.ok(&["export"]).stdout;
    for canary in [
        "Maya Lopez",
        "Zelda Quintero",
        "zelda.quintero@example.org",
        "+44 7700 900123",
    ] {
        assert!(
            contains(&plain, canary.as_bytes()),
            "{canary} not in the plain export"
        );
    }
}

#[test]
fn anonymized_export_keeps_dates_times_prices_and_shape() {
    let env = Env::archive();
    let messages = env.ndjson(&["export", "--anonymize", "--chat", "Zelda Quintero"]);
    let text: String = messages
        .iter()
        .map(|m| format!("{} {}\n", m["text"], m["attachment"]))
        .collect();
    for keep in KEEP {
        assert!(text.contains(keep), "{keep:?} was masked:\n{text}");
    }
    for mask in ["[phone]", "[email]"] {
        assert!(text.contains(mask), "no {mask} in:\n{text}");
    }
    // The 1:1 chat's name is its participant's: it shows as their pseudonym.
    let chat = messages[0]["chat"].as_str().expect("chat");
    let zelda = messages[0]["sender"].as_str().expect("sender");
    assert_eq!(chat, zelda);
    assert!(is_pseudonym(zelda), "{zelda}");
    // Every sender is a pseudonym, every id 16 hex digits (keyed, not the stored id).
    let plain = env.ndjson(&["export", "--chat", "Zelda Quintero"]);
    let plain_ids: BTreeSet<&str> = plain.iter().filter_map(|m| m["id"].as_str()).collect();
    for m in &messages {
        let id = m["id"].as_str().expect("id");
        assert!(
            id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{id}"
        );
        assert!(!plain_ids.contains(id), "anonymized ids are keyed");
        if let Some(s) = m["sender"].as_str() {
            assert!(is_pseudonym(s), "{s}");
        }
    }
}

/// "Amber Fox" or "Amber Fox 2".
fn is_pseudonym(s: &str) -> bool {
    let words: Vec<&str> = s.split(' ').collect();
    (words.len() == 2 || (words.len() == 3 && words[2].parse::<u32>().is_ok()))
        && words[..2]
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn pseudonyms_of(env: &Env) -> BTreeMap<String, String> {
    // Same order in both outputs: real sender → pseudonym, message by message.
    let plain = env.ndjson(&["export"]);
    let anon = env.ndjson(&["export", "--anonymize"]);
    assert_eq!(plain.len(), anon.len());
    let mut map = BTreeMap::new();
    for (p, a) in plain.iter().zip(&anon) {
        if let (Some(real), Some(pseudo)) = (p["sender"].as_str(), a["sender"].as_str()) {
            let before = map.insert(real.to_string(), pseudo.to_string());
            assert!(
                before.is_none_or(|b| b == pseudo),
                "{real} has two pseudonyms"
            );
        }
    }
    map
}

#[test]
fn v1_pseudonyms_are_stable_per_archive_and_differ_across_archives() {
    let one = Env::archive();
    let first = pseudonyms_of(&one);
    assert!(first.len() >= 10, "{first:?}");
    let distinct: BTreeSet<&String> = first.values().collect();
    assert_eq!(
        distinct.len(),
        first.len(),
        "pseudonyms are unique: {first:?}"
    );
    // Same archive, another run: the same pseudonyms, the same output bytes.
    assert_eq!(pseudonyms_of(&one), first);
    let a = one
        .ok(&["log", "--chat", "Hiking", "--json", "--anonymize"])
        .stdout;
    let b = one
        .ok(&["--anonymize", "log", "--chat", "Hiking", "--json"])
        .stdout;
    assert_eq!(a, b);
    // Another archive of the same exports: another secret, other pseudonyms and ids.
    let two = Env::archive();
    let second = pseudonyms_of(&two);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    let same = first.iter().filter(|(k, v)| second[*k] == **v).count();
    assert!(same < first.len() / 2, "{first:?}\n{second:?}");
    let c = two
        .ok(&["log", "--chat", "Hiking", "--json", "--anonymize"])
        .stdout;
    assert_ne!(a, c);
    // The secret is private and never part of an export.
    let secret = fs::read(one.data().join("secret.key")).expect("secret");
    assert_eq!(secret.len(), 32);
    let export = one.ok(&["export", "--anonymize"]).stdout;
    assert!(!contains(&export, &secret));
}

#[test]
fn v3_anonymized_statistics_hold_no_real_identity() {
    let env = Env::archive();
    let archive = whatscope::ops::open(&env.data()).expect("open");
    let pseudonyms = whatscope::people::masks::pseudonyms(&archive).expect("pseudonyms");
    for scope in [
        whatscope::stats::Scope::default(),
        whatscope::stats::Scope {
            chat: Some("Zelda Quintero".into()),
            ..Default::default()
        },
        whatscope::stats::Scope {
            participant: Some("Maya Lopez".into()),
            query: Some("from:Maya OR zelda".into()),
            ..Default::default()
        },
    ] {
        let mut stats = whatscope::stats::compute(&archive, &scope).expect("stats");
        let before = serde_json::to_vec(&stats).expect("json");
        assert!(!found(&before, CANARIES).is_empty(), "nothing to mask");
        whatscope::stats::anonymize_stats(&mut stats, &pseudonyms);
        let after = serde_json::to_vec(&stats).expect("json");
        let leaks = found(&after, CANARIES);
        assert!(
            leaks.is_empty(),
            "{leaks:?} in {}",
            String::from_utf8_lossy(&after)
        );
        for p in &stats.participants {
            assert!(is_pseudonym(&p.name), "{}", p.name);
        }
    }
}

#[test]
fn v12_v14_forget_erases_a_person_for_good() {
    let env = Env::new();
    let hiking = env.write(HIKING_TXT, &fixture("01_android_en_gb_24h_group.txt"));
    let book = env.write(BOOK_TXT, &fixture("04_ios_en_us_12h_nnbsp_2024.txt"));
    env.ok(&["import", s(&hiking), s(&book)]);
    // Jonas Becker wrote "Sorry, wrong chat"; nobody else writes "wrong" or names him.
    assert_eq!(env.total("wrong"), 1);
    let scan = |needles: &[&'static str]| -> Vec<(String, &'static str)> {
        let mut hits = Vec::new();
        for f in files_under(&env.data()) {
            for n in found(&fs::read(&f).expect("read"), needles) {
                hits.push((f.display().to_string(), n));
            }
        }
        hits
    };
    let traces = ["Jonas", "Becker", "wrong"];
    assert!(
        !scan(&traces).is_empty(),
        "the oracle sees their text on disk before forget"
    );

    // No terminal and no --yes: refused, nothing erased.
    let refused = env.run(&["forget", "--participant", "Jonas Becker"]);
    assert_eq!(refused.status.code(), Some(1), "{}", describe(&refused));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("--yes") && err.starts_with("error: "), "{err}");
    assert_eq!(env.total("wrong"), 1);

    let out = env.ok(&["forget", "--participant", "jonas  BECKER", "--yes"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("erased 4 messages"), "{said}");
    assert_eq!(env.total("wrong"), 0);
    assert_eq!(env.total("from:Jonas"), 0);
    assert_eq!(env.total("\"Meet here at 8\""), 0);
    let leftovers = scan(&traces);
    assert!(leftovers.is_empty(), "still on disk: {leftovers:?}");
    let chats = env.json(&["chats", "--json"]);
    let hiking_chat = chats
        .as_array()
        .and_then(|a| a.iter().find(|c| c["chat"] == "Hiking Crew"))
        .expect("Hiking Crew");
    assert_eq!(hiking_chat["participants"], 3, "{chats}");
    assert_private(&env.data());

    // Re-importing the export adds none of their messages, and says so.
    let report = env.json(&["import", s(&hiking), s(&book), "--json"]);
    let files = report["files"].as_array().expect("files");
    assert_eq!(files[0]["opted_out"], 4, "{report}");
    assert_eq!(report["added"], 0, "{report}");
    assert_eq!(env.total("wrong"), 0);
    let text = String::from_utf8_lossy(&env.ok(&["import", s(&hiking)]).stdout).into_owned();
    assert!(text.contains("4 skipped (opted out)"), "{text}");
    assert!(scan(&traces).is_empty());

    // The opt-out list holds no name.
    let list = fs::read(env.data().join("opted-out.txt")).expect("opt-out list");
    assert!(found(&list, &["jonas", "becker"]).is_empty());

    // Their access export still answers: nothing held, opted out.
    let access = env.ndjson(&["export", "--participant", "Jonas Becker"]);
    assert_eq!(access.len(), 1, "{access:?}");
    assert_eq!(access[0]["summary"]["messages"], 0);
    assert_eq!(access[0]["summary"]["opted_out"], true);

    // Undo: the next import brings them back.
    let undone = env.ok(&["forget", "--undo", "Jonas Becker"]);
    assert!(String::from_utf8_lossy(&undone.stdout).contains("no longer opted out"));
    let again = env.run(&["forget", "--undo", "Jonas Becker"]);
    assert_eq!(again.status.code(), Some(1), "{}", describe(&again));
    let report = env.json(&["import", s(&hiking), "--json"]);
    assert_eq!(report["added"], 4, "{report}");
    assert_eq!(env.total("wrong"), 1);
    assert_private(&env.data());
}

#[test]
fn v14_forget_any_spelling_and_people_not_yet_imported() {
    let env = Env::new();
    let reunion_path = env.write(REUNION_TXT, &fixture("15_ios_legacy_2016_colon.txt"));
    env.ok(&["import", s(&env.write(ZELDA_TXT, ZELDA.as_bytes()))]);
    // Nobody by that name yet: `--opt-out-only` records the opt-out (another spelling of
    // the number), and the first import of their chat skips them.
    env.ok(&[
        "forget",
        "--participant",
        "+1 555 010 4477",
        "--opt-out-only",
        "--yes",
    ]);
    let report = env.json(&["import", s(&reunion_path), "--json"]);
    let skipped = report["files"][0]["opted_out"].as_u64().expect("opted_out");
    assert!(skipped >= 3, "{report}");
    assert_eq!(
        env.total("Dev"),
        1,
        "Hannah's \"Yay Dev!\" stays: it is not theirs"
    );
    assert_eq!(env.total("\"new number\""), 0);
    let chats = env.json(&["chats", "--json"]);
    let reunion = chats
        .as_array()
        .and_then(|a| a.iter().find(|c| c["chat"] == "Reunion"))
        .expect("Reunion");
    assert_eq!(reunion["participants"], 2, "{chats}");

    // Without its secret the opt-out list recognises nobody: import refuses.
    fs::remove_file(env.data().join("secret.key")).expect("rm secret");
    let out = env.run(&["import", s(&reunion_path)]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("secret"));
}

#[test]
fn export_ndjson_round_trips_the_message_model() {
    let env = Env::archive();
    let exported = env.ndjson(&["export"]);
    let keys: BTreeSet<&str> = [
        "id",
        "chat",
        "ts",
        "sender",
        "kind",
        "text",
        "attachment",
        "edited",
    ]
    .into();
    for m in &exported {
        let have: BTreeSet<&str> = m
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(have, keys, "{m}");
    }
    // The same messages as parsing the exports: every field of docs/formats.md, ids included.
    let mut parsed: Vec<Value> = Vec::new();
    for input in env.inputs() {
        for mut m in env.ndjson(&["parse", s(&input)]) {
            m.as_object_mut().expect("object").remove("line");
            parsed.push(m);
        }
    }
    let by_id = |v: &[Value]| -> BTreeMap<String, Value> {
        v.iter()
            .map(|m| (m["id"].as_str().expect("id").to_string(), m.clone()))
            .collect()
    };
    assert_eq!(by_id(&exported), by_id(&parsed));
    assert_eq!(exported.len(), parsed.len());
    // Chats by name, each in time order.
    let order: Vec<(String, String)> = exported
        .iter()
        .map(|m| {
            (
                m["chat"].as_str().unwrap_or("").into(),
                m["ts"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    // Filters narrow it; the log of a chat is the export of that chat.
    let hiking = env.ndjson(&["export", "--chat", "hiking"]);
    assert_eq!(
        hiking,
        env.ndjson(&["log", "--chat", "Hiking Crew", "--json", "--limit", "1000"])
    );
    let media = env.ndjson(&["export", "--query", "kind:media"]);
    assert!(!media.is_empty() && media.iter().all(|m| m["kind"] == "media"));
}

#[test]
fn export_csv_reads_back_with_an_rfc4180_reader() {
    let env = Env::archive();
    let ndjson = env.ndjson(&["export"]);
    // Exact cells, for a program (by default a cell a spreadsheet would run as a formula
    // gets a leading `'`: docs/export.md).
    let csv = String::from_utf8(
        env.ok(&["export", "--format", "csv", "--no-formula-guard"])
            .stdout,
    )
    .expect("UTF-8");
    let records = parse_csv(&csv);
    assert_eq!(
        records[0],
        [
            "id",
            "chat",
            "ts",
            "sender",
            "kind",
            "text",
            "attachment",
            "edited"
        ]
    );
    assert_eq!(records.len() - 1, ndjson.len());
    let mut multiline = 0;
    for (row, m) in records[1..].iter().zip(&ndjson) {
        let field = |k: &str| match &m[k] {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let want: Vec<String> = [
            "id",
            "chat",
            "ts",
            "sender",
            "kind",
            "text",
            "attachment",
            "edited",
        ]
        .iter()
        .map(|k| field(k))
        .collect();
        assert_eq!(row, &want);
        multiline += usize::from(row[5].contains('\n'));
    }
    assert!(multiline >= 2, "multi-line bodies survive quoting");
}

#[test]
fn r1_r2_access_export_masks_everyone_else() {
    let env = Env::archive();
    let out = env.path("maya.ndjson");
    let done = env.ok(&["export", "--participant", "maya lopez", "--output", s(&out)]);
    assert!(done.stdout.is_empty(), "nothing on stdout with --output");
    let messages = parse_ndjson(&fs::read(&out).expect("export"));
    let plain = env.ndjson(&["export", "--chat", "Hiking Crew"]);
    let hers = plain.iter().filter(|m| m["sender"] == "Maya Lopez").count();
    assert_eq!(messages.len(), hers);
    assert!(messages.iter().all(|m| m["sender"] == "Maya Lopez"));
    let bytes = fs::read(&out).expect("export");
    let others: Vec<&str> = CANARIES
        .iter()
        .copied()
        .filter(|c| !["Maya", "Lopez"].contains(c))
        .collect();
    assert!(
        found(&bytes, &others).is_empty(),
        "{:?}",
        found(&bytes, &others)
    );

    let summary_path = env.path("maya.ndjson.summary.json");
    let summary_bytes = fs::read(&summary_path).expect("summary");
    let summary: Value = serde_json::from_slice(&summary_bytes).expect("summary JSON");
    let s = &summary["summary"];
    assert_eq!(s["participant"], "Maya Lopez");
    assert_eq!(s["messages"], hers as u64);
    assert_eq!(s["chats"][0]["chat"], "Hiking Crew");
    assert!(is_pseudonym(s["pseudonym"].as_str().expect("pseudonym")));
    assert!(s["events"].as_array().is_some_and(|e| e.len() >= 5), "{s}");
    assert_eq!(s["statistics"]["messages"], hers as u64);
    assert!(s["about"].as_str().is_some_and(|a| a.contains("masked")));
    assert!(
        found(&summary_bytes, &others).is_empty(),
        "{:?}",
        found(&summary_bytes, &others)
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&out), 0o600);
        assert_eq!(mode(&summary_path), 0o600);
    }

    // Her own number and address stay hers? No: numbers and addresses in text are masked
    // whoever they belong to, and her name stays in her own messages.
    let zelda = env.ndjson(&["export", "--participant", "Zelda Quintero"]);
    let (last, rows) = zelda.split_last().expect("rows");
    assert!(
        last.get("summary").is_some(),
        "the summary is the last line on stdout"
    );
    let text = serde_json::to_string(rows).expect("json");
    assert!(!text.contains("Olwen") && text.contains("Zelda"), "{text}");
    assert!(
        !text.contains("98765") && text.contains("[phone]"),
        "{text}"
    );

    // With --anonymize the person is masked too.
    let anon = env
        .ok(&["export", "--participant", "Zelda Quintero", "--anonymize"])
        .stdout;
    assert!(
        found(&anon, CANARIES).is_empty(),
        "{:?}",
        found(&anon, CANARIES)
    );

    // CSV needs a file for the summary; an unknown person is an error with a hint.
    let csv = env.run(&[
        "export",
        "--participant",
        "Zelda Quintero",
        "--format",
        "csv",
    ]);
    assert_eq!(csv.status.code(), Some(1), "{}", describe(&csv));
    let nobody = env.run(&["export", "--participant", "Zelda"]);
    assert_eq!(nobody.status.code(), Some(1));
    let err = String::from_utf8_lossy(&nobody.stderr);
    assert!(err.contains("hint: did you mean: Zelda Quintero"), "{err}");
}

#[test]
fn v9_export_to_a_file_is_atomic_and_private() {
    let env = Env::archive();
    let target = env.path("all.csv");
    fs::write(&target, "old contents").expect("write");
    env.ok(&["export", "--format", "csv", "--output", s(&target)]);
    let csv = fs::read_to_string(&target).expect("read");
    assert!(csv.starts_with("id,chat,ts,"));
    #[cfg(unix)]
    assert_eq!(mode(&target), 0o600);
    let names: Vec<String> = fs::read_dir(env.tmp.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
    // A folder, or a missing folder, is refused with a hint.
    for bad in [
        env.tmp.path().to_path_buf(),
        env.path("no/such/dir/x.ndjson"),
    ] {
        let out = env.run(&["export", "--output", s(&bad)]);
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        assert!(String::from_utf8_lossy(&out.stderr).contains("hint:"));
    }
    assert_private(&env.data());
}

/// Kills an export while it writes a large file: the target is never partial, and the next
/// export cleans up after the dead one.
#[test]
fn v9_a_crash_mid_export_leaves_no_partial_file() {
    use whatscope_synth as synth;
    let env = Env::new();
    let style = synth::android_en_gb();
    let big = synth::generate_export(7, 120_000, &style, synth::LineEnding::Lf);
    let input = env.write("WhatsApp Chat with Big Group.txt", big.as_bytes());
    env.ok(&["import", s(&input)]);
    let total = env.json(&["chats", "--json"])[0]["messages"]
        .as_u64()
        .expect("n")
        + env.json(&["chats", "--json"])[0]["system"]
            .as_u64()
            .expect("n");

    let outdir = env.path("out");
    fs::create_dir_all(&outdir).expect("mkdir");
    let target = outdir.join("big.ndjson");
    let temps = || -> Vec<String> {
        fs::read_dir(&outdir)
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    };
    let mut child = env
        .cmd()
        .args(["export", "--anonymize", "--output", s(&target)])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let start = std::time::Instant::now();
    while temps().is_empty() && !target.exists() && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    std::thread::sleep(std::time::Duration::from_millis(30));
    child.kill().expect("kill");
    let _ = child.wait();
    // Either it finished before the kill (then the file is whole), or there is no file.
    if target.exists() {
        let lines = fs::read_to_string(&target).expect("read").lines().count() as u64;
        assert_eq!(lines, total, "a finished export is whole");
    }
    // The next export to the same place completes and removes the dead one's temp file.
    env.ok(&["export", "--output", s(&target)]);
    assert!(temps().is_empty(), "{:?}", temps());
    let text = fs::read_to_string(&target).expect("read");
    assert_eq!(text.lines().count() as u64, total);
    assert!(text.ends_with('\n'));
}

#[test]
fn purge_removes_the_archive_and_nothing_else() {
    let env = Env::archive();
    env.ok(&["forget", "--participant", "Jonas Becker", "--yes"]);
    let refused = env.run(&["purge"]);
    assert_eq!(refused.status.code(), Some(1), "{}", describe(&refused));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    assert!(env.data().join("secret.key").exists());

    // A file that is not whatscope's stays.
    fs::write(env.data().join("notes.txt"), "mine").expect("write");
    let out = env.ok(&["purge", "--yes"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("deleted the archive"));
    let left: Vec<String> = fs::read_dir(env.data())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["notes.txt"]);
    fs::remove_file(env.data().join("notes.txt")).expect("rm");
    env.ok(&["import", s(&env.write(ZELDA_TXT, ZELDA.as_bytes()))]);
    env.ok(&["purge", "--yes"]);
    assert!(!env.data().exists(), "an emptied data dir goes too");
    let again = env.ok(&["purge", "--yes"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing to purge"));
    // Searching now says there is no archive.
    let out = env.run(&["search", "x"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn v8_data_dir_and_files_stay_private() {
    let env = Env::archive();
    assert_private(&env.data());
    env.ok(&["export", "--output", s(&env.path("e.ndjson"))]);
    env.ok(&["chats", "--anonymize"]);
    assert_private(&env.data());
    env.ok(&["forget", "--participant", "Rita Alves", "--yes"]);
    assert_private(&env.data());
    let secret = env.data().join("secret.key");
    #[cfg(unix)]
    assert_eq!(mode(&secret), 0o600);
    assert!(Path::new(&secret).exists());
}

/// A group where Heinrich Vogelsang's name hides inside words, handles and a domain.
const VOGELSANG: &str = "02/05/2024, 10:00 - Heinrich Vogelsang: Fotos auf https://vogelsang-family.de/sommer
02/05/2024, 10:01 - Margarethe Krüger: Heinrichs Fahrrad steht noch da
02/05/2024, 10:02 - Paul Schmidt: Margarethes Garten ist schön, schreib an @heinrichvogelsang
02/05/2024, 10:03 - Heinrich Vogelsang: Heinrichs Fahrrad hole ich morgen, siehe https://vogelsang-family.de/rad
02/05/2024, 10:04 - Paul Schmidt: Margarethes Kuchen und heinrichvogelsang auf https://vogelsang-family.de/kuchen
02/05/2024, 10:05 - Margarethe Krüger: Fahrrad Garten Kuchen
";

/// Name parts of the Vogelsang group, as they might appear in any spelling.
const VOGELSANG_PARTS: &[&str] = &[
    "heinrich",
    "vogelsang",
    "margarethe",
    "kruger",
    "krüger",
    "schmidt",
];

fn leaked_parts(bytes: &[u8]) -> Vec<&'static str> {
    let text = String::from_utf8_lossy(bytes).to_lowercase();
    VOGELSANG_PARTS
        .iter()
        .copied()
        .filter(|p| text.contains(p))
        .collect()
}

#[test]
fn a7_anonymized_statistics_hold_no_word_or_domain_with_a_name() {
    let env = Env::new();
    let export = env.write("WhatsApp Chat with Familie.txt", VOGELSANG.as_bytes());
    env.ok(&["import", s(&export)]);
    // Without --anonymize the words and the domain are there: the test has teeth.
    let plain = env.json(&["stats", "--json"]);
    let words: Vec<&str> = plain["top_words"]
        .as_array()
        .expect("top_words")
        .iter()
        .filter_map(|w| w["word"].as_str())
        .collect();
    for w in ["heinrichs", "margarethes", "heinrichvogelsang"] {
        assert!(words.contains(&w), "{w} not among {words:?}");
    }
    assert_eq!(plain["top_domains"][0]["domain"], "vogelsang-family.de");
    // Every anonymized output: stats as JSON and as text, the log, the search.
    for args in [
        &["--anonymize", "stats", "--json"][..],
        &["--anonymize", "stats"],
        &["--anonymize", "stats", "--chat", "Familie", "--json"],
        &["--anonymize", "log", "--chat", "Familie"],
        &["--anonymize", "log", "--chat", "Familie", "--json"],
        &[
            "--anonymize",
            "search",
            "fahrrad OR garten OR kuchen OR fotos",
            "--json",
        ],
    ] {
        let out = env.ok(args);
        let leaks = leaked_parts(&out.stdout);
        assert!(
            leaks.is_empty(),
            "{args:?} shows {leaks:?}:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // Ordinary words stay.
    let anon = env.json(&["--anonymize", "stats", "--json"]);
    let words: Vec<&str> = anon["top_words"]
        .as_array()
        .expect("top_words")
        .iter()
        .filter_map(|w| w["word"].as_str())
        .collect();
    assert!(words.contains(&"fahrrad"), "{words:?}");
}

#[test]
fn a8_from_takes_a_pseudonym_in_anonymized_output() {
    let env = Env::archive();
    let map = pseudonyms_of(&env);
    let maya = &map["Maya Lopez"];
    let plain = env.total("from:\"Maya Lopez\"");
    assert!(plain > 0);
    let query = format!("from:\"{maya}\"");
    // Without --anonymize a pseudonym names nobody.
    assert_eq!(env.total(&query), 0);
    let anon = env.json(&["--anonymize", "search", &query, "--json", "--limit", "1000"]);
    assert_eq!(anon["total"].as_u64(), Some(plain), "{anon}");
    for hit in anon["hits"].as_array().expect("hits") {
        assert_eq!(hit["sender"].as_str(), Some(maya.as_str()), "{hit}");
    }
    // A bare first word of the pseudonym works like a first name does.
    let first = maya.split(' ').next().expect("first word").to_lowercase();
    let by_word = env.json(&["--anonymize", "search", &format!("from:{first}"), "--json"]);
    assert!(by_word["total"].as_u64() >= Some(plain), "{by_word}");
    // The statistics of that query count the same messages.
    let stats = env.json(&["--anonymize", "stats", "--query", &query, "--json"]);
    assert_eq!(stats["messages"].as_u64(), Some(plain), "{stats}");
    // An anonymized export selects by pseudonym too, and every line is that person's.
    let export = env.ok(&["--anonymize", "export", "--query", &query]).stdout;
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&export)
        .lines()
        .map(|l| serde_json::from_str(l).expect("an NDJSON line"))
        .collect();
    assert_eq!(lines.len() as u64, plain);
    assert!(lines
        .iter()
        .all(|m| m["sender"].as_str() == Some(maya.as_str())));
    assert!(
        found(&export, CANARIES).is_empty(),
        "{:?}",
        found(&export, CANARIES)
    );
    let out = env.ok(&["--anonymize", "search", &query, "--json"]).stdout;
    assert!(
        found(&out, CANARIES).is_empty(),
        "{:?}",
        found(&out, CANARIES)
    );
}
