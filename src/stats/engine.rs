//! The statistics pass. The scope's documents are picked first, from postings (a chat's or a
//! sender's terms) and a query's matches, without decoding any column; then every chat that
//! holds a picked message is laid out in time order from its own documents (all of its
//! messages, not just the picked ones) for sessions, response times and interactions
//! (`timeline`), and its picked documents are summed on the way, only the columns the figures
//! need read and each once (`sum`, which also sums the rare documents without a chat). Big
//! passes run on every core, each thread with its own sums.

mod acc;
mod select;
mod sum;
mod timeline;

use super::calendar;
use super::error::Error;
use super::sequence::{self, Entry, Event};
use super::{
    ChatCount, DomainCount, EmojiCount, Interaction, Kinds, MonthCount, Participant, Partner,
    Scope, Stats, WordCount, TOP,
};
use crate::index::archive::Archive;
use crate::index::columns::{gather, ord_ids, resolve, NONE};
use crate::index::query::{parse_query, Names};
use crate::index::read::order_key;
use crate::index::schema::{field, secs_to_ts, Fields};
use crate::model::Kind;
use crate::people::Interner;
use crate::people::People;
use crate::timestamp::format_ts;
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// Statistics of the messages `scope` picks, from the archive's current reader.
pub fn compute(archive: &Archive, scope: &Scope) -> Result<Stats, Error> {
    compute_with_aliases(archive, scope, &[])
}

/// [`compute`], with the scope's query taking senders' aliases in `from:` (`(stored name,
/// alias)`): an anonymized view asks by pseudonym (see `Names::with_aliases`).
pub fn compute_with_aliases(
    archive: &Archive,
    scope: &Scope,
    aliases: &[(String, String)],
) -> Result<Stats, Error> {
    let people = People::load(&archive.dir)?;
    compute_on_with_aliases(
        &archive.searcher(),
        &archive.fields,
        scope,
        aliases,
        &people,
    )
}

/// [`compute`] on a given searcher (one consistent view of the archive), with no merged
/// people.
pub fn compute_on(searcher: &Searcher, fields: &Fields, scope: &Scope) -> Result<Stats, Error> {
    compute_on_with_aliases(searcher, fields, scope, &[], &People::default())
}

fn compute_on_with_aliases(
    searcher: &Searcher,
    fields: &Fields,
    scope: &Scope,
    aliases: &[(String, String)],
    people: &People,
) -> Result<Stats, Error> {
    let readers = searcher.segment_readers();
    let mut chats = Interner::keyed(|name| crate::fold::text(name).into_owned());
    // One participant per person: every name merged into a person, and the spellings
    // `forget` and `from:` take as one name.
    let mut senders = Interner::of_people(people.clone());
    let segs = readers
        .iter()
        .map(|r| select::SegIds::open(r, &mut chats, &mut senders))
        .collect::<Result<Vec<_>, Error>>()?;
    let want = Wanted::resolve(scope, &chats, &senders)?;
    let (matches, notes) = query_matches(searcher, fields, scope, aliases, people)?;
    let selections = select::select(readers, fields, &segs, &want, matches)?;
    let (chats_in_scope, without_chat) = select::chats_in_scope(readers, &segs, &selections);
    let cols = readers
        .iter()
        .zip(&segs)
        .zip(without_chat.iter().zip(&selections))
        .map(|((r, ids), (rest, all))| sum::SegCols::open(r, fields, ids, rest, all))
        .collect::<Result<Vec<_>, Error>>()?;
    let mut sums = sum::sum(&cols, want.across)?;
    let walked = timeline::walk_chats(
        &timeline::Segments {
            cols: &cols,
            fields,
            selections: &selections,
        },
        &chats_in_scope,
        &mut sums,
        senders.names.len(),
        want.across,
    )?;
    let mut picked = sums.into_picked(&cols);
    picked.acc.people.resize_with(senders.names.len(), || None);

    let mut stats = picked.acc.finish(
        scope,
        &senders,
        walked.interactions,
        &picked.tops,
        walked.chats_counted,
        notes,
    )?;
    picked.media.finish(&mut stats, &senders);
    if want.across {
        stats.per_chat = Some(per_chat(&picked.chat_messages, &chats));
        stats.partners = Some(partner_rows(walked.partners, &senders));
    }
    Ok(stats)
}

