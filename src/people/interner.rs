//! Names interned across the index's segments: one archive-wide id per chat, per sender,
//! or per person when the user merged several names into one (docs/people.md).

use super::People;
use crate::index::columns::Intern;
use std::collections::HashMap;

/// Names interned across segments: one id per distinct string, or per distinct key when the
/// interner is [`keyed`](Interner::keyed).
#[derive(Debug, Default)]
pub struct Interner {
    ids: HashMap<String, u32>,
    pub names: Vec<String>,
    /// What makes two names one entry; `None`: only the same string.
    key: Option<fn(&str) -> String>,
    /// The people merged by the user: their names are one entry, shown by its display name.
    people: Option<People>,
}

impl Interner {
    /// An interner where names with the same `key` are one entry, shown under the smallest
    /// of their spellings (the same whatever the order of the segments).
    pub fn keyed(key: fn(&str) -> String) -> Interner {
        Interner {
            key: Some(key),
            ..Interner::default()
        }
    }

    /// An interner of people: every name of one person is one entry, shown by the person's
    /// display name; the other names are keyed as by [`Interner::keyed`].
    pub fn of_people(people: People) -> Interner {
        Interner {
            people: Some(people),
            ..Interner::default()
        }
    }

    fn key_of(&self, name: &str) -> String {
        match (&self.people, self.key) {
            (Some(people), _) => people.key(name),
            (None, Some(key)) => key(name),
            (None, None) => name.to_string(),
        }
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(&self.key_of(name)).copied()
    }
}

impl Intern for Interner {
    fn intern(&mut self, name: &str) -> u32 {
        let key = self.key_of(name);
        let merged = self.people.as_ref().and_then(|p| p.person_of(name));
        if let Some(&id) = self.ids.get(&key) {
            if let (None, Some(shown)) = (merged, self.names.get_mut(id as usize)) {
                if name < shown.as_str() {
                    *shown = name.to_string();
                }
            }
            return id;
        }
        let shown = merged.map_or(name, |p| p.display.as_str()).to_string();
        let id = self.names.len() as u32;
        self.ids.insert(key, id);
        self.names.push(shown);
        id
    }
}
