//! The statistics pass. Per segment, the columns the figures need are read once; the scope
//! picks documents (a query's matches, one chat, one sender); per-message figures are summed
//! for those; then every chat that holds a picked message is laid out in time order from its
//! columns (all of its messages, not just the picked ones) for sessions, response times and
//! interactions.

mod acc;

use super::calendar;
use super::error::Error;
use super::sequence::{self, Entry, Event};
use super::{
    ChatCount, DomainCount, EmojiCount, Interaction, Kinds, MonthCount, Participant, Partner,
    Scope, Stats, WordCount, TOP,
};
use crate::index::archive::Archive;
use crate::index::columns::{dense, histogram, interned, resolve, unhistogram, Multi, NONE};
use crate::index::query::{parse_query, Names};
use crate::index::read::order_key;
use crate::index::schema::{field, secs_to_ts, Fields};
use crate::model::Kind;
use crate::people::Interner;
use crate::people::People;
use crate::timestamp::format_ts;
use acc::{Acc, SegmentTops};
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
    let mut segs = intern_segments(readers, &mut chats, &mut senders)?;
    let want = Wanted::resolve(scope, &chats, &senders)?;
    let (matches, notes) = query_matches(searcher, fields, scope, aliases, people)?;
    let mut picked = pick_and_sum(readers, fields, &mut segs, &want, matches.as_deref())?;
    let mut timelines = timelines_of(readers, &segs, &picked.touched);
    picked.acc.people.resize_with(senders.names.len(), || None);
    let walked = walk_timelines(
        &mut timelines,
        &mut picked.acc,
        senders.names.len(),
        want.across,
    );

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