/// The chat and the person a scope asks for, as interned ids.
struct Wanted {
    chat: Option<u32>,
    sender: Option<u32>,
    /// One person across every chat: their chats and their partners are figured too.
    across: bool,
}

impl Wanted {
    fn resolve(scope: &Scope, chats: &Interner, senders: &Interner) -> Result<Wanted, Error> {
        let chat = match &scope.chat {
            Some(name) => Some(
                chats
                    .get(name)
                    .ok_or_else(|| Error::NoChat { name: name.clone() })?,
            ),
            None => None,
        };
        let sender = match &scope.participant {
            Some(name) => Some(
                senders
                    .get(name)
                    .ok_or_else(|| Error::NoParticipant { name: name.clone() })?,
            ),
            None => None,
        };
        Ok(Wanted {
            chat,
            sender,
            across: sender.is_some() && chat.is_none(),
        })
    }
}

/// Document ids per segment, in segment order.
type PerSegment = Vec<Vec<DocId>>;

/// The documents a scope's query matches, per segment (`None`: no query, every document),
/// and the query's notes (parts it read leniently).
fn query_matches(
    searcher: &Searcher,
    fields: &Fields,
    scope: &Scope,
    aliases: &[(String, String)],
    people: &People,
) -> Result<(Option<PerSegment>, Vec<String>), Error> {
    let Some(q) = scope.query.as_deref().filter(|q| !q.trim().is_empty()) else {
        return Ok((None, Vec::new()));
    };
    let names = people.group(
        Names::from_searcher(searcher)
            .map_err(crate::index::Error::read)?
            .with_aliases(aliases),
    );
    let parsed = parse_query(q, fields, &names);
    let mut per_segment = searcher
        .search(&*parsed.query, &DocIds)
        .map_err(crate::index::Error::read)?;
    per_segment.resize(searcher.segment_readers().len(), Vec::new());
    Ok((Some(per_segment), parsed.notes))
}

/// What a person's partner did with them: replies both ways, the person's response times.
#[derive(Default)]
struct PartnerAcc {
    replies_to: u64,
    replies_from: u64,
    responses: Vec<u32>,
}

/// A person's messages per chat (ids of `chats`), most first, then by chat name.
fn per_chat(counts: &[u64], chats: &Interner) -> Vec<ChatCount> {
    let mut rows: Vec<ChatCount> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(id, n)| ChatCount {
            chat: chats.names.get(id).cloned().unwrap_or_default(),
            messages: *n,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.messages
            .cmp(&a.messages)
            .then_with(|| a.chat.cmp(&b.chat))
    });
    rows
}

/// A person's partners (ids of `senders`) with a reply either way, most replies (both ways)
/// first, then by name.
fn partner_rows(partners: Vec<PartnerAcc>, senders: &Interner) -> Vec<Partner> {
    let mut rows: Vec<Partner> = partners
        .into_iter()
        .enumerate()
        .filter(|(_, p)| p.replies_to + p.replies_from > 0)
        .map(|(id, mut p)| Partner {
            person: senders.names.get(id).cloned().unwrap_or_default(),
            replies_to: p.replies_to,
            replies_from: p.replies_from,
            median_response_secs: lower_median(&mut p.responses),
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.replies_to + b.replies_from)
            .cmp(&(a.replies_to + a.replies_from))
            .then_with(|| a.person.cmp(&b.person))
    });
    rows
}

