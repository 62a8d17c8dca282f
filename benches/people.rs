//! People on a generated 1 M-message archive of 20 chats and 200 people (issue 14's
//! targets: each under 300 ms), in-process: `whatscope people` (every person with their
//! names, chats, messages and span) and one person's statistics across every chat
//! (`stats --participant`, with `per_chat` and `partners`). Twenty people are merged with a
//! second name each, so every figure goes through the person model.
//!
//! Run: `cargo bench --bench people`. `WHATSCOPE_BENCH_MESSAGES` sets another total size.
//! The archive is built once (a few minutes) and kept under `target/bench-people-N/`, so
//! later runs start at once; delete that directory to build it again.

use divan::counter::ItemsCount;
use divan::Bencher;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use whatscope::index::archive::Archive;
use whatscope::index::writer::{import, ImportOptions};
use whatscope::people::{listing, People};
use whatscope::stats::{compute, Scope};
use whatscope_synth::{self as synth, LineEnding};

const CHATS: usize = 20;
const PEOPLE: usize = 200;
/// Of the people, how many are merged with a second name (an old number).
const MERGED: usize = 20;
/// A generated chat's sender stands for another person every this many messages: people
/// come and go, so each chat sees dozens of the 200 and each person writes in several chats.
const TURNOVER: usize = 2_000;

fn main() {
    let f = fixture();
    let people = People::load(&f.archive.dir).expect("people");
    let rows = listing::list(&f.archive, &people).expect("people");
    let one = compute(&f.archive, &person_scope(f)).expect("stats");
    eprintln!(
        "archive: {} messages, {} people ({} merged) over {} segments; {:?}: {} messages in {} chats, {} partners",
        rows.iter().map(|r| r.messages).sum::<u64>(),
        rows.len(),
        people.persons().len(),
        f.archive.searcher().segment_readers().len(),
        f.person,
        one.messages,
        one.per_chat.as_ref().map_or(0, Vec::len),
        one.partners.as_ref().map_or(0, Vec::len),
    );
    divan::main();
}

fn size() -> usize {
    std::env::var("WHATSCOPE_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

struct Fixture {
    archive: Archive,
    /// The person whose statistics are measured: the merged one with most messages.
    person: String,
}

/// Person `k`'s sender name: a name of the synthetic pool with a number, or (every tenth) a
/// phone number, as exports write them.
fn person_name(k: usize) -> String {
    if k % 10 == 9 {
        format!("+44 7700 9{k:05}")
    } else {
        let first = [
            "Maya", "Tomás", "Jonas", "Zoë", "Björn", "Chloé", "Sofía", "Jürgen",
        ];
        let last = [
            "Lopez",
            "Rivera",
            "Becker",
            "Müller",
            "Ólafsson",
            "Gagnon",
            "Nair",
        ];
        format!(
            "{} {} {k}",
            first[k % first.len()],
            last[k / first.len() % last.len()]
        )
    }
}

/// Person `k`'s second name (an old number), for the merged ones.
fn old_number(k: usize) -> String {
    format!("+49 151 0{k:05}")
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = cache_dir();
        if !dir.join("complete").exists() {
            build(&dir);
        }
        let archive = whatscope::ops::open(&dir.join("archive")).expect("archive");
        let people = People::load(&archive.dir).expect("people");
        let person = listing::list(&archive, &people)
            .expect("people")
            .into_iter()
            .find(|row| row.names.len() > 1)
            .and_then(|row| row.names.first().cloned())
            .expect("a merged person");
        Fixture { archive, person }
    })
}

/// `target/bench-people-N` (the build's target dir, so `cargo clean` removes it).
fn cache_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join(format!("bench-people-{}", size()))
}

/// Generates the 20 exports with their senders spread over 200 people, imports them and
/// merges the first people with an old number; marks the directory complete last.
fn build(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("cache dir");
    let styles = synth::all_styles();
    let mut paths = Vec::new();
    for chat in 0..CHATS {
        let style = &styles[chat % styles.len()];
        let mut messages = synth::generate_messages(300 + chat as u64, size() / CHATS, style);
        let mut originals: Vec<String> = Vec::new();
        for (i, m) in messages.iter_mut().enumerate() {
            let Some(sender) = &m.sender else { continue };
            let slot = match originals.iter().position(|o| o == sender) {
                Some(p) => p,
                None => {
                    originals.push(sender.clone());
                    originals.len() - 1
                }
            };
            let k = (chat * 37 + slot * 53 + (i / TURNOVER) * 11) % PEOPLE;
            // The merged people wrote their first chats under an old number.
            m.sender = Some(if k < MERGED && chat < CHATS / 2 {
                old_number(k)
            } else {
                person_name(k)
            });
        }
        let path = dir.join(format!("WhatsApp Chat with Bench {chat}.txt"));
        std::fs::write(
            &path,
            synth::render_export(style, &messages, LineEnding::Lf),
        )
        .expect("write export");
        paths.push(path);
    }
    let archive = whatscope::ops::open_or_create(&dir.join("archive")).expect("archive");
    import(&archive, &paths, &ImportOptions::default(), &|_| false, &()).expect("import");
    let mut people = People::default();
    for k in 0..MERGED {
        people.merge(&[person_name(k), old_number(k)], None);
    }
    people.save(&archive.dir).expect("save people");
    for path in paths {
        let _ = std::fs::remove_file(path);
    }
    std::fs::write(dir.join("complete"), b"").expect("mark complete");
}

fn person_scope(f: &Fixture) -> Scope {
    Scope {
        participant: Some(f.person.clone()),
        ..Scope::default()
    }
}

/// `whatscope people`: every person, merges applied (people.json read as the command does).
#[divan::bench(sample_count = 10)]
fn people_list(bencher: Bencher) {
    let f = fixture();
    bencher.counter(ItemsCount::new(size())).bench(|| {
        let people = People::load(&f.archive.dir).expect("people");
        listing::list(&f.archive, &people).expect("people")
    });
}

/// `stats --participant`: the most active merged person across every chat.
#[divan::bench(sample_count = 10)]
fn person_across_chats(bencher: Bencher) {
    let f = fixture();
    let scope = person_scope(f);
    bencher
        .counter(ItemsCount::new(size()))
        .bench(|| compute(&f.archive, &scope).expect("stats"));
}
