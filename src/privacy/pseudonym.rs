//! Stable, friendly pseudonyms ("Amber Fox") from an HMAC-SHA256 of a participant's name under
//! the archive's secret: the same within an archive, different across archives, and unique
//! (a collision gets a number, decided by the keyed hash, not by import order).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::collections::HashMap;

const ADJECTIVES: &[&str] = &[
    "Amber", "Azure", "Brave", "Bright", "Calm", "Clever", "Coral", "Crimson", "Dapper", "Eager",
    "Fancy", "Gentle", "Golden", "Happy", "Hazel", "Ivory", "Jolly", "Keen", "Lively", "Lucky",
    "Mellow", "Misty", "Noble", "Olive", "Plucky", "Quiet", "Rosy", "Rustic", "Silver", "Sunny",
    "Swift", "Teal", "Tidy", "Velvet", "Witty", "Zesty",
];

const ANIMALS: &[&str] = &[
    "Badger", "Bear", "Beaver", "Crane", "Deer", "Dolphin", "Eagle", "Falcon", "Ferret", "Finch",
    "Fox", "Gecko", "Hare", "Hedgehog", "Heron", "Ibis", "Koala", "Lark", "Lynx", "Marten",
    "Moose", "Newt", "Otter", "Owl", "Panda", "Puffin", "Quail", "Raven", "Robin", "Seal",
    "Sparrow", "Stork", "Swan", "Tiger", "Walrus", "Wolf",
];

/// The keyed hash of a name: what pseudonyms and opt-out entries are made of.
pub fn keyed_hash(secret: &[u8], name: &str) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(name.trim().to_lowercase().as_bytes());
    mac.finalize().into_bytes().into()
}

/// Pseudonyms for a set of names.
#[derive(Debug, Clone, Default)]
pub struct Pseudonyms {
    map: HashMap<String, String>,
}

impl Pseudonyms {
    pub fn new(secret: &[u8], names: impl IntoIterator<Item = String>) -> Pseudonyms {
        let mut hashed: Vec<(u64, String)> = names
            .into_iter()
            .filter(|n| !n.is_empty())
            .map(|n| {
                let h = keyed_hash(secret, &n);
                let mut first = [0u8; 8];
                first.copy_from_slice(&h[..8]);
                (u64::from_le_bytes(first), n)
            })
            .collect();
        hashed.sort();
        hashed.dedup();
        let mut used: HashMap<String, usize> = HashMap::new();
        let mut map = HashMap::new();
        for (h, name) in hashed {
            let a = ADJECTIVES[(h % ADJECTIVES.len() as u64) as usize];
            let b = ANIMALS[((h / ADJECTIVES.len() as u64) % ANIMALS.len() as u64) as usize];
            let base = format!("{a} {b}");
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            let pseudonym = if *n == 1 { base } else { format!("{base} {n}") };
            map.insert(name, pseudonym);
        }
        Pseudonyms { map }
    }

    /// The pseudonym of a name; an unknown name still gets a stable stand-in.
    pub fn get<'a>(&'a self, name: &'a str) -> &'a str {
        self.map.get(name).map(String::as_str).unwrap_or("Someone")
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every (name, pseudonym) pair, for masking names mentioned in text.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_unique_and_keyed() {
        let names = || ["Ana Souza", "Bob", "Carla", "Dan", "Eve"].map(String::from);
        let a = Pseudonyms::new(b"secret one", names());
        let b = Pseudonyms::new(b"secret one", names());
        let c = Pseudonyms::new(b"secret two", names());
        assert_eq!(a.get("Ana Souza"), b.get("Ana Souza"));
        let mut seen: Vec<String> = names().iter().map(|n| a.get(n).to_string()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 5, "pseudonyms are unique");
        let differs = names().iter().any(|n| a.get(n) != c.get(n));
        assert!(differs, "another secret gives other pseudonyms");
    }
}
