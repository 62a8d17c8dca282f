//! Anonymized output: names, phone numbers and e-mail addresses masked wherever a message,
//! a chat name, a snippet or a statistic could carry them (docs/privacy.md).
//!
//! One redactor serves every output, so the CLI (`search`, `log`, `chats`, `export`,
//! `stats`) and the TUI show the same thing:
//! - senders become their pseudonym ([`Pseudonyms`]);
//! - in text (bodies, snippets, chat names, attachment file names, queries echoed back):
//!   e-mail addresses become `[email]` (also `name (at) example (dot) com`), phone numbers
//!   `[phone]` (see [`super::phone`]), participants' names their pseudonym, and each word
//!   of a name on its own (a first name, a last name, `Rosa` of `Tía Rosa`) the
//!   pseudonym's first word (`[name]` when the word belongs to several participants).
//!   Particles (`de`, `van`, …) and words shorter than three letters (bar a first name of
//!   two) are not masked alone. Names match as whole words, any case, any accents (`tomas` finds `Tomás`),
//!   across any short run of spaces or punctuation between their words (`Maya\u{A0}Lopez`,
//!   `@Maya Lopez` between WhatsApp's isolate marks), and in CJK text as plain substrings;
//! - a word that holds a word of a name (three letters or more, after the same folding)
//!   inside it becomes `[name]`: a genitive (`Heinrichs`), a handle (`@heinrichvogelsang`,
//!   `maya2024`), a domain label (`vogelsang-family.de`) would otherwise give the name away
//!   (catalog A7). Statistics drop such words and domains (see [`shareable_word`]);
//! - message ids are replaced by a keyed id (see [`Anonymizer::id`]): the stored id is an
//!   unkeyed hash of chat, time, sender and text, so it would let anyone confirm a guessed
//!   sender name.
//!
//! Not masked (known limits): names of people who never wrote in the archive (a
//! "this is Dev" introduction, a third person talked about), nicknames, and anything the
//! phone recognizer leaves (see its gaps). Masking every word of a name also masks that
//! word where it is an ordinary word ("the park" when Lena Park is a participant), and
//! words that merely hold it ("parking", "tomorrow" when Tom is one): for an anonymized
//! view, too much beats too little (docs/reliability.md). Words of the pseudonyms'
//! vocabulary ("Noble", "Lark") are left alone, so masking never eats its own output.

use super::pseudonym::{hex, keyed_bytes, normalise_name, Pseudonyms};
use crate::model::Message;
use regex::Regex;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream,
};

pub const PHONE_MASK: &str = "[phone]";
pub const EMAIL_MASK: &str = "[email]";
pub const NAME_MASK: &str = "[name]";

/// Words of names that are not names on their own (folded): particles and titles.
const PARTICLES: &[&str] = &[
    "al", "bin", "ibn", "ben", "da", "das", "de", "del", "della", "der", "des", "di", "do", "dos",
    "du", "el", "la", "las", "le", "les", "los", "van", "von", "zu", "ter", "ten", "mc", "st",
    "dr", "mr", "mrs", "ms", "sr", "sra", "jr", "prof", "the", "and",
];

/// Longest run of non-word characters allowed between the words of one name.
const MAX_GAP_CHARS: usize = 3;

thread_local! {
    static FOLD: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// The words of `text` (runs of letters and digits), lowercased and accent-folded, with
/// their byte ranges in `text`.
pub fn fold_words(text: &str) -> Vec<(String, Range<usize>)> {
    FOLD.with(|a| {
        let mut a = a.borrow_mut();
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from..t.offset_to));
        }
        out
    })
}

