//! Stable, friendly pseudonyms ("Amber Fox") from an HMAC-SHA256 of a participant's name under
//! the archive's secret: the same within an archive, different across archives, and unique
//! (a collision gets a number, decided by the keyed hash, not by import order).

use super::redact::NameMatcher;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

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

/// Whether a folded (lowercase, unaccented) word is one the pseudonyms are made of.
pub fn is_pseudonym_word(word: &str) -> bool {
    ADJECTIVES
        .iter()
        .chain(ANIMALS)
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// A name as the archive keys it: invisible and bidi marks dropped, the spaces WhatsApp
/// writes (U+00A0, U+202F, …) made plain, U+2011 made `-`, compatibility forms made plain
/// (NFKC: `Ｚorblax` is `Zorblax`), a non-contact's leading `~` dropped, runs of space
/// collapsed, lowercased and accents folded as `from:` folds them (`crate::fold::name`). A
/// name that is a phone number keeps only its digits (full-width and Arabic-Indic ones too)
/// behind a `+` when it had one or a `00` prefix, so `+44 7700 900123`, `+447700900123` and
/// `0044 7700 900123` are one person.
pub fn normalise_name(name: &str) -> String {
    name_key(name, crate::fold::name)
}

/// The key of `name` as whatscope before the NFKC and accent folding computed it (lowercase
/// only): opt-out entries recorded then are hashes of this, and must keep matching.
pub fn legacy_normalise_name(name: &str) -> String {
    name_key(name, str::to_lowercase)
}

/// [`normalise_name`]'s rules around `fold`, which gives the letters their compared form.
fn name_key(name: &str, fold: impl Fn(&str) -> String) -> String {
    let mut s = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            c if crate::invisible::is_key_ignorable(c) => {}
            '\u{00A0}' | '\u{202F}' | '\u{2007}' | '\u{2009}' | '\u{3000}' => s.push(' '),
            '\u{2011}' => s.push('-'),
            c => s.push(c),
        }
    }
    let trimmed = s.trim();
    let trimmed = trimmed
        .strip_prefix('~')
        .map(str::trim_start)
        .unwrap_or(trimmed);
    let collapsed = fold(&trimmed.split_whitespace().collect::<Vec<_>>().join(" "));
    if !collapsed.chars().any(char::is_alphabetic) {
        let digits: String = collapsed
            .chars()
            .filter_map(super::phone::digit_value)
            .map(|d| char::from(b'0' + d))
            .collect();
        if digits.len() >= 7 {
            let plus = collapsed.starts_with(['+', '\u{FF0B}']);
            return match digits.strip_prefix("00") {
                Some(rest) if !plus => format!("+{rest}"),
                _ if plus => format!("+{digits}"),
                _ => digits,
            };
        }
    }
    collapsed
}

/// The keyed hash of a name (normalised first): what pseudonyms and opt-out entries are
/// made of. HMAC-SHA256 under the archive's secret, so it cannot be reversed by hashing
/// guessed names or phone numbers.
pub fn keyed_hash(secret: &[u8], name: &str) -> [u8; 32] {
    keyed_bytes(secret, normalise_name(name).as_bytes())
}

/// The keyed hash earlier versions made of a name (see [`legacy_normalise_name`]).
pub fn legacy_keyed_hash(secret: &[u8], name: &str) -> [u8; 32] {
    keyed_bytes(secret, legacy_normalise_name(name).as_bytes())
}

/// HMAC-SHA256 of raw bytes under the secret.
pub fn keyed_bytes(secret: &[u8], bytes: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length: this never fails.
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of every length"),
    };
    mac.update(bytes);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// How the archive groups names into persons (`people::People` is the grouping users edit,
/// docs/people.md): the names of one person share one pseudonym.
pub trait Persons {
    /// What a person's pseudonym is made from: the same for every name of the person.
    fn pseudonym_key(&self, name: &str) -> String;
    /// Every merged person as (one of their names, the display name they are shown by).
    fn shown_as(&self) -> Vec<(String, String)>;
}

/// No names merged: each normalised name is a person of its own.
pub struct EachNameAlone;

