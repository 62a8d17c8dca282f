//! The statistics pass. Per segment, the columns the figures need are read once; the scope
//! picks documents (a query's matches, one chat, one sender); per-message figures are summed
//! for those; then every chat that holds a picked message is laid out in time order from its
//! columns (all of its messages, not just the picked ones) for sessions, response times and
//! interactions.

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

/// One segment's string column (emoji, domain or word) with counts by term ordinal.
struct Tally {
    col: Option<StrColumn>,
    values: Multi,
    counts: Vec<u32>,
}

impl Tally {
    /// Counts the values of `doc`; returns how many it has.
    fn add(&mut self, doc: DocId) -> u32 {
        let counts = &mut self.counts;
        self.values.each(doc, |ord| {
            if let Some(c) = counts.get_mut(ord as usize) {
                *c += 1;
            }
        })
    }
}

/// Per-segment tallies of the emoji, domain and word columns.
struct SegmentTops {
    emoji: Tally,
    domain: Tally,
    word: Tally,
}

impl SegmentTops {
    fn open(reader: &SegmentReader, selected: &[DocId], bulk: bool) -> Result<SegmentTops, Error> {
        let ff = reader.fast_fields();
        let max_doc = reader.max_doc();
        let open = |name: &str, bulk: bool| -> Result<Tally, Error> {
            let col = ff.str(name).map_err(crate::index::Error::read)?;
            Ok(Tally {
                values: Multi::open(col.as_ref(), max_doc, bulk),
                counts: vec![0u32; col.as_ref().map_or(0, |c| c.num_terms())],
                col,
            })
        };
        // Words are the biggest column and no participant figure needs them per message: when
        // most documents are picked, count the whole column and give back the others' words.
        let word = if selected.len().saturating_mul(2) >= max_doc as usize {
            let mut word = open(field::WORD, false)?;
            if let Some(col) = &word.col {
                histogram(col, &mut word.counts);
                let mut picked = selected.iter().copied().peekable();
                for doc in 0..max_doc {
                    if picked.next_if_eq(&doc).is_none() {
                        unhistogram(col, doc, &mut word.counts);
                    }
                }
            }
            // Counted already: nothing to add per message.
            word.values = Multi::Absent;
            word
        } else {
            open(field::WORD, bulk)?
        };
        Ok(SegmentTops {
            emoji: open(field::EMOJI, bulk)?,
            domain: open(field::DOMAIN, bulk)?,
            word,
        })
    }
}

/// The most frequent strings over every segment's counts: count descending, then string.
fn top_of<'a>(parts: impl Iterator<Item = &'a Tally>) -> Result<Vec<(String, u64)>, Error> {
    let mut totals: HashMap<String, u64> = HashMap::new();
    let mut single: Option<Vec<(String, u64)>> = None;
    let parts: Vec<&Tally> = parts.filter(|p| p.counts.iter().any(|c| *c > 0)).collect();
    for Tally { col, counts, .. } in &parts {
        let Some(col) = col else { continue };
        let mut nonzero: Vec<(u64, u64)> = counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(o, c)| (o as u64, u64::from(*c)))
            .collect();
        if parts.len() == 1 {
            // One segment: its ordinals are in string order, so the top needs only the few
            // strings it shows.
            nonzero.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            nonzero.truncate(TOP);
            let mut ords: Vec<u64> = nonzero.iter().map(|(o, _)| *o).collect();
            ords.sort_unstable();
            let names = resolve(col, &ords)?;
            let by_ord: HashMap<u64, String> = ords.into_iter().zip(names).collect();
            single = Some(
                nonzero
                    .into_iter()
                    .map(|(o, c)| (by_ord.get(&o).cloned().unwrap_or_default(), c))
                    .collect(),
            );
            break;
        }
        let ords: Vec<u64> = nonzero.iter().map(|(o, _)| *o).collect();
        for (name, (_, c)) in resolve(col, &ords)?.into_iter().zip(nonzero) {
            *totals.entry(name).or_default() += c;
        }
    }
    if let Some(top) = single {
        return Ok(top);
    }
    let mut all: Vec<(String, u64)> = totals.into_iter().collect();
    all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.truncate(TOP);
    Ok(all)
}

#[derive(Default)]
struct PAcc {
    messages: u64,
    words: u64,
    media: u64,
    deleted: u64,
    links: u64,
    emojis: u64,
    first: i64,
    last: i64,
    sessions_started: u64,
    responses: Vec<u32>,
}

/// Counts per day, dense over the days seen so far (a calendar span is a few thousand days).
#[derive(Default)]
struct Days {
    base: i64,
    counts: Vec<u64>,
    heat: [[u64; 24]; 7],
}

impl Days {
    fn add(&mut self, secs: i64) {
        let day = calendar::day(secs);
        self.heat[calendar::weekday(day)][calendar::hour(secs)] += 1;
        if self.counts.is_empty() {
            self.base = day;
        }
        if day < self.base {
            // Room for as many days again as held: messages out of time order cost amortized
            // O(1), not a shift of the whole table each.
            let grow = (self.base - day) as usize + self.counts.len();
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.base -= grow as i64;
        }
        let at = (day - self.base) as usize;
        if at >= self.counts.len() {
            self.counts.resize(at + 1, 0);
        }
        self.counts[at] += 1;
    }

    fn each(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (self.base + i as i64, *c))
    }
}

