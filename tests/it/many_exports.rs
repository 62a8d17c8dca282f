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

/// On a terminal, a folder import shows one bar for the whole import: exports done of all,
/// messages read, their rate and the time left, on one line; it is gone when the report comes.
#[test]
fn a_folder_import_shows_one_bar_with_exports_messages_rate_and_time_left() {
    if !crate::support::tmux::have_tmux() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let inputs = tempfile::tempdir().expect("temp dir");
    let styles = all_styles();
    // Enough to take a few seconds, so the bar is on screen long enough to be read.
    for i in 0..30 {
        let text = generate_export(
            i + 7,
            20_000,
            &styles[i as usize % styles.len()],
            LineEnding::Lf,
        );
        fs::write(
            inputs
                .path()
                .join(format!("WhatsApp Chat with Club {i:02}.txt")),
            text,
        )
        .expect("write export");
    }
    let script = format!(
        "\"$WS\" --data-dir \"$HOME/data\" import '{}'; echo \"DONE $?\"; sleep 60",
        inputs.path().display()
    );
    let tmux = crate::support::tmux::Tmux::start(&script)
        .with_patience(std::time::Duration::from_secs(120));
    let during = tmux.wait("the progress bar", |s| {
        s.contains(" exports · ") || s.contains("DONE")
    });
    let bar = during
        .lines()
        .find(|l| l.contains(" exports · "))
        .unwrap_or_else(|| panic!("the import ended before its bar was seen:\n{during}"));
    assert!(bar.contains("/30 exports · "), "{bar}");
    assert!(bar.contains(" messages · "), "{bar}");
    assert!(
        bar.contains("/s · ETA "),
        "one line, with the time left: {bar}"
    );
    let done = tmux.wait_for("DONE");
    assert!(done.contains("DONE 0"), "{done}");
    assert!(
        done.contains("imported 30 files: 600000 messages added"),
        "{done}"
    );
    assert!(!done.contains(" exports · "), "the bar is cleared: {done}");
}