impl Persons for EachNameAlone {
    fn pseudonym_key(&self, name: &str) -> String {
        normalise_name(name)
    }
    fn shown_as(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// Pseudonyms for a set of names, and the matcher that finds those names in text.
#[derive(Debug, Clone, Default)]
pub struct Pseudonyms {
    /// Name as stored → pseudonym.
    map: HashMap<String, String>,
    /// Normalised name → pseudonym (one person may be stored under several spellings).
    by_key: HashMap<String, String>,
    /// Built on first use: finding names in text needs every name tokenized.
    matcher: OnceLock<Arc<NameMatcher>>,
}

impl Pseudonyms {
    pub fn new(secret: &[u8], names: impl IntoIterator<Item = String>) -> Pseudonyms {
        Pseudonyms::of_people(secret, names, &EachNameAlone)
    }

    /// One pseudonym per person: the names merged into one person share it, whichever name
    /// they wrote under (it is the pseudonym of the person's first name in folded order).
    pub fn of_people(
        secret: &[u8],
        names: impl IntoIterator<Item = String>,
        people: &dyn Persons,
    ) -> Pseudonyms {
        // One pseudonym per normalised name, decided by its keyed hash (not by import order).
        let mut spellings: HashMap<String, Vec<String>> = HashMap::new();
        for n in names {
            let key = people.pseudonym_key(&n);
            if key.is_empty() {
                continue;
            }
            spellings.entry(key).or_default().push(n);
        }
        let mut hashed: Vec<(u64, String)> = spellings
            .keys()
            .map(|key| {
                let h = keyed_hash(secret, key);
                let mut first = [0u8; 8];
                first.copy_from_slice(&h[..8]);
                (u64::from_le_bytes(first), key.clone())
            })
            .collect();
        hashed.sort();
        let mut used: HashMap<String, usize> = HashMap::new();
        let mut map = HashMap::new();
        let mut by_key = HashMap::new();
        for (h, key) in hashed {
            let a = ADJECTIVES[(h % ADJECTIVES.len() as u64) as usize];
            let b = ANIMALS[((h / ADJECTIVES.len() as u64) % ANIMALS.len() as u64) as usize];
            let base = format!("{a} {b}");
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            let pseudonym = if *n == 1 { base } else { format!("{base} {n}") };
            for raw in spellings.remove(&key).unwrap_or_default() {
                by_key.insert(normalise_name(&raw), pseudonym.clone());
                map.insert(raw, pseudonym.clone());
            }
            by_key.insert(key, pseudonym);
        }
        // Statistics show a merged person by their display name (`people merge --as`), which
        // need not be one of their names: it takes the person's pseudonym too, unless it is
        // some other sender's name.
        for (first, display) in people.shown_as() {
            if let Some(pseudonym) = by_key.get(&people.pseudonym_key(&first)).cloned() {
                by_key.entry(normalise_name(&display)).or_insert(pseudonym);
            }
        }
        Pseudonyms {
            map,
            by_key,
            matcher: OnceLock::new(),
        }
    }

    /// The pseudonym of a name; an unknown name still gets a stand-in, never itself.
    pub fn get<'a>(&'a self, name: &'a str) -> &'a str {
        if let Some(p) = self.map.get(name) {
            return p;
        }
        self.by_key
            .get(&normalise_name(name))
            .map(String::as_str)
            .unwrap_or("Someone")
    }

    /// Whether `name` (any spelling) is one of these participants.
    pub fn knows(&self, name: &str) -> bool {
        self.map.contains_key(name) || self.by_key.contains_key(&normalise_name(name))
    }

    /// The same pseudonyms without one person (every spelling of `name`): an access export
    /// masks everybody but the person it is for.
    pub fn without(&self, name: &str) -> Pseudonyms {
        self.without_all(&[name])
    }

    /// The same pseudonyms without any spelling of `names`: a merged person's every name.
    pub fn without_all(&self, names: &[&str]) -> Pseudonyms {
        let keys: std::collections::HashSet<String> =
            names.iter().map(|n| normalise_name(n)).collect();
        Pseudonyms {
            map: self
                .map
                .iter()
                .filter(|(raw, _)| !keys.contains(&normalise_name(raw)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            by_key: self
                .by_key
                .iter()
                .filter(|(k, _)| !keys.contains(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            matcher: OnceLock::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every (name, pseudonym) pair, for masking names mentioned in text.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Every (stored name, pseudonym) pair, owned: what lets `from:` take a pseudonym in an
    /// anonymized view (see `Names::with_aliases`).
    pub fn aliases(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self
            .pairs()
            .map(|(n, p)| (n.to_string(), p.to_string()))
            .collect();
        pairs.sort();
        pairs
    }

    fn matcher(&self) -> &NameMatcher {
        self.matcher
            .get_or_init(|| Arc::new(NameMatcher::new(self.pairs())))
    }

    /// Text with e-mail addresses, phone numbers and participants' names (whole names and
    /// first names, whole words, any case and accents) masked (see [`super::redact`]).
    pub fn mask_text(&self, text: &str) -> String {
        super::redact::mask_text(self.matcher(), text)
    }

    /// A chat's name: a participant's name (a 1:1 chat) becomes their pseudonym; any other
    /// name is masked like text (names, numbers and addresses inside it).
    pub fn mask_chat(&self, chat: &str) -> String {
        if self.knows(chat) {
            return self.get(chat).to_string();
        }
        self.mask_text(chat)
    }

    /// Whether `word` (one lowercased, folded word) is a word of a participant's name.
    pub fn is_name_word(&self, word: &str) -> bool {
        self.matcher().is_name_word(word)
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

    #[test]
    fn spellings_of_one_person_share_a_pseudonym() {
        let p = Pseudonyms::new(
            b"k",
            [
                "+44 7700 900123",
                "\u{202A}+44\u{A0}7700\u{A0}900123\u{202C}",
                "+447700900123",
                "~ Jun",
                "Jun",
            ]
            .map(String::from),
        );
        assert_eq!(p.get("+44 7700 900123"), p.get("+447700900123"));
        assert_eq!(p.get("0044 7700 900123"), p.get("+447700900123"));
        assert_eq!(p.get("~ Jun"), p.get("jun"));
        assert_ne!(p.get("Jun"), p.get("+447700900123"));
        assert_eq!(p.get("Nobody"), "Someone");
        let q = p.without("JUN");
        assert!(!q.knows("Jun") && q.knows("+447700900123"));
    }

    #[test]
    fn normalised_names() {
        assert_eq!(normalise_name("  Maya\u{A0} Lopez "), "maya lopez");
        assert_eq!(normalise_name("~\u{202F}Jun"), "jun");
        assert_eq!(
            normalise_name("+1\u{A0}(555)\u{A0}010\u{2011}4477"),
            "+15550104477"
        );
        assert_eq!(normalise_name("0151 23456789"), "015123456789");
        // Accents and compatibility forms fold as `from:` folds them.
        assert_eq!(normalise_name("Tomás"), "tomas");
        assert_eq!(normalise_name("\u{FF34}oma\u{301}s"), "tomas");
        assert_eq!(normalise_name("\u{FF0B}44 7700 900123"), "+447700900123");
        // What opt-out lists of earlier versions hashed.
        assert_eq!(legacy_normalise_name("  Tomás\u{A0} X"), "tomás x");
    }
}
