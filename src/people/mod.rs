//! People, not names: which sender names belong to one human (see `docs/people.md`).
//!
//! Without merges every distinct sender name (compared folded, as everywhere names are) is
//! one person in every chat it appears in. The user merges names (`whatscope people merge`);
//! merges live in `people.json` in the data dir (`0600`, like the rest of the archive),
//! survive re-imports, are undone by `split` and removed by `purge`. They are applied when
//! the archive is read: `from:`, statistics, `forget` and pseudonyms ask [`People::key`]
//! which person a name belongs to. Nothing is re-indexed.

pub mod error;
mod interner;
pub mod listing;
pub mod masks;
pub(crate) mod suggest;

pub use interner::Interner;

use crate::index::archive::Archive;
use crate::index::files::write_private;
use crate::index::files::PEOPLE_FILE;
use crate::index::query::Names;
use crate::privacy::pseudonym::normalise_name;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use error::Error;

/// The merges of an archive: only people with two names or more are written down.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    format: String,
    persons: Vec<Person>,
    /// Merges of people who were forgotten, as the keyed hashes their names have in the
    /// opt-out list (never the names): `forget --undo` lets every name of the person back
    /// in, and a later import makes them one person again (see [`People::restore`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    forgotten: Vec<Vec<String>>,
    /// Each merged name, folded, with its person's place in `persons` (rebuilt on change).
    #[serde(skip)]
    by_name: std::collections::HashMap<String, usize>,
}

/// The names `from:` and `chat:` match in `archive`: its chat and sender names, each
/// sender's `aliases` (pseudonyms in an anonymized view), and the people merged by the user.
pub fn archive_names(archive: &Archive, aliases: &[(String, String)]) -> Result<Names, Error> {
    let names = Names::from_searcher(&archive.searcher())
        .map_err(crate::index::Error::read)?
        .with_aliases(aliases);
    Ok(People::load(&archive.dir)?.group(names))
}

/// After an import: the people who were forgotten under several merged names and let back
/// in (`forget --undo`) are one person again once their names are back in the archive.
pub fn restore_forgotten_merges(archive: &Archive) -> Result<(), Error> {
    let mut people = People::load(&archive.dir)?;
    if people.forgotten.is_empty() {
        return Ok(());
    }
    let Some(secret) = crate::privacy::secret::load(&archive.dir)? else {
        return Ok(());
    };
    archive.reload()?;
    let senders: Vec<String> = Names::from_searcher(&archive.searcher())
        .map_err(crate::index::Error::read)?
        .senders()
        .collect();
    let entry = |n: &str| crate::privacy::optout::OptOut::entry_of(&secret, n);
    if people.restore(&senders, entry) {
        people.save(&archive.dir)?;
    }
    Ok(())
}

/// One human under several sender names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The name shown for the person.
    pub display: String,
    /// Every sender name merged into the person, as the exports write them.
    pub names: Vec<String>,
}

const FORMAT: &str = "whatscope-people/1";

impl People {
    /// The merges of the archive in `dir` (none when it has no file yet).
    pub fn load(dir: &Path) -> Result<People, Error> {
        let path = dir.join(PEOPLE_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(People::default()),
            Err(source) => return Err(Error::Unreadable { path, source }),
        };
        let mut people: People = serde_json::from_str(&text).map_err(|source| Error::Damaged {
            path: path.clone(),
            source,
        })?;
        if people.format != FORMAT {
            return Err(Error::UnknownFormat {
                path,
                format: people.format,
            });
        }
        people.reindex();
        Ok(people)
    }

    /// Writes the merges atomically, `0600`; with none left (and no forgotten one), removes
    /// the file.
    pub fn save(&self, dir: &Path) -> Result<(), Error> {
        let path = dir.join(PEOPLE_FILE);
        let mut out = self.clone();
        out.format = FORMAT.to_string();
        if out.persons.is_empty() && out.forgotten.is_empty() {
            return match std::fs::remove_file(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(source) => Err(Error::Remove { path, source }),
            };
        }
        let json = serde_json::to_vec_pretty(&out).map_err(|source| Error::Encode { source })?;
        Ok(write_private(&path, &json)?)
    }