/// The median of response times, the lower of the two middle values for an even count
/// (docs/statistics.md); `None` for none.
fn lower_median(times: &mut [u32]) -> Option<u64> {
    if times.is_empty() {
        return None;
    }
    let mid = (times.len() - 1) / 2;
    Some(u64::from(*times.select_nth_unstable(mid).1))
}

/// Reply counts by (from << 32 | to).
type PairCounts = HashMap<u64, u64, std::hash::BuildHasherDefault<MixHasher>>;

/// A fast hasher for the u64 pair keys above (a multiply and a fold; no need for SipHash's
/// flood resistance on ids we made).
#[derive(Default)]
struct MixHasher(u64);

impl std::hash::Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let m = u128::from(self.0 ^ n) * 0x9E37_79B9_7F4A_7C15_u128;
        self.0 = (m as u64) ^ ((m >> 64) as u64);
    }
}

/// Collects the matching documents of each segment, ascending.
struct DocIds;

struct SegmentDocIds {
    segment: SegmentOrdinal,
    docs: Vec<DocId>,
}

impl Collector for DocIds {
    type Fruit = Vec<Vec<DocId>>;
    type Child = SegmentDocIds;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentDocIds> {
        Ok(SegmentDocIds {
            segment,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(SegmentOrdinal, Vec<DocId>)>,
    ) -> tantivy::Result<Vec<Vec<DocId>>> {
        let mut out: Vec<Vec<DocId>> = Vec::new();
        for (segment, mut docs) in fruits {
            let i = segment as usize;
            if i >= out.len() {
                out.resize(i + 1, Vec::new());
            }
            if !docs.is_sorted() {
                docs.sort_unstable();
                docs.dedup();
            }
            out[i] = docs;
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentDocIds {
    type Fruit = (SegmentOrdinal, Vec<DocId>);

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.docs.push(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.docs.extend_from_slice(docs);
    }

    fn harvest(self) -> (SegmentOrdinal, Vec<DocId>) {
        (self.segment, self.docs)
    }
}

/// Resolves a user-typed participant name: exact, else case-insensitive, else a unique part.
pub fn resolve_participant(archive: &Archive, given: &str) -> Result<String, Error> {
    let mut names: Vec<String> = Vec::new();
    for reader in archive.searcher().segment_readers() {
        if let Some(col) = reader
            .fast_fields()
            .str(field::SENDER_RAW)
            .map_err(crate::index::Error::read)?
        {
            names.extend(crate::index::read::ordinal_names(&col)?);
        }
    }
    names.retain(|n| !n.is_empty());
    names.sort();
    names.dedup();
    if names.iter().any(|n| n == given) {
        return Ok(given.to_string());
    }
    // Names compare as everywhere else (case, accents, compatibility forms folded): every
    // spelling of one person is that person, and statistics count them together.
    let key = crate::privacy::pseudonym::normalise_name;
    let wanted = key(given);
    if let Some(same) = names.iter().find(|n| key(n) == wanted) {
        return Ok(same.clone());
    }
    let mut partial: Vec<&String> = names.iter().filter(|n| key(n).contains(&wanted)).collect();
    // Several spellings of one person are one match.
    let mut people = std::collections::HashSet::new();
    partial.retain(|n| people.insert(key(n)));
    match partial.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::NoParticipantLike {
            given: given.to_string(),
        }),
        many => Err(Error::ManyParticipants {
            given: given.to_string(),
            count: many.len(),
            shown: many.iter().take(8).map(|n| (*n).clone()).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use acc::Days;

    #[test]
    fn days_in_any_order() {
        let mut days = Days::default();
        let secs = [50, 3, 3, 1_000, 0, -2, 50].map(|d: i64| d * calendar::SECS_PER_DAY + 7_200);
        for s in secs {
            days.add(s);
        }
        let got: Vec<(i64, u64)> = days.each().collect();
        assert_eq!(got, vec![(-2, 1), (0, 1), (3, 2), (50, 2), (1_000, 1)]);
        assert_eq!(days.heat.iter().map(|r| r[2]).sum::<u64>(), 7);
    }
}
