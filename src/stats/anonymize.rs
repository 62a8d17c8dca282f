//! Statistics as the anonymized view shows them (docs/privacy.md): every participant as their
//! pseudonym, lists sorted again by pseudonym, words that give a name away dropped, and the
//! per-person figures hidden when too few people are in scope to hide anyone.

use super::Stats;
use crate::privacy::redact::{
    shareable_domain, shareable_word, MIN_PEOPLE_FOR_PER_PERSON_FIGURES, PER_PERSON_HIDDEN,
};
use crate::privacy::{Anonymizer, Pseudonyms};

/// Statistics with every participant shown as their pseudonym: names in `participants`,
/// `interactions` and `partners`, the scope's chat, `per_chat`'s chats, query and
/// participant, notes, and words of
/// participants' names, numbers and parts of addresses (words with a `.` or `@`) dropped
/// from `top_words` (which then holds fewer than `stats::TOP` entries). Lists are sorted
/// again by the pseudonyms, so their order does not hint at the real names.
pub fn anonymize_stats(stats: &mut Stats, p: &Pseudonyms) {
    mask_stats(stats, p, &|name| p.get(name).to_string());
    if hides_per_person(stats) {
        stats.participants.clear();
        stats.interactions.clear();
        stats.per_chat = None;
        stats.partners = None;
        stats.notes.push(PER_PERSON_HIDDEN.to_string());
    }
}

/// Whether an anonymized view of these statistics must hide who wrote what: fewer than
/// [`MIN_PEOPLE_FOR_PER_PERSON_FIGURES`] people, unless the scope is one person the user
/// asked for by name.
pub fn hides_per_person(stats: &Stats) -> bool {
    stats.scope.participant.is_none()
        && !stats.participants.is_empty()
        && stats.participants.len() < MIN_PEOPLE_FOR_PER_PERSON_FIGURES
}

/// Whether [`anonymize_stats`] hid these statistics' per-person figures (its note says so).
pub fn per_person_hidden(stats: &Stats) -> bool {
    stats.notes.iter().any(|n| n == PER_PERSON_HIDDEN)
}

/// [`anonymize_stats`] for an access export: `keep` stays named.
pub fn anonymize_stats_except(stats: &mut Stats, a: &Anonymizer) {
    mask_stats(stats, a.pseudonyms(), &|name| a.sender(name));
}

fn mask_stats(stats: &mut Stats, p: &Pseudonyms, name: &dyn Fn(&str) -> String) {
    // A 1:1 chat is named after its other person: shown as that person is.
    let chat = |c: &str| if p.knows(c) { name(c) } else { p.mask_chat(c) };
    if let Some(c) = &stats.scope.chat {
        stats.scope.chat = Some(chat(c));
    }
    if let Some(per_chat) = &mut stats.per_chat {
        for c in per_chat.iter_mut() {
            c.chat = chat(&c.chat);
        }
        per_chat.sort_by(|a, b| {
            b.messages
                .cmp(&a.messages)
                .then_with(|| a.chat.cmp(&b.chat))
        });
    }
    if let Some(partners) = &mut stats.partners {
        for partner in partners.iter_mut() {
            partner.person = name(&partner.person);
        }
        partners.sort_by(|a, b| {
            (b.replies_to + b.replies_from)
                .cmp(&(a.replies_to + a.replies_from))
                .then_with(|| a.person.cmp(&b.person))
        });
    }
    if let Some(q) = &stats.scope.query {
        stats.scope.query = Some(p.mask_text(q));
    }
    if let Some(who) = &stats.scope.participant {
        stats.scope.participant = Some(name(who));
    }
    for person in &mut stats.participants {
        person.name = name(&person.name);
    }
    stats.participants.sort_by(|a, b| {
        b.messages
            .cmp(&a.messages)
            .then_with(|| a.name.cmp(&b.name))
    });
    for i in &mut stats.interactions {
        i.from = name(&i.from);
        i.to = name(&i.to);
    }
    stats.interactions.sort_by(|a, b| {
        b.replies
            .cmp(&a.replies)
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
    });
    stats.top_words.retain(|w| shareable_word(p, &w.word));
    stats.top_domains.retain(|d| shareable_domain(p, &d.domain));
    for note in &mut stats.notes {
        *note = p.mask_text(note);
    }
}
