//! Model-based property test of forgetting (docs/reliability.md, F8, V12, V14, V16): random
//! sequences of import / forget / undo / reopen on small chats, checked after every step
//! against a model of who is in the archive. An erased or opted-out person never shows in
//! search, in the chat list, in the archive's names, or anywhere on disk.

use crate::support::alone;
use crate::support::files::files_under;
use crate::support::props::config;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use std::collections::BTreeSet;
use std::path::PathBuf;
use whatscope::index::archive::Archive;
use whatscope::index::search::{search, SortOrder};
use whatscope::index::writer::{self, ImportOptions};

/// People, the canary word only they write, and how the archive spells them.
const PEOPLE: &[(&str, &str)] = &[
    ("Ana Souza", "alphacanary"),
    ("Bruno Lima", "bravocanary"),
    ("Chen Wei", "charliecanary"),
    ("\u{202A}+44 7700 900111\u{202C}", "deltacanary"),
];

/// How `forget` is asked for each person: other spellings of the same name.
const SPELLINGS: &[&str] = &["ana souza", "BRUNO  LIMA", "Chen Wei", "+447700900111"];

const CHATS: usize = 3;

/// Messages of chat `c`: (person, line). Every chat has a different mix; a person may be
/// absent from a chat.
fn chat_messages(c: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for k in 0..8 {
        let p = (c + k * (c + 1)) % PEOPLE.len();
        if c == 2 && p == 1 {
            continue; // Bruno is not in chat 2
        }
        out.push((p, format!("{} says hello {k} in chat {c}", PEOPLE[p].1)));
    }
    out
}

fn export_text(c: usize) -> String {
    let mut text = format!(
        "02/0{}/2024, 09:00 - Messages and calls are end-to-end encrypted.\n",
        c + 1
    );
    for (k, (p, body)) in chat_messages(c).into_iter().enumerate() {
        text.push_str(&format!(
            "02/0{}/2024, 10:{:02} - {}: {body}\n",
            c + 1,
            k,
            PEOPLE[p].0
        ));
    }
    text
}

#[derive(Debug, Clone)]
enum Op {
    Import(usize),
    Forget(usize),
    Undo(usize),
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..CHATS).prop_map(Op::Import),
        3 => (0..PEOPLE.len()).prop_map(Op::Forget),
        2 => (0..PEOPLE.len()).prop_map(Op::Undo),
        1 => Just(Op::Reopen),
    ]
}

/// What the archive should hold.
#[derive(Debug, Default)]
struct Model {
    /// (chat, index in chat) of every person message in the archive.
    present: BTreeSet<(usize, usize)>,
    opted_out: [bool; 4],
    imported: BTreeSet<usize>,
}

impl Model {
    fn apply(&mut self, op: &Op) {
        match op {
            Op::Import(c) => {
                self.imported.insert(*c);
                for (k, (p, _)) in chat_messages(*c).into_iter().enumerate() {
                    if !self.opted_out[p] {
                        self.present.insert((*c, k));
                    }
                }
            }
            Op::Forget(p) => {
                self.present.retain(|(c, k)| chat_messages(*c)[*k].0 != *p);
                self.opted_out[*p] = true;
            }
            Op::Undo(p) => self.opted_out[*p] = false,
            Op::Reopen => {}
        }
    }

    fn count(&self, p: usize) -> usize {
        self.present
            .iter()
            .filter(|(c, k)| chat_messages(*c)[*k].0 == p)
            .count()
    }

    fn participants(&self, c: usize) -> usize {
        self.present
            .iter()
            .filter(|(cc, _)| *cc == c)
            .map(|(cc, k)| chat_messages(*cc)[*k].0)
            .collect::<BTreeSet<_>>()
            .len()
    }
}