#[derive(Default)]
struct Acc {
    messages: u64,
    system: u64,
    kinds: [u64; Kind::ALL.len()],
    first: Option<i64>,
    last: Option<i64>,
    days: Days,
    people: Vec<Option<PAcc>>,
}

impl Acc {
    fn message(&mut self, kind: u64, secs: i64) {
        self.messages += 1;
        if let Some(k) = self.kinds.get_mut(kind as usize) {
            *k += 1;
        }
        self.first = Some(self.first.map_or(secs, |f| f.min(secs)));
        self.last = Some(self.last.map_or(secs, |l| l.max(secs)));
        self.days.add(secs);
    }

    fn participant(&mut self, sender: u32) -> &mut PAcc {
        let i = sender as usize;
        if i >= self.people.len() {
            self.people.resize_with(i + 1, || None);
        }
        self.people[i].get_or_insert_with(|| PAcc {
            first: i64::MAX,
            last: i64::MIN,
            ..PAcc::default()
        })
    }

    fn finish(
        mut self,
        scope: &Scope,
        senders: &Interner,
        interactions: PairCounts,
        tops: &[SegmentTops],
        chats: u64,
        notes: Vec<String>,
    ) -> Result<Stats, Error> {
        let ts = |secs: i64| format_ts(&secs_to_ts(secs));
        let participants = self.participants(senders);
        let heat = self.days.heat;
        let by_weekday = heat.map(|row| row.iter().sum());
        let by_hour: [u64; 24] = std::array::from_fn(|h| heat.iter().map(|row| row[h]).sum());
        let (by_month, active_days) = self.months();
        let interactions = interaction_rows(interactions, senders);
        let k = |kind: Kind| self.kinds[kind.code() as usize];
        Ok(Stats {
            scope: scope.clone(),
            messages: self.messages,
            system: self.system,
            first: self.first.map(ts),
            last: self.last.map(ts),
            active_days,
            kinds: Kinds {
                text: k(Kind::Text),
                media: k(Kind::Media),
                deleted: k(Kind::Deleted),
                poll: k(Kind::Poll),
                location: k(Kind::Location),
                call: k(Kind::Call),
                hidden: k(Kind::Hidden),
                waiting: k(Kind::Waiting),
                system: self.system + k(Kind::System),
            },
            media_types: Default::default(),
            participants,
            by_hour,
            by_weekday,
            by_weekday_hour: heat,
            by_month,
            interactions,
            top_words: top_of(tops.iter().map(|t| &t.word))?
                .into_iter()
                .map(|(word, count)| WordCount { word, count })
                .collect(),
            top_emojis: top_of(tops.iter().map(|t| &t.emoji))?
                .into_iter()
                .map(|(emoji, count)| EmojiCount { emoji, count })
                .collect(),
            top_domains: top_of(tops.iter().map(|t| &t.domain))?
                .into_iter()
                .map(|(domain, count)| DomainCount { domain, count })
                .collect(),
            chats,
            per_chat: None,
            partners: None,
            notes,
        })
    }

    /// One row per person with messages in scope, most messages first.
    fn participants(&mut self, senders: &Interner) -> Vec<Participant> {
        let ts = |secs: i64| format_ts(&secs_to_ts(secs));
        let name = |id: u32| senders.names.get(id as usize).cloned().unwrap_or_default();
        let mut participants: Vec<Participant> = Vec::new();
        for (id, p) in self.people.iter_mut().enumerate() {
            let Some(p) = p else { continue };
            if p.messages == 0 {
                continue;
            }
            let median = lower_median(&mut p.responses);
            participants.push(Participant {
                name: name(id as u32),
                messages: p.messages,
                words: p.words,
                media: p.media,
                deleted: p.deleted,
                links: p.links,
                emojis: p.emojis,
                first: Some(ts(p.first)),
                last: Some(ts(p.last)),
                sessions_started: p.sessions_started,
                median_response_secs: median,
                media_types: Default::default(),
            });
        }
        participants.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.name.cmp(&b.name)));
        participants
    }

    /// Messages per month from the first month to the last (empty months too), and the
    /// number of days with a message.
    fn months(&self) -> (Vec<MonthCount>, u64) {
        let mut months: Vec<(i64, u64)> = Vec::new();
        let mut active_days = 0;
        for (day, count) in self.days.each() {
            active_days += 1;
            let m = calendar::month_index(day);
            match months.last_mut() {
                Some((last, c)) if *last == m => *c += count,
                _ => months.push((m, count)),
            }
        }
        let by_month = match (months.first(), months.last()) {
            (Some(&(lo, _)), Some(&(hi, _))) => {
                let mut all: Vec<MonthCount> = (lo..=hi)
                    .map(|m| MonthCount {
                        month: calendar::month_label(m),
                        messages: 0,
                    })
                    .collect();
                for (m, c) in months {
                    all[(m - lo) as usize].messages += c;
                }
                all
            }
            _ => Vec::new(),
        };
        (by_month, active_days)
    }
}

/// Who replied to whom, most replies first.
fn interaction_rows(interactions: PairCounts, senders: &Interner) -> Vec<Interaction> {
    let name = |id: u32| senders.names.get(id as usize).cloned().unwrap_or_default();
    let mut rows: Vec<Interaction> = interactions
        .into_iter()
        .map(|(pair, replies)| Interaction {
            from: name((pair >> 32) as u32),
            to: name(pair as u32),
            replies,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.replies
            .cmp(&a.replies)
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
    });
    rows
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
