//! Privacy cases (V, R) of docs/reliability.md not covered by `tests/privacy*.rs`: keyed (not
//! plain-hash) pseudonyms, small-group statistics, data-dir modes from any start, canaries
//! kept out of stderr and panics, no derived copies left after forget, opt-out everywhere,
//! and the access summary's versioned layout.

use crate::support::bin::*;
use crate::support::files::*;
use crate::support::fixtures::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn v1_pseudonyms_are_keyed_not_plain_hashes() {
    let env = Env::archive();
    let mut outputs = Vec::new();
    for args in [
        &["chats", "--json", "--anonymize"][..],
        &["export", "--anonymize"],
        &["stats", "--json", "--anonymize"],
        &[
            "search",
            "kind:text",
            "--json",
            "--anonymize",
            "--limit",
            "1000",
        ],
    ] {
        outputs.extend(env.ok(args).stdout);
    }
    let text = String::from_utf8_lossy(&outputs).to_lowercase();
    // Someone who guesses a name or number and hashes it must not find the hash, in any of
    // the spellings a careless implementation would hash, even as a short prefix.
    for canary in [
        "Maya Lopez",
        "Zelda Quintero",
        "Olwen Harcourt",
        "+44 7700 900123",
    ] {
        for spelling in [
            canary.to_string(),
            canary.to_lowercase(),
            canary.replace(' ', ""),
        ] {
            let digest = hex(&Sha256::digest(spelling.as_bytes()));
            assert!(
                !text.contains(&digest[..8]),
                "a plain SHA-256 of {spelling:?} appears in anonymized output"
            );
        }
    }
    let secret = env.data().join("secret.key");
    #[cfg(unix)]
    assert_eq!(mode(&secret), 0o600);
    let key = fs::read(&secret).expect("secret");
    assert!(!contains(&outputs, &key), "the key is never exported");
    assert!(!text.contains(&hex(&key)), "not even in hex");
}

