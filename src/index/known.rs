//! The message ids an import must not add again: those already in the archive and those an
//! earlier file of the same import added, kept chat by chat.
//!
//! A message's id hashes its chat's name with its content (`model::message_id`), so a message
//! can only repeat one of its own chat. Each file's messages are looked up among its chat's
//! ids alone: a set of tens of thousands that stays in the cache, where one set of every id
//! in a 10 M-message archive (some 150 MB) cost a cache miss per message, about 3 % of
//! importing a 10 M-message folder (docs/performance.md, "Third day").

use crate::model::PreHashed;
use std::collections::{HashMap, HashSet};

/// A set of message ids (already well-mixed hashes: not hashed again).
pub type IdSet = HashSet<u64, PreHashed>;

/// Known ids by chat, under the chat's name as the archive stores it (`fold::text`: one name
/// written two ways is one chat, and its ids, which hash the name as the export wrote it,
/// are all under it).
#[derive(Debug, Default)]
pub struct KnownIds {
    by_chat: HashMap<String, IdSet>,
    /// Ids whose chat could not be read (a segment without the chat column): every chat's
    /// lookups ask here too.
    anywhere: IdSet,
}

/// The ids one chat's messages are looked up among.
#[derive(Clone, Copy)]
pub struct ChatIds<'k> {
    own: Option<&'k IdSet>,
    anywhere: &'k IdSet,
}

impl ChatIds<'_> {
    pub fn contains(&self, id: u64) -> bool {
        self.own.is_some_and(|ids| ids.contains(&id))
            || (!self.anywhere.is_empty() && self.anywhere.contains(&id))
    }
}

impl KnownIds {
    /// The ids of the chat stored as `chat`.
    pub fn of_chat(&self, chat: &str) -> ChatIds<'_> {
        ChatIds {
            own: self.by_chat.get(chat),
            anywhere: &self.anywhere,
        }
    }

    /// Adds ids of the chat stored as `chat`.
    pub fn add(&mut self, chat: &str, ids: impl IntoIterator<Item = u64>) {
        let set = match self.by_chat.get_mut(chat) {
            Some(set) => set,
            None => self.by_chat.entry(chat.to_string()).or_default(),
        };
        set.extend(ids);
    }

    /// Adds ids whose chat is not known.
    pub fn add_anywhere(&mut self, ids: impl IntoIterator<Item = u64>) {
        self.anywhere.extend(ids);
    }

    /// How many ids are known, in all.
    pub fn len(&self) -> usize {
        self.by_chat.values().map(HashSet::len).sum::<usize>() + self.anywhere.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_known_in_its_own_chat_or_anywhere() {
        let mut known = KnownIds::default();
        known.add("Family", [1, 2]);
        known.add("Work", [3]);
        known.add("Family", [4]);
        assert!(known.of_chat("Family").contains(1));
        assert!(known.of_chat("Family").contains(4));
        assert!(!known.of_chat("Family").contains(3));
        assert!(!known.of_chat("Trip").contains(1));
        assert_eq!(known.len(), 4);
        known.add_anywhere([9]);
        assert!(known.of_chat("Trip").contains(9));
        assert!(known.of_chat("Family").contains(9));
        assert_eq!(known.len(), 5);
    }
}
