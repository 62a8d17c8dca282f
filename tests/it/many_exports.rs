//! A folder of many exports imported at once (docs/performance.md, issue 17): every file
//! counted in the report, every message in the archive, and all of it saved by one commit, so
//! an import stopped before that commit leaves nothing of any file.

use crate::support::bin::{describe, Env};
use serde_json::Value;
use std::fs;
use whatscope_synth::{all_styles, generate_export, LineEnding};

const FILES: usize = 200;
const MESSAGES: usize = 12;

/// `FILES` small exports in every header style, each its own chat.
fn write_exports(env: &Env) -> std::path::PathBuf {
    let folder = env.path("exports");
    fs::create_dir_all(&folder).expect("mkdir");
    let styles = all_styles();
    for i in 0..FILES {
        let style = &styles[i % styles.len()];
        let text = generate_export(i as u64 + 1, MESSAGES, style, LineEnding::Lf);
        fs::write(
            folder.join(format!("WhatsApp Chat with Group {i:03}.txt")),
            text,
        )
        .expect("write export");
    }
    folder
}

fn import_json(env: &Env, folder: &std::path::Path) -> Value {
    env.json(&["import", "--json", folder.to_str().expect("utf-8 path")])
}

#[test]
fn a_folder_of_200_exports_imports_every_file_and_message_in_one_commit() {
    let env = Env::new();
    let folder = write_exports(&env);

    let report = import_json(&env, &folder);
    let files = report["files"].as_array().expect("files");
    assert_eq!(files.len(), FILES, "one report entry per export");
    let mut chats: Vec<&str> = files.iter().filter_map(|f| f["chat"].as_str()).collect();
    chats.sort_unstable();
    chats.dedup();
    assert_eq!(chats.len(), FILES, "one chat per export: {chats:?}");
    let mut total = 0;
    for f in files {
        let messages = f["messages"].as_u64().expect("messages");
        assert!(messages >= MESSAGES as u64, "{f}");
        assert_eq!(f["added"].as_u64(), Some(messages), "{f}");
        assert_eq!(f["duplicates"].as_u64(), Some(0), "{f}");
        total += messages;
    }
    assert_eq!(report["added"].as_u64(), Some(total));
    assert_eq!(
        env.ndjson(&["export"]).len() as u64,
        total,
        "every message is in the archive"
    );

    // Idempotent: the same folder again adds nothing.
    let again = import_json(&env, &folder);
    assert_eq!(again["added"].as_u64(), Some(0));
    assert_eq!(again["duplicates"].as_u64(), Some(total));

    // One commit for all files: stopped just before it, nothing of any file is kept.
    let crashed = Env::new();
    let out = crashed
        .cmd()
        .env("WHATSCOPE_CRASH_AT", "before-commit")
        .args(["import", folder.to_str().expect("utf-8 path")])
        .output()
        .expect("run");
    assert!(!out.status.success(), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("test crash at before-commit"),
        "{}",
        describe(&out)
    );
    let left = crashed.run(&["export"]);
    assert!(
        left.stdout.is_empty(),
        "an import stopped before its commit kept messages: {}",
        describe(&left)
    );
}