    /// The merged people (two names or more each).
    pub fn persons(&self) -> &[Person] {
        &self.persons
    }

    /// The merged person a name belongs to, compared folded (case, accents, width).
    pub fn person_of(&self, name: &str) -> Option<&Person> {
        self.index_of(&normalise_name(name))
            .and_then(|i| self.persons.get(i))
    }

    fn index_of(&self, key: &str) -> Option<usize> {
        self.by_name.get(key).copied()
    }

    fn reindex(&mut self) {
        self.by_name = self
            .persons
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.names.iter().map(move |n| (normalise_name(n), i)))
            .collect();
    }

    /// What makes names one participant: the same person. Names of one merged person share
    /// a key no folded name can have (it starts with a control character); any other name is
    /// keyed by its folded form, so its spellings stay one participant.
    pub fn key(&self, name: &str) -> String {
        let folded = normalise_name(name);
        match self.index_of(&folded) {
            // By a name of the person (their names are theirs alone), not by the display
            // name, which two people may share.
            Some(_) => format!("\u{1}person {}", self.pseudonym_key(name)),
            None => folded,
        }
    }

    /// What a person's pseudonym is made from: the first of their names in folded order (so
    /// merging keeps one of the pseudonyms the names had, and a new display name changes none).
    pub fn pseudonym_key(&self, name: &str) -> String {
        let folded = normalise_name(name);
        match self.index_of(&folded) {
            Some(i) => self.persons[i]
                .names
                .iter()
                .map(|n| normalise_name(n))
                .min()
                .unwrap_or(folded),
            None => folded,
        }
    }

    /// The name a person is shown by: the display name of a merged person, else the name.
    pub fn display<'a>(&'a self, name: &'a str) -> &'a str {
        self.person_of(name).map_or(name, |p| p.display.as_str())
    }

    /// Every name of the person `name` belongs to (just `name` when it is merged with none).
    pub fn names_of(&self, name: &str) -> Vec<String> {
        match self.person_of(name) {
            Some(p) => p.names.clone(),
            None => vec![name.to_string()],
        }
    }

    /// Makes one person of `names` and of every person any of them already belongs to
    /// (merging is idempotent). The display name is `display`, else the display name of a
    /// person merged in, else the first name given.
    pub fn merge(&mut self, names: &[String], display: Option<&str>) -> &Person {
        let mut merged: Vec<String> = Vec::new();
        let mut kept_display = None;
        for name in names {
            match self.index_of(&normalise_name(name)) {
                Some(i) => {
                    let person = self.persons.remove(i);
                    self.reindex();
                    kept_display.get_or_insert(person.display);
                    merged.extend(person.names);
                }
                None => merged.push(name.clone()),
            }
        }
        let mut seen = std::collections::HashSet::new();
        merged.retain(|n| seen.insert(normalise_name(n)));
        let display = display
            .map(str::to_string)
            .or(kept_display)
            .or_else(|| names.first().cloned())
            .unwrap_or_default();
        self.persons.push(Person {
            display,
            names: merged,
        });
        self.persons.sort_by(|a, b| a.display.cmp(&b.display));
        self.reindex();
        let at = names
            .first()
            .and_then(|n| self.index_of(&normalise_name(n)))
            .unwrap_or(0);
        &self.persons[at]
    }

    /// Takes `name` back out of its person; a person left with one name is no merge any
    /// more. Whether `name` was merged at all.
    pub fn split(&mut self, name: &str) -> bool {
        let key = normalise_name(name);
        let Some(i) = self.index_of(&key) else {
            return false;
        };
        let person = &mut self.persons[i];
        person.names.retain(|n| normalise_name(n) != key);
        if normalise_name(&person.display) == key {
            if let Some(first) = person.names.first() {
                person.display = first.clone();
            }
        }
        if person.names.len() < 2 {
            self.persons.remove(i);
        }
        self.reindex();
        true
    }

    /// `names` (an archive's chat and sender names) with the stored names of each merged
    /// person grouped, so that `from:` any of them selects all of them.
    pub fn group(&self, names: Names) -> Names {
        let mut groups: Vec<Vec<String>> = vec![Vec::new(); self.persons.len()];
        for stored in names.senders() {
            if let Some(i) = self.index_of(&normalise_name(&stored)) {
                groups[i].push(stored);
            }
        }
        groups.retain(|g| g.len() > 1);
        names.with_groups(groups)
    }

    /// Forgets the person `name` belongs to: their merge leaves this file with them (the
    /// names must not stay behind once the person is erased) and is kept as the names'
    /// opt-out entries (`entry` of each name), so that `forget --undo` can bring it back.
    pub fn forget_person_of(&mut self, name: &str, entry: impl Fn(&str) -> String) {
        if let Some(i) = self.index_of(&normalise_name(name)) {
            let person = self.persons.remove(i);
            let mut hashed: Vec<String> = person.names.iter().map(|n| entry(n)).collect();
            hashed.sort();
            hashed.dedup();
            if !self.forgotten.contains(&hashed) {
                self.forgotten.push(hashed);
            }
            self.reindex();
        }
    }

    /// The opt-out entries of every name of the forgotten person whose entries hold `entry`
    /// (just `entry` when it belonged to no merge).
    pub fn forgotten_with(&self, entry: &str) -> Vec<String> {
        self.forgotten
            .iter()
            .find(|group| group.iter().any(|e| e == entry))
            .cloned()
            .unwrap_or_else(|| vec![entry.to_string()])
    }

    /// Makes one person again of the archive's `senders` whose entries (`entry` of each)
    /// belong to one forgotten merge, once two of them or more are back (after
    /// `forget --undo` and a re-import). Whether anything changed.
    pub fn restore(&mut self, senders: &[String], entry: impl Fn(&str) -> String) -> bool {
        let mut changed = false;
        let groups = std::mem::take(&mut self.forgotten);
        for group in groups {
            let back: Vec<String> = senders
                .iter()
                .filter(|s| group.contains(&entry(s)))
                .cloned()
                .collect();
            let mut distinct: Vec<String> = back.iter().map(|n| normalise_name(n)).collect();
            distinct.sort();
            distinct.dedup();
            if distinct.len() >= 2 {
                self.merge(&back, None);
                changed = true;
            }
            if distinct.len() < group.len() {
                // Not every name is back yet: later imports may bring the rest.
                self.forgotten.push(group);
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn merge_is_idempotent_and_joins_people() {
        let mut p = People::default();
        p.merge(&names(&["+44 7700 900461", "Lucía Rivera"]), None);
        p.merge(&names(&["Lucía Rivera", "+44 7700 900461"]), None);
        assert_eq!(p.persons().len(), 1);
        assert_eq!(p.display("+44 7700 900461"), "+44 7700 900461");
        p.merge(&names(&["lucia rivera", "Lu"]), Some("Lucía"));
        assert_eq!(p.persons().len(), 1);
        assert_eq!(p.persons()[0].names.len(), 3);
        assert_eq!(p.display("LU"), "Lucía");
        assert_eq!(p.key("Lu"), p.key("+44 7700 900461"));
        assert_ne!(p.key("Lu"), p.key("Lucas"));
        // Two people may be shown by the same name and stay two people.
        p.merge(&names(&["Ana P", "Ana Pereira"]), Some("Lucía"));
        assert_ne!(p.key("Ana P"), p.key("Lu"));
    }

    #[test]
    fn split_takes_one_name_out() {
        let mut p = People::default();
        p.merge(&names(&["A", "B", "C"]), Some("A"));
        assert!(p.split("A"));
        assert_eq!(p.persons()[0].names, names(&["B", "C"]));
        assert_eq!(p.persons()[0].display, "B");
        assert!(p.split("c"));
        assert!(p.persons().is_empty());
        assert!(!p.split("B"));
        assert_eq!(p.key("B"), "b");
    }

    #[test]
    fn saved_and_loaded_alike() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = People::default();
        assert_eq!(People::load(dir.path()).expect("none"), People::default());
        p.merge(&names(&["A", "B"]), None);
        p.save(dir.path()).expect("save");
        let back = People::load(dir.path()).expect("load");
        assert_eq!(back.persons(), p.persons());
        p.split("A");
        p.save(dir.path()).expect("save none");
        assert!(!dir.path().join(PEOPLE_FILE).exists());
    }
}