/// Participants' names, ready to be found in text.
#[derive(Debug, Default)]
pub struct NameMatcher {
    /// First word of a whole name → (its words, replacement), longest first.
    whole: HashMap<String, Vec<(Vec<String>, String)>>,
    /// One word of a name of several words (first name, last name, …) → replacement.
    single: HashMap<String, String>,
    /// CJK names, found as substrings (CJK text has no spaces between words).
    cjk: Vec<(String, String)>,
    /// Every word of every name.
    words: HashSet<String>,
    /// Words of names (three letters or more, no particles) found inside other words: one
    /// pattern of them all, longest first.
    inside: Option<Regex>,
}

impl NameMatcher {
    pub fn new<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> NameMatcher {
        let mut m = NameMatcher::default();
        let mut singles: HashMap<String, HashSet<String>> = HashMap::new();
        let mut parts: HashSet<String> = HashSet::new();
        for (name, pseudonym) in pairs {
            let words: Vec<String> = fold_words(name).into_iter().map(|(w, _)| w).collect();
            let chars: usize = words.iter().map(|w| w.chars().count()).sum();
            if name.chars().any(crate::textscan::is_cjk_char) {
                let plain = name.trim().trim_start_matches('~').trim().to_string();
                if !plain.is_empty() {
                    m.cjk.push((plain, pseudonym.to_string()));
                }
            }
            if words.is_empty() || chars < 2 {
                continue;
            }
            for w in &words {
                if w.chars().count() >= 2 && w.chars().any(char::is_alphabetic) {
                    m.words.insert(w.clone());
                }
            }
            for w in &words {
                if w.chars().count() >= 3
                    && w.chars().any(char::is_alphabetic)
                    && !PARTICLES.contains(&w.as_str())
                {
                    parts.insert(w.clone());
                }
            }
            if words.len() >= 2 {
                for (k, w) in words.iter().enumerate() {
                    let len = w.chars().count();
                    let long_enough = len >= 3 || (k == 0 && len == 2);
                    if long_enough
                        && w.chars().any(char::is_alphabetic)
                        && !PARTICLES.contains(&w.as_str())
                    {
                        singles
                            .entry(w.clone())
                            .or_default()
                            .insert(pseudonym.to_string());
                    }
                }
            }
            let entry = m.whole.entry(words[0].clone()).or_default();
            if !entry.iter().any(|(w, _)| *w == words) {
                entry.push((words, pseudonym.to_string()));
            }
        }
        for list in m.whole.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        for (word, pseudonyms) in singles {
            let replacement = if pseudonyms.len() == 1 {
                pseudonyms
                    .into_iter()
                    .next()
                    .and_then(|p| p.split_whitespace().next().map(str::to_string))
                    .unwrap_or_else(|| NAME_MASK.to_string())
            } else {
                NAME_MASK.to_string()
            };
            m.single.insert(word, replacement);
        }
        // Longest CJK names first, so a longer name wins over a name inside it.
        m.cjk
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        m.inside = inside_pattern(parts);
        m
    }

    /// Whether a folded word holds a word of a name inside it (and is not itself one of the
    /// pseudonyms' words).
    fn holds_name_part(&self, word: &str) -> bool {
        self.inside.as_ref().is_some_and(|re| re.is_match(word))
            && !super::pseudonym::is_pseudonym_word(word)
    }

    pub fn is_name_word(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// Byte ranges of names in `text` with what replaces each.
    fn find(&self, text: &str) -> Vec<(Range<usize>, String)> {
        let words = fold_words(text);
        let mut out = Vec::new();
        let mut i = 0;
        'words: while i < words.len() {
            if let Some(candidates) = self.whole.get(&words[i].0) {
                for (name, replacement) in candidates {
                    if self.matches_at(text, &words, i, name) {
                        let end = words[i + name.len() - 1].1.end;
                        out.push((words[i].1.start..end, replacement.clone()));
                        i += name.len();
                        continue 'words;
                    }
                }
            }
            if let Some(replacement) = self.single.get(&words[i].0) {
                out.push((words[i].1.clone(), replacement.clone()));
            } else if self.holds_name_part(&words[i].0) {
                out.push((words[i].1.clone(), NAME_MASK.to_string()));
            }
            i += 1;
        }
        out
    }