/// Every segment's chat and sender ids: the scope's names must be known archive-wide before
/// any document is picked.
fn intern_segments(
    readers: &[SegmentReader],
    chats: &mut Interner,
    senders: &mut Interner,
) -> Result<Vec<Seg>, Error> {
    let mut segs = Vec::with_capacity(readers.len());
    for reader in readers {
        let ff = reader.fast_fields();
        let max_doc = reader.max_doc();
        let chat = interned(
            ff.str(field::CHAT_RAW)
                .map_err(crate::index::Error::read)?
                .as_ref(),
            max_doc,
            chats,
        )?;
        let sender = interned(
            ff.str(field::SENDER_RAW)
                .map_err(crate::index::Error::read)?
                .as_ref(),
            max_doc,
            senders,
        )?;
        segs.push(Seg {
            chat,
            sender,
            ts: Vec::new(),
            line: Vec::new(),
            selected: Vec::new(),
        });
    }
    Ok(segs)
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

/// What picking the documents in scope gathered: the per-message sums, which chats hold
/// picked messages, a person's messages per chat, and each segment's top-list tallies.
struct Picked {
    acc: Acc,
    media: super::media::MediaCounts,
    touched: Vec<bool>,
    chat_messages: Vec<u64>,
    tops: Vec<SegmentTops>,
}

/// Picks the documents in scope in every segment and sums their per-message figures.
fn pick_and_sum(
    readers: &[SegmentReader],
    fields: &Fields,
    segs: &mut [Seg],
    want: &Wanted,
    matches: Option<&[Vec<DocId>]>,
) -> Result<Picked, Error> {
    let mut picked = Picked {
        acc: Acc::default(),
        media: super::media::MediaCounts::default(),
        touched: Vec::new(),
        chat_messages: Vec::new(),
        tops: Vec::with_capacity(readers.len()),
    };
    for (ord, reader) in readers.iter().enumerate() {
        let seg = &mut segs[ord];
        let max_doc = reader.max_doc();
        let in_scope = |doc: DocId| {
            want.chat.is_none_or(|c| seg.chat[doc as usize] == c)
                && want.sender.is_none_or(|s| seg.sender[doc as usize] == s)
        };
        let selected: Vec<DocId> = match matches {
            Some(m) => m[ord].iter().copied().filter(|d| in_scope(*d)).collect(),
            None => {
                let alive = reader.alive_bitset();
                (0..max_doc)
                    .filter(|d| alive.is_none_or(|a| a.is_alive(*d)) && in_scope(*d))
                    .collect()
            }
        };
        let t = sum_segment(reader, seg, &selected, want.across, &mut picked)?;
        picked
            .media
            .add_segment(reader, fields, &selected, &seg.sender)?;
        seg.selected = selected;
        picked.tops.push(t);
    }
    Ok(picked)
}

/// Sums one segment's picked documents into `picked`; returns the segment's top-list tallies.
fn sum_segment(
    reader: &SegmentReader,
    seg: &mut Seg,
    selected: &[DocId],
    across: bool,
    picked: &mut Picked,
) -> Result<SegmentTops, Error> {
    let ff = reader.fast_fields();
    let max_doc = reader.max_doc();
    seg.ts = dense(
        &ff.i64(field::TS).map_err(crate::index::Error::read)?,
        max_doc,
        0,
    );
    seg.line = dense(
        &ff.u64(field::LINE).map_err(crate::index::Error::read)?,
        max_doc,
        0,
    );
    // Most documents wanted: decode whole columns; few: read values one by one.
    let bulk = selected.len().saturating_mul(4) >= max_doc as usize;
    let kind_col = ff.u64(field::KIND).map_err(crate::index::Error::read)?;
    let words_col = ff.u64(field::WORDS).map_err(crate::index::Error::read)?;
    let (kinds, words) = if bulk {
        (
            Some(dense(&kind_col, max_doc, 0)),
            Some(dense(&words_col, max_doc, 0)),
        )
    } else {
        (None, None)
    };
    let mut t = SegmentTops::open(reader, selected, bulk)?;
    let acc = &mut picked.acc;
    for &doc in selected {
        let d = doc as usize;
        let sender = seg.sender[d];
        if sender == NONE {
            acc.system += 1;
            continue;
        }
        let kind = match &kinds {
            Some(k) => k[d],
            None => kind_col.first(doc).unwrap_or(0),
        };
        let n_words = match &words {
            Some(w) => w[d],
            None => words_col.first(doc).unwrap_or(0),
        };
        let secs = seg.ts[d];
        acc.message(kind, secs);
        let p = acc.participant(sender);
        p.messages += 1;
        p.words += n_words;
        p.media += u64::from(kind == Kind::Media.code());
        p.deleted += u64::from(kind == Kind::Deleted.code());
        p.first = p.first.min(secs);
        p.last = p.last.max(secs);
        p.emojis += u64::from(t.emoji.add(doc));
        p.links += u64::from(t.domain.add(doc));
        t.word.add(doc);
        let chat = seg.chat[d] as usize;
        if chat >= picked.touched.len() {
            picked.touched.resize(chat + 1, false);
        }
        picked.touched[chat] = true;
        if across {
            if chat >= picked.chat_messages.len() {
                picked.chat_messages.resize(chat + 1, 0);
            }
            picked.chat_messages[chat] += 1;
        }
    }
    Ok(t)
}

/// Whole chats (those holding a picked message) in time order, for the figures that depend
/// on the message before: every alive message with a sender, picked ones marked.
fn timelines_of(readers: &[SegmentReader], segs: &[Seg], touched: &[bool]) -> Vec<Vec<Entry>> {
    let mut sizes = vec![0usize; touched.len()];
    for seg in segs {
        for &chat in &seg.chat {
            if let Some(n) = sizes.get_mut(chat as usize) {
                *n += 1;
            }
        }
    }
    let mut timelines: Vec<Vec<Entry>> = sizes
        .iter()
        .zip(touched)
        .map(|(n, t)| Vec::with_capacity(if *t { *n } else { 0 }))
        .collect();
    for (ord, reader) in readers.iter().enumerate() {
        let seg = &segs[ord];
        let alive = reader.alive_bitset();
        let mut picked = seg.selected.iter().copied().peekable();
        for doc in 0..reader.max_doc() {
            let d = doc as usize;
            let is_picked = picked.next_if_eq(&doc).is_some();
            let chat = seg.chat[d] as usize;
            let sender = seg.sender[d];
            if chat >= touched.len() || !touched[chat] || sender == NONE {
                continue;
            }
            if !is_picked && alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            timelines[chat].push(Entry {
                key: order_key(seg.ts[d], seg.line[d]),
                sender,
                selected: is_picked,
            });
        }
    }
    timelines
}

/// What walking the timelines found: who replied to whom, a person's partners, and how many
/// chats held messages in scope.
struct Walked {
    interactions: PairCounts,
    partners: Vec<PartnerAcc>,
    chats_counted: u64,
}

/// Walks each timeline in time order: sessions, replies and response times (docs/statistics.md).
fn walk_timelines(
    timelines: &mut [Vec<Entry>],
    acc: &mut Acc,
    people: usize,
    across: bool,
) -> Walked {
    let mut interactions: PairCounts = PairCounts::default();
    let mut partners: Vec<PartnerAcc> = Vec::new();
    if across {
        partners.resize_with(people, PartnerAcc::default);
    }
    let mut on_event = |e: &Entry, ev: Event| match ev {
        // Another person answering a message in scope (only walked `across`).
        Event::Reply { .. } if !e.selected => {
            if let Some(p) = partners.get_mut(e.sender as usize) {
                p.replies_from += 1;
            }
        }
        Event::SessionStart => acc.participant(e.sender).sessions_started += 1,
        Event::Reply { to, secs } => {
            let secs = secs.clamp(0, i64::from(u32::MAX)) as u32;
            acc.participant(e.sender).responses.push(secs);
            *interactions
                .entry((u64::from(e.sender) << 32) | u64::from(to))
                .or_default() += 1;
            if let Some(p) = partners.get_mut(to as usize) {
                p.replies_to += 1;
                p.responses.push(secs);
            }
        }
        Event::Continues => {}
    };
    let mut chats_counted = 0;
    for timeline in timelines.iter_mut() {
        if timeline.is_empty() {
            continue;
        }
        chats_counted += 1;
        if across {
            sequence::walk_with_answers(timeline, &mut on_event);
        } else {
            sequence::walk(timeline, &mut on_event);
        }
    }
    Walked {
        interactions,
        partners,
        chats_counted,
    }
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

struct Seg {
    chat: Vec<u32>,
    sender: Vec<u32>,
    ts: Vec<i64>,
    line: Vec<u64>,
    /// Picked documents, ascending (alive, in scope, system messages included).
    selected: Vec<DocId>,
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
