//! Candidate merges, each with its reason; never applied without the user
//! (`whatscope people suggest`, see `docs/people.md`).

use super::listing::PersonRow;
use super::Error;
use crate::index::archive::Archive;
use crate::index::collect::by_time;
use crate::index::query::{parse_query, Names};
use crate::index::read::Loader;
use crate::privacy::pseudonym::normalise_name;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tantivy::collector::Count;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub names: Vec<String>,
    pub reason: String,
}

/// A name with case, accents, invisible marks, emoji, punctuation and spaces left out: two
/// people with the same loose form are probably one ("Ana 🌸" and "ana").
fn loose(name: &str) -> String {
    normalise_name(name)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '+')
        .collect()
}

fn is_number(name: &str) -> bool {
    let key = normalise_name(name);
    !key.is_empty() && key.chars().all(|c| c.is_ascii_digit() || c == '+')
}

/// Suggestions for the people listed in `rows` (one row per person, merges applied).
pub fn suggest(archive: &Archive, rows: &[PersonRow]) -> Result<Vec<Suggestion>, Error> {
    let mut out = Vec::new();
    // 1. The same name up to case, accents, marks, emoji and spaces.
    let mut by_loose: BTreeMap<String, Vec<&PersonRow>> = BTreeMap::new();
    for r in rows {
        let key = loose(&r.person);
        if !key.is_empty() {
            by_loose.entry(key).or_default().push(r);
        }
    }
    for same in by_loose.values().filter(|v| v.len() > 1) {
        out.push(Suggestion {
            names: same.iter().map(|r| r.person.clone()).collect(),
            reason: "the same name up to case, accents, marks, emoji and spaces".to_string(),
        });
    }
    // 2. A system line recording a number change between two people of the archive.
    for (old, new) in number_changes(archive)? {
        let find = |n: &str| {
            rows.iter()
                .find(|r| normalise_name(&r.person) == normalise_name(n))
        };
        if let (Some(a), Some(b)) = (find(&old), find(&new)) {
            if a.person != b.person {
                out.push(Suggestion {
                    names: vec![a.person.clone(), b.person.clone()],
                    reason: format!("a system line says {old} changed to {new}"),
                });
            }
        }
    }
    // 3. A number and a name who write with the same people but never in the same chat.
    let mut members: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in rows {
        for c in &r.chats {
            members
                .entry(c.as_str())
                .or_default()
                .insert(r.person.as_str());
        }
    }
    let partners = |r: &PersonRow| -> BTreeSet<&str> {
        r.chats
            .iter()
            .flat_map(|c| members.get(c.as_str()).into_iter().flatten().copied())
            .filter(|p| *p != r.person)
            .collect()
    };
    for number in rows.iter().filter(|r| is_number(&r.person)) {
        let theirs = partners(number);
        for name in rows.iter().filter(|r| !is_number(&r.person)) {
            if number.chats.iter().any(|c| name.chats.contains(c)) {
                continue;
            }
            let mine = partners(name);
            let shared = theirs.intersection(&mine).count();
            let all = theirs.union(&mine).count();
            if shared >= 1 && shared * 2 >= all {
                out.push(Suggestion {
                    names: vec![number.person.clone(), name.person.clone()],
                    reason: format!(
                        "a number and a name who write with the same {shared} people but never in the same chat"
                    ),
                });
            }
        }
    }
    Ok(out)
}

/// `(old, new)` of every system line `OLD changed to NEW` (WhatsApp's number change notice).
fn number_changes(archive: &Archive) -> Result<Vec<(String, String)>, Error> {
    let searcher = archive.searcher();
    let names = Names::from_searcher(&searcher).map_err(crate::index::Error::read)?;
    let parsed = parse_query("kind:system \"changed to\"", &archive.fields, &names);
    let total = searcher
        .search(&*parsed.query, &Count)
        .map_err(crate::index::Error::read)?;
    let hits = searcher
        .search(&*parsed.query, &by_time(total.max(1), 0, true))
        .map_err(crate::index::Error::read)?;
    let mut out = Vec::new();
    let mut loader = Loader::new(archive, &searcher);
    for (_, address) in hits {
        let m = loader.load(address)?;
        if let Some((old, new)) = m.message.text.split_once(" changed to ") {
            let (old, new) = (old.trim(), new.trim().trim_end_matches('.'));
            if is_number(old) && !old.is_empty() && !new.is_empty() {
                out.push((old.to_string(), new.to_string()));
            }
        }
    }
    Ok(out)
}
