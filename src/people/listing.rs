//! Every person in the archive with their names, chats, message count and time span: one
//! pass over the sender, chat and time columns (no stored document is read).

use super::Error;
use super::Interner;
use super::People;
use crate::index::archive::Archive;
use crate::index::columns::{dense, interned, NONE};
use crate::index::schema::{field, secs_to_ts};
use crate::timestamp::format_ts;
use serde::Serialize;
use std::collections::BTreeSet;

/// One person as `whatscope people` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRow {
    pub person: String,
    pub names: Vec<String>,
    pub chats: Vec<String>,
    pub messages: u64,
    pub first: String,
    pub last: String,
}

#[derive(Default)]
struct Acc {
    names: BTreeSet<String>,
    chats: BTreeSet<u32>,
    messages: u64,
    first: i64,
    last: i64,
}

/// Every person with a message, most messages first (then by name).
pub fn list(archive: &Archive, people: &People) -> Result<Vec<PersonRow>, Error> {
    let searcher = archive.searcher();
    let mut persons = Interner::of_people(people.clone());
    let mut chats = Interner::default();
    let mut acc: Vec<Acc> = Vec::new();
    for reader in searcher.segment_readers() {
        let ff = reader.fast_fields();
        let max_doc = reader.max_doc();
        let sender_col = ff
            .str(field::SENDER_RAW)
            .map_err(crate::index::Error::read)?;
        let names = match &sender_col {
            Some(col) => crate::index::read::ordinal_names(col)?,
            None => continue,
        };
        let sender = interned(sender_col.as_ref(), max_doc, &mut persons)?;
        let chat = interned(
            ff.str(field::CHAT_RAW)
                .map_err(crate::index::Error::read)?
                .as_ref(),
            max_doc,
            &mut chats,
        )?;
        let ts = dense(
            &ff.i64(field::TS).map_err(crate::index::Error::read)?,
            max_doc,
            0,
        );
        // Which stored spelling each person id was seen under, through the ordinals.
        let ords = sender_col
            .as_ref()
            .map(|c| dense(c.ords(), max_doc, u64::MAX))
            .unwrap_or_default();
        let alive = reader.alive_bitset();
        for doc in 0..max_doc {
            let p = sender[doc as usize];
            if p == NONE || alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            if acc.len() <= p as usize {
                acc.resize_with(p as usize + 1, Acc::default);
            }
            let a = &mut acc[p as usize];
            let t = ts[doc as usize];
            if a.messages == 0 || t < a.first {
                a.first = t;
            }
            if a.messages == 0 || t > a.last {
                a.last = t;
            }
            a.messages += 1;
            a.chats.insert(chat[doc as usize]);
            if let Some(name) = ords.get(doc as usize).and_then(|o| names.get(*o as usize)) {
                if !a.names.contains(name) {
                    a.names.insert(name.clone());
                }
            }
        }
    }
    let mut rows: Vec<PersonRow> = acc
        .into_iter()
        .enumerate()
        .filter(|(_, a)| a.messages > 0)
        .map(|(id, a)| PersonRow {
            person: persons.names[id].clone(),
            names: a.names.into_iter().collect(),
            chats: sorted_names(&a.chats, &chats),
            messages: a.messages,
            first: format_ts(&secs_to_ts(a.first)),
            last: format_ts(&secs_to_ts(a.last)),
        })
        .collect();
    rows.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.person.cmp(&b.person)));
    Ok(rows)
}

/// A person's chats by name, so the listing is the same on every run whatever order the
/// index's segments hold the messages in.
fn sorted_names(ids: &BTreeSet<u32>, chats: &Interner) -> Vec<String> {
    let mut names: Vec<String> = ids
        .iter()
        .filter_map(|c| chats.names.get(*c as usize).cloned())
        .collect();
    names.sort();
    names
}