    fn matches_at(
        &self,
        text: &str,
        words: &[(String, Range<usize>)],
        at: usize,
        name: &[String],
    ) -> bool {
        if at + name.len() > words.len() {
            return false;
        }
        for (k, want) in name.iter().enumerate() {
            if words[at + k].0 != *want {
                return false;
            }
            if k > 0 {
                let gap = &text[words[at + k - 1].1.end..words[at + k].1.start];
                if gap.contains('\n') || gap.chars().count() > MAX_GAP_CHARS {
                    return false;
                }
            }
        }
        true
    }
}

/// One pattern matching any of `parts` (folded words) anywhere in a word, longest first so
/// the longest part is the one found.
fn inside_pattern(parts: HashSet<String>) -> Option<Regex> {
    let mut parts: Vec<String> = parts.into_iter().collect();
    if parts.is_empty() {
        return None;
    }
    parts.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    let alternatives: Vec<String> = parts.iter().map(|p| regex::escape(p)).collect();
    regex::RegexBuilder::new(&alternatives.join("|"))
        .size_limit(64 << 20)
        .build()
        .ok()
}

static EMAIL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let at = r"(?:@|\s?[\(\[\{<]\s?at\s?[\)\]\}>]\s?|\s+at\s+)";
    let dot = r"(?:\.|\s?[\(\[\{<]\s?dot\s?[\)\]\}>]\s?|\s+dot\s+)";
    let label = r"[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?";
    let pattern =
        format!(r"(?i)[\p{{L}}\p{{N}}._%+\-]+{at}{label}(?:{dot}{label})*{dot}\p{{L}}{{2,}}\b");
    Regex::new(&pattern).ok()
});

/// Byte ranges of e-mail addresses in `text`: `local@domain.tld` with Unicode letters, and
/// the spelled-out `local (at) domain (dot) tld`, `local [at] domain.tld`, `local at domain
/// dot tld`.
pub fn email_spans(text: &str) -> Vec<Range<usize>> {
    let Some(re) = EMAIL.as_ref() else {
        return Vec::new();
    };
    let lower_has_at = text.contains('@') || {
        let b = text.as_bytes();
        b.windows(2).any(|w| w.eq_ignore_ascii_case(b"at"))
    };
    if !lower_has_at {
        return Vec::new();
    }
    re.find_iter(text)
        .filter(|m| {
            // The plain-words form (`maya at example dot com`) needs its `dot`, or it would
            // swallow sentences such as "meet at home.".
            let s = m.as_str();
            s.contains('@') || s.to_lowercase().contains("dot") || s.contains(['(', '[', '{', '<'])
        })
        .map(|m| m.range())
        .collect()
}