fn check(archive: &Archive, model: &Model, step: &str) -> Result<(), TestCaseError> {
    for (p, (_, canary)) in PEOPLE.iter().enumerate() {
        let total = search(archive, canary, 1000, SortOrder::Relevance)
            .map_err(|e| TestCaseError::fail(e.to_string()))?
            .total;
        prop_assert_eq!(
            total,
            model.count(p),
            "{} of person {} after {}",
            canary,
            p,
            step
        );
    }
    let chats =
        whatscope::index::read::chats(archive).map_err(|e| TestCaseError::fail(e.to_string()))?;
    for chat in &chats {
        let c: usize = chat
            .chat
            .trim_start_matches("Chat ")
            .parse()
            .map_err(|_| TestCaseError::fail(format!("odd chat {}", chat.chat)))?;
        prop_assert_eq!(
            chat.participants as usize,
            model.participants(c),
            "chat {} after {}",
            c,
            step
        );
        prop_assert_eq!(chat.system, 1);
    }
    prop_assert_eq!(chats.len(), model.imported.len());
    // Erased and opted out: not even a name in the archive's dictionaries or files.
    let names = whatscope::index::query::Names::from_searcher(&archive.searcher())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let senders: Vec<String> = names.senders().collect();
    let files: Vec<Vec<u8>> = files_under(&archive.dir)
        .iter()
        .map(|f| std::fs::read(f).unwrap_or_default())
        .collect();
    for (p, (name, canary)) in PEOPLE.iter().enumerate() {
        if !model.opted_out[p] {
            continue;
        }
        let plain = name.trim_matches(['\u{202A}', '\u{202C}']);
        prop_assert!(
            !senders.iter().any(|s| s.contains(plain)),
            "{} still a sender after {}: {:?}",
            plain,
            step,
            senders
        );
        for bytes in &files {
            prop_assert!(
                !bytes.windows(canary.len()).any(|w| w == canary.as_bytes()),
                "{} on disk after {}",
                canary,
                step
            );
        }
    }
    Ok(())
}

/// Runs alone (see `support::alone`): its in-process writers would otherwise meet copies of
/// their lock held by children other tests spawn.
#[test]
fn f8_forgotten_people_never_come_back() {
    if !alone::this_process(module_path!(), "f8_forgotten_people_never_come_back") {
        return;
    }
    let mut runner = TestRunner::new(config(24));
    if let Err(e) = runner.run(&prop::collection::vec(op(), 1..12), |ops| play(&ops)) {
        panic!("{e}");
    }
}

/// Plays `ops` on a new archive and checks it against the model after each.
fn play(ops: &[Op]) -> Result<(), TestCaseError> {
    let tmp = tempfile::tempdir().expect("temp dir");
    let exports: Vec<PathBuf> = (0..CHATS)
        .map(|c| {
            let p = tmp.path().join(format!("WhatsApp Chat with Chat {c}.txt"));
            std::fs::write(&p, export_text(c)).expect("write export");
            p
        })
        .collect();
    let dir = tmp.path().join("archive");
    let mut archive = whatscope::ops::open_or_create(&dir).expect("archive");
    let mut model = Model::default();
    for (n, op) in ops.iter().enumerate() {
        let step = format!("step {n} {op:?} of {ops:?}");
        match op {
            Op::Import(c) => {
                let skip = whatscope::ops::import::opted_out(&archive)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let report = writer::import(
                    &archive,
                    std::slice::from_ref(&exports[*c]),
                    &ImportOptions::default(),
                    &*skip,
                    &(),
                )
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let skipped: usize = chat_messages(*c)
                    .iter()
                    .filter(|(p, _)| model.opted_out[*p])
                    .count();
                prop_assert_eq!(report.files[0].opted_out as usize, skipped, "{}", step);
            }
            Op::Forget(p) => {
                let done = whatscope::ops::forget::forget(&archive, SPELLINGS[*p])
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(done.erased as usize, model.count(*p), "{}", step);
            }
            Op::Undo(p) => {
                let lifted = whatscope::ops::forget::undo(&archive, SPELLINGS[*p])
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(lifted, model.opted_out[*p], "{}", step);
            }
            Op::Reopen => {
                drop(archive);
                archive =
                    whatscope::ops::open(&dir).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
        }
        model.apply(op);
        check(&archive, &model, &step)?;
    }
    Ok(())
}
