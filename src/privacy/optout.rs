//! The opt-out list: who must never be imported again (docs/privacy.md, GDPR art. 17 and 21).
//!
//! It holds keyed hashes (HMAC-SHA256 under the archive's `secret.key`, hex) of normalised
//! names, one per line, never a name: without the secret nobody can test a guessed name
//! against it, and with the archive gone (`purge`) the list means nothing.
//!
//! Names are normalised as everywhere names are compared (`pseudonym::normalise_name`: NFKC,
//! case and accents folded), so a look-alike spelling (`Ｚorblax`, `ZORBLAX`, `Zörblax`) is
//! the same entry. Lists written by earlier versions hashed the lowercased name only; those
//! entries keep matching (every check also tries that older key), and naming the person to
//! `forget` again adds the folded entry, which then catches the look-alikes too. The list is kept
//! to honour the erasure, which makes it pseudonymous personal data itself (docs/privacy.md);
//! it is `0600` like every file of the archive.

use super::error::Error;
use super::pseudonym::{hex, keyed_hash, legacy_keyed_hash};
use crate::index::files::write_private;
use crate::index::files::OPTOUT_FILE;
use std::collections::BTreeSet;
use std::path::Path;

const HEADER: &str = "# whatscope opt-out list: one HMAC-SHA256 (keyed with secret.key) of a \
normalised participant name per line; never the name itself.\n";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OptOut {
    hashes: BTreeSet<String>,
}

impl OptOut {
    /// The list of the archive in `dir` (empty when there is none yet).
    pub fn load(dir: &Path) -> Result<OptOut, Error> {
        let path = dir.join(OPTOUT_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(OptOut::default()),
            Err(source) => return Err(Error::OptOutUnreadable { path, source }),
        };
        let mut hashes = BTreeSet::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.len() != 64 || !line.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::OptOutDamaged { path });
            }
            hashes.insert(line.to_ascii_lowercase());
        }
        Ok(OptOut { hashes })
    }

    /// Writes the list atomically, `0600`.
    pub fn save(&self, dir: &Path) -> Result<(), Error> {
        let mut text = String::from(HEADER);
        for h in &self.hashes {
            text.push_str(h);
            text.push('\n');
        }
        Ok(write_private(&dir.join(OPTOUT_FILE), text.as_bytes())?)
    }

    fn entry(secret: &[u8], name: &str) -> String {
        hex(&keyed_hash(secret, name))
    }

    /// The entry earlier versions recorded for `name` (lowercased only, no folding).
    fn legacy_entry(secret: &[u8], name: &str) -> String {
        hex(&legacy_keyed_hash(secret, name))
    }

    pub fn contains(&self, secret: &[u8], name: &str) -> bool {
        !self.hashes.is_empty()
            && (self.hashes.contains(&OptOut::entry(secret, name))
                || self.hashes.contains(&OptOut::legacy_entry(secret, name)))
    }

    /// Adds `name`'s entry; false when the list already had it. A person recorded by an
    /// earlier version gets the folded entry beside the old one (true: the list changed).
    pub fn add(&mut self, secret: &[u8], name: &str) -> bool {
        self.hashes.insert(OptOut::entry(secret, name))
    }

    /// Removes `name` (under either key); false when it was not there.
    /// The entry a name has in the list (what [`OptOut::add`] records for it).
    pub fn entry_of(secret: &[u8], name: &str) -> String {
        OptOut::entry(secret, name)
    }

    /// Removes an entry by itself (see [`OptOut::entry_of`]).
    pub fn remove_entry(&mut self, entry: &str) -> bool {
        self.hashes.remove(entry)
    }

    pub fn remove(&mut self, secret: &[u8], name: &str) -> bool {
        let current = self.hashes.remove(&OptOut::entry(secret, name));
        let legacy = self.hashes.remove(&OptOut::legacy_entry(secret, name));
        current || legacy
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_normalised_and_nameless() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut list = OptOut::default();
        assert!(list.add(b"k1", "Jonas Becker"));
        assert!(!list.add(b"k1", "  jonas\u{A0}BECKER "));
        assert!(list.contains(b"k1", "JONAS BECKER"));
        assert!(!list.contains(b"k2", "Jonas Becker"), "keyed by the secret");
        list.save(dir.path()).expect("save");
        let text = std::fs::read_to_string(dir.path().join(OPTOUT_FILE)).expect("read");
        assert!(!text.to_lowercase().contains("jonas"));
        let back = OptOut::load(dir.path()).expect("load");
        assert_eq!(back, list);
        let mut back = back;
        assert!(back.remove(b"k1", "Jonas Becker"));
        assert!(back.is_empty());
        std::fs::write(dir.path().join(OPTOUT_FILE), "nonsense\n").expect("write");
        assert!(OptOut::load(dir.path()).is_err());
    }

    #[test]
    fn look_alikes_are_one_entry() {
        let mut list = OptOut::default();
        assert!(list.add(b"k", "Zorblax"));
        for look_alike in [
            "\u{FF3A}orblax",
            "ZORBLAX",
            "Z\u{F6}rblax",
            "\u{1D419}orblax",
        ] {
            assert!(list.contains(b"k", look_alike), "{look_alike:?}");
            assert!(!list.add(b"k", look_alike), "{look_alike:?}");
        }
    }

    #[test]
    fn entries_of_earlier_versions_keep_matching_and_are_completed() {
        // What an earlier version recorded for `Jörg`: the lowercased name, not folded.
        let mut list = OptOut::default();
        list.hashes.insert(OptOut::legacy_entry(b"k", "J\u{F6}rg"));
        assert!(list.contains(b"k", "J\u{D6}RG"));
        assert!(
            !list.contains(b"k", "Jorg"),
            "the old entry knows no folding"
        );
        assert!(list.add(b"k", "J\u{F6}rg"), "the folded entry is added");
        assert!(list.contains(b"k", "Jorg"));
        assert!(list.remove(b"k", "j\u{F6}rg"));
        assert!(list.is_empty(), "undo removes both entries");
    }
}