fn replace_ranges(text: &str, mut ranges: Vec<(Range<usize>, String)>) -> String {
    if ranges.is_empty() {
        return text.to_string();
    }
    ranges.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, with) in ranges {
        if r.start < at {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&with);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Masks addresses, then numbers, then names (see the module docs).
pub fn mask_text(names: &NameMatcher, text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let emails = email_spans(text);
    let text = replace_ranges(
        text,
        emails
            .into_iter()
            .map(|r| (r, EMAIL_MASK.to_string()))
            .collect(),
    );
    let phones = super::phone::phone_spans(&text);
    let text = replace_ranges(
        &text,
        phones
            .into_iter()
            .map(|r| (r, PHONE_MASK.to_string()))
            .collect(),
    );
    let mut text = replace_ranges(&text, names.find(&text));
    for (name, pseudonym) in &names.cjk {
        if text.contains(name.as_str()) {
            text = text.replace(name.as_str(), pseudonym);
        }
    }
    text
}

/// Everything an anonymized output needs: the pseudonyms, the secret for keyed ids, and
/// for an access export the one person who stays named.
#[derive(Debug, Clone)]
pub struct Anonymizer {
    pseudonyms: Pseudonyms,
    secret: [u8; 32],
    /// The normalised names of the person an access export is for (shown as themselves):
    /// every name merged into them, and their display name.
    keep: Vec<String>,
}

impl Anonymizer {
    pub fn new(secret: [u8; 32], pseudonyms: Pseudonyms) -> Anonymizer {
        Anonymizer {
            pseudonyms,
            secret,
            keep: Vec::new(),
        }
    }

    /// Everybody but `person` masked: what an access export (`export --participant`) shows.
    pub fn except(self, person: &str) -> Anonymizer {
        self.except_all(&[person])
    }

    /// Everybody but one person under any of `names` masked: a merged person's names are
    /// all their own (docs/people.md), so none of them is masked in their access export.
    pub fn except_all(mut self, names: &[&str]) -> Anonymizer {
        self.pseudonyms = self.pseudonyms.without_all(names);
        self.keep = names.iter().map(|n| normalise_name(n)).collect();
        self
    }

    pub fn pseudonyms(&self) -> &Pseudonyms {
        &self.pseudonyms
    }

    /// Whether `name` is the person an access export is for.
    pub fn is_kept(&self, name: &str) -> bool {
        self.keep.contains(&normalise_name(name))
    }

    pub fn sender(&self, name: &str) -> String {
        if self.is_kept(name) {
            name.to_string()
        } else {
            self.pseudonyms.get(name).to_string()
        }
    }

    pub fn text(&self, text: &str) -> String {
        self.pseudonyms.mask_text(text)
    }

    pub fn chat(&self, chat: &str) -> String {
        if self.is_kept(chat) {
            return chat.to_string();
        }
        self.pseudonyms.mask_chat(chat)
    }

    /// A message id that is stable within this archive (re-exports stay idempotent) but,
    /// being keyed, cannot be recomputed from a guessed sender, chat or text.
    pub fn id(&self, id: &str) -> String {
        let mut tagged = b"whatscope message id\0".to_vec();
        tagged.extend_from_slice(id.as_bytes());
        hex(&keyed_bytes(&self.secret, &tagged)[..8])
    }

    /// A message with every field masked.
    pub fn message(&self, m: &mut Message) {
        m.id = self.id(&m.id);
        m.chat = self.chat(&m.chat);
        if let Some(s) = &m.sender {
            m.sender = Some(self.sender(s));
        }
        m.text = self.text(&m.text);
        if let Some(a) = &m.attachment {
            m.attachment = Some(self.text(a));
        }
    }
}

/// Whether an anonymized statistic may list this top word: not a word of a name, not one
/// holding a name, a number or an address (words with a `.` or `@` are parts of addresses,
/// `example.org`, `maya.lopez`). The one rule for `stats --anonymize` (text and JSON) and the
/// TUI's anonymized statistics pane.
pub fn shareable_word(p: &Pseudonyms, word: &str) -> bool {
    !word.contains(['.', '@']) && !p.is_name_word(word) && p.mask_text(word) == word
}

/// Whether an anonymized statistic may list this link domain: none of its labels holds a
/// name, a number or an address (`vogelsang-family.de` gives Heinrich Vogelsang away).
pub fn shareable_domain(p: &Pseudonyms, domain: &str) -> bool {
    p.mask_text(domain) == domain
}

/// Fewest people whose per-person figures an anonymized view shows (docs/reliability.md, V7): with
/// one or two, a pseudonym hides nobody, since the reader knows who the other person is.
pub const MIN_PEOPLE_FOR_PER_PERSON_FIGURES: usize = 3;

/// What an anonymized view says in place of the per-person figures it hides.
pub const PER_PERSON_HIDDEN: &str =
    "per-person figures are hidden in the anonymized view: fewer than 3 people in scope";

#[cfg(test)]
mod tests;