fn stats(env: &Env, extra: &[&str]) -> Value {
    let mut args = vec!["stats", "--json"];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn participant_sum(stats: &Value) -> u64 {
    stats["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| p["messages"].as_u64().expect("messages"))
        .sum()
}

#[test]
fn v7_small_groups_hide_per_person_figures() {
    let env = Env::archive();
    // A 1:1 chat: plain statistics name both people; the anonymized view hides who wrote
    // what, because "Participant 2" in a chat with one other person hides nobody.
    let plain = stats(&env, &["--chat", "Zelda Quintero"]);
    assert_eq!(plain["participants"].as_array().map(Vec::len), Some(2));
    let anon = stats(&env, &["--chat", "Zelda Quintero", "--anonymize"]);
    assert_eq!(anon["participants"], Value::Array(vec![]), "{anon}");
    assert_eq!(anon["interactions"], Value::Array(vec![]), "{anon}");
    assert_eq!(anon["messages"], plain["messages"], "totals stay");
    let notes = anon["notes"].to_string();
    assert!(notes.contains("fewer than 3 people"), "{anon}");
    let text = String::from_utf8_lossy(
        &env.ok(&["stats", "--chat", "Zelda Quintero", "--anonymize"])
            .stderr,
    )
    .into_owned();
    assert!(
        text.contains("hidden"),
        "the table says why it is empty: {text}"
    );

    // A group: per-person figures shown, and the total is the sum over the people shown.
    let group = stats(&env, &["--chat", "Hiking Crew", "--anonymize"]);
    let people = group["participants"].as_array().map_or(0, Vec::len);
    assert!(people >= 3, "{group}");
    assert_eq!(group["messages"].as_u64(), Some(participant_sum(&group)));

    // One person opts out: still no difference between the total and the visible people,
    // so the total cannot be used to work out what the erased person wrote.
    env.ok(&["forget", "--participant", "Jonas Becker", "--yes"]);
    let after = stats(&env, &["--chat", "Hiking Crew", "--anonymize"]);
    assert_eq!(after["messages"].as_u64(), Some(participant_sum(&after)));
    assert_eq!(
        after["participants"].as_array().map(Vec::len),
        Some(people - 1)
    );
}

#[cfg(unix)]
fn umask(mask: u32) -> u32 {
    // SAFETY: umask only changes this process's file-creation mask.
    unsafe { libc::umask(mask as libc::mode_t) as u32 }
}

#[cfg(unix)]
#[test]
fn v8_data_dir_is_private_from_any_start() {
    let env = Env::new();
    let input = env.write(ZELDA_TXT, ZELDA.as_bytes());
    let run = |dir: &Path| {
        let out = std::process::Command::new(BIN)
            .env_remove("WHATSCOPE_DATA_DIR")
            .arg("--data-dir")
            .arg(dir)
            .args(["import", s(&input)])
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", describe(&out));
    };
    // The test process's umask is what a user's shell would pass on.
    let old = umask(0o022);
    let fresh = env.path("fresh");
    run(&fresh);
    assert_private(&fresh);

    // A directory the user made beforehand, world-readable.
    let made = env.path("made");
    fs::create_dir(&made).expect("mkdir");
    fs::set_permissions(&made, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    run(&made);
    assert_private(&made);

    // An archive whose directory was opened up later is closed again by the next run.
    fs::set_permissions(&fresh, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    run(&fresh);
    assert_private(&fresh);

    // A data dir that is a symlink (moved to another disk) is followed, and what it points
    // at is made private.
    let real = env.path("real");
    fs::create_dir(&real).expect("mkdir");
    fs::set_permissions(&real, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let link = env.path("link");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    run(&link);
    assert_private(&real);
    umask(old);
}

#[test]
fn v10_canaries_stay_out_of_stderr_and_panic_output() {
    let env = Env::new();
    // Canaries in every kind of line the importer complains about: junk before the first
    // message, an impossible date, invalid UTF-8, a NUL.
    let mut bytes = b"canaryjunk before anything\n\
        30/02/2021, 10:00 - Zelda Quintero: canarybaddate\n\
        01/03/2021, 10:00 - Zelda Quintero: canaryutf \xff here\n\
        01/03/2021, 10:01 - Olwen Harcourt: canarynul \x00 here\n"
        .to_vec();
    bytes.extend_from_slice(b"31/12/2022, 23:");
    // A neutral file name: the path is the user's own, and warnings name it.
    let input = env.write("chat.txt", &bytes);
    let mut stderr = Vec::new();
    for args in [
        &["import", s(&input)][..],
        &["parse", s(&input)],
        &["import", s(&input), "--max-line-kib", "0"],
    ] {
        stderr.extend(env.run(args).stderr);
    }
    assert!(
        String::from_utf8_lossy(&stderr).contains("warning:"),
        "the file does provoke warnings"
    );
    // A panic, as a bug would cause, carrying chat text in its message.
    let out = env
        .cmd()
        .env("WHATSCOPE_TEST_PANIC", "canarypanic Zelda Quintero")
        .env("RUST_BACKTRACE", "1")
        .args(["chats"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(101), "{}", describe(&out));
    let panic_text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        panic_text.starts_with("error: internal error at "),
        "{panic_text}"
    );
    assert!(panic_text.contains("hint: "), "{panic_text}");
    assert!(!panic_text.contains("stack backtrace"), "{panic_text}");
    stderr.extend(out.stderr);
    let leaks = found(
        &stderr,
        &["canary", "Zelda", "Olwen", "Quintero", "Harcourt"],
    );
    assert!(
        leaks.is_empty(),
        "{leaks:?} in stderr:\n{}",
        String::from_utf8_lossy(&stderr)
    );
}

/// Everything whatscope may keep in its data dir. A new cache, history or media folder
/// must be added here, and to what `forget` erases, before this test passes again.
fn expected_file(rel: &str) -> bool {
    let top = [
        "meta.json",
        "secret.key",
        "opted-out.txt",
        ".create.lock",
        "keys.conf",
        // Where each chat's attachments are (docs/media.md): chat names and export paths,
        // nothing of a person's messages.
        "sources.json",
    ];
    top.contains(&rel) || rel.starts_with("index/")
}

#[test]
fn v13_forget_leaves_no_derived_copies() {
    let env = Env::archive();
    // Open the archive the ways that could leave something behind: searches, stats, the
    // anonymized view, exports to files outside the data dir.
    env.ok(&["search", "from:Jonas", "--json"]);
    env.ok(&["stats", "--participant", "Jonas Becker"]);
    env.ok(&["--anonymize", "stats"]);
    env.ok(&[
        "export",
        "--participant",
        "Jonas Becker",
        "--output",
        s(&env.path("j.ndjson")),
    ]);
    env.ok(&["forget", "--participant", "Jonas Becker", "--yes"]);
    let data = env.data();
    for f in files_under(&data) {
        let rel = f
            .strip_prefix(&data)
            .expect("under data")
            .to_string_lossy()
            .into_owned();
        assert!(
            expected_file(&rel),
            "unexpected file in the data dir: {rel}"
        );
    }
    // Aggregates are computed from the index on demand, so they forget with it.
    let stats = stats(&env, &[]);
    assert!(!stats.to_string().contains("Jonas"), "{stats}");
    let chats = env.ok(&["chats", "--json"]).stdout;
    assert!(found(&chats, &["Jonas", "Becker"]).is_empty());
}

#[test]
fn v16_opted_out_person_absent_everywhere_until_undone() {
    let env = Env::new();
    let hiking = env.write(HIKING_TXT, &fixture("01_android_en_gb_24h_group.txt"));
    env.ok(&["import", s(&hiking)]);
    env.ok(&["forget", "--participant", "Jonas Becker", "--yes"]);
    let absent = |env: &Env, when: &str| {
        for args in [
            &["search", "from:Jonas", "--json"][..],
            &["search", "jonas OR becker OR wrong", "--json"],
            &["stats", "--json"],
            &["export"],
            &["export", "--format", "csv"],
            &["log", "--chat", "Hiking Crew", "--json"],
            &["--anonymize", "log", "--chat", "Hiking Crew"],
        ] {
            let out = env.ok(args).stdout;
            let text = String::from_utf8_lossy(&out);
            assert!(
                !text.contains("Becker") && !text.contains("Sorry, wrong chat"),
                "{when}: {args:?} shows the opted-out person:\n{text}"
            );
        }
        // Completion offers names from the archive's sender dictionary.
        let archive = whatscope::ops::open(&env.data()).expect("open");
        let names =
            whatscope::index::query::Names::from_searcher(&archive.searcher()).expect("names");
        let senders: Vec<String> = names.senders().collect();
        assert!(
            !senders.iter().any(|n| n.contains("Becker")),
            "{when}: {senders:?}"
        );
    };
    absent(&env, "after forget");
    env.ok(&["import", s(&hiking)]);
    absent(&env, "after re-import");
    // The access summary still answers, in its versioned layout.
    let access = env.ndjson(&["export", "--participant", "Jonas Becker"]);
    let summary = &access.last().expect("summary")["summary"];
    assert_eq!(summary["format"], "whatscope-access/1", "{summary}");
    assert_eq!(summary["opted_out"], true);
    // Opting back in: the next import brings them back.
    env.ok(&["forget", "--undo", "Jonas Becker"]);
    env.ok(&["import", s(&hiking)]);
    assert_eq!(env.total("from:Jonas"), 4);
}
