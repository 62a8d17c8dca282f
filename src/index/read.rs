//! Reading the archive back: stored messages, the chat list from fast fields, and a chat's
//! messages in time order a page at a time (never the whole chat in memory).

use super::archive::Archive;
use super::collect::by_time;
use super::columns;
use super::error::Error;
use super::schema::{field, secs_to_ts, Fields};
use crate::model::{Kind, Message};
use crate::timestamp::format_ts;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::{DocAddress, DocId, SegmentReader, TantivyDocument, Term};

/// A stored message with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredMessage {
    #[serde(flatten)]
    pub message: Message,
    #[serde(skip)]
    pub secs: i64,
    #[serde(skip)]
    pub line: u64,
}

/// Loads one stored message. For many, a [`Loader`] opens each segment's columns once.
pub fn load(
    archive: &Archive,
    searcher: &tantivy::Searcher,
    addr: DocAddress,
) -> Result<StoredMessage, Error> {
    Loader::new(archive, searcher).load(addr)
}

/// Reads stored messages back: the texts from the store, the numbers (id, time, line, kind,
/// edited) and the chat and sender names from their fast fields, where archives made since 0.2
/// keep them alone; an older archive has them stored too, and they are taken from there
/// (`schema::SCHEMA_VERSION`).
pub struct Loader<'s> {
    fields: Fields,
    searcher: &'s tantivy::Searcher,
    /// Each segment's columns, opened the first time one of its messages is loaded.
    columns: Vec<Option<NumberColumns>>,
}

/// The fast fields a message's numbers and names are read from, in one segment.
struct NumberColumns {
    id: tantivy::columnar::Column<u64>,
    ts: tantivy::columnar::Column<i64>,
    line: tantivy::columnar::Column<u64>,
    kind: tantivy::columnar::Column<u64>,
    edited: tantivy::columnar::Column<u64>,
    chat: NameColumn,
    sender: NameColumn,
}

impl NumberColumns {
    fn open(segment: &SegmentReader) -> Result<NumberColumns, Error> {
        let fast = segment.fast_fields();
        Ok(NumberColumns {
            id: fast.u64(field::ID).map_err(Error::read)?,
            ts: fast.i64(field::TS).map_err(Error::read)?,
            line: fast.u64(field::LINE).map_err(Error::read)?,
            kind: fast.u64(field::KIND).map_err(Error::read)?,
            edited: fast.u64(field::EDITED).map_err(Error::read)?,
            chat: NameColumn::open(segment, field::CHAT_RAW)?,
            sender: NameColumn::open(segment, field::SENDER_RAW)?,
        })
    }

    fn numbers(&self, doc: DocId) -> Numbers {
        Numbers {
            id: self.id.first(doc).unwrap_or(0),
            secs: self.ts.first(doc).unwrap_or(0),
            line: self.line.first(doc).unwrap_or(0),
            kind: self.kind.first(doc).unwrap_or(0),
            edited: self.edited.first(doc).unwrap_or(0),
        }
    }
}

/// A name column (chat or sender) of one segment, with the names read so far by ordinal (a
/// segment holds few chats and senders, and a page or an export asks for the same ones again
/// and again).
struct NameColumn {
    column: Option<tantivy::columnar::StrColumn>,
    names: Vec<Option<String>>,
}

impl NameColumn {
    fn open(segment: &SegmentReader, name: &str) -> Result<NameColumn, Error> {
        let column = segment.fast_fields().str(name).map_err(Error::read)?;
        Ok(NameColumn {
            column,
            names: Vec::new(),
        })
    }

    /// The name of document `doc`; `None` when it has none (a system message's sender).
    fn name(&mut self, doc: DocId) -> Result<Option<String>, Error> {
        let Some(column) = &self.column else {
            return Ok(None);
        };
        let Some(ord) = column.term_ords(doc).next() else {
            return Ok(None);
        };
        let slot = ord as usize;
        if self.names.len() <= slot {
            self.names.resize(slot + 1, None);
        }
        if self.names[slot].is_none() {
            let mut name = String::new();
            column.ord_to_str(ord, &mut name).map_err(Error::read)?;
            self.names[slot] = Some(name);
        }
        Ok(self.names[slot].clone())
    }
}

/// A message's numbers, wherever they were read from.
struct Numbers {
    id: u64,
    secs: i64,
    line: u64,
    kind: u64,
    edited: u64,
}

impl<'s> Loader<'s> {
    pub fn new(archive: &Archive, searcher: &'s tantivy::Searcher) -> Loader<'s> {
        Loader {
            fields: archive.fields,
            searcher,
            columns: Vec::new(),
        }
    }

    pub fn load(&mut self, addr: DocAddress) -> Result<StoredMessage, Error> {
        let doc: TantivyDocument = self.searcher.doc(addr).map_err(Error::read)?;
        let f = self.fields;
        let numbers = match stored_numbers(&f, &doc) {
            Some(numbers) => numbers,
            None => self.columns_of(addr.segment_ord)?.numbers(addr.doc_id),
        };
        let chat = match text_of(&doc, f.chat_raw) {
            Some(chat) => chat,
            None => (self.columns_of(addr.segment_ord)?.chat)
                .name(addr.doc_id)?
                .unwrap_or_default(),
        };
        let sender = match text_of(&doc, f.sender_raw) {
            Some(sender) => Some(sender),
            None => self
                .columns_of(addr.segment_ord)?
                .sender
                .name(addr.doc_id)?,
        };
        Ok(from_parts(&f, &doc, chat, sender, numbers))
    }

    fn columns_of(&mut self, segment_ord: u32) -> Result<&mut NumberColumns, Error> {
        let ord = segment_ord as usize;
        if self.columns.len() <= ord {
            self.columns.resize_with(ord + 1, || None);
        }
        let slot = &mut self.columns[ord];
        if slot.is_none() {
            *slot = Some(NumberColumns::open(
                self.searcher.segment_reader(segment_ord),
            )?);
        }
        slot.as_mut()
            .ok_or_else(|| Error::read("a segment's columns"))
    }
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
}

fn u64_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

/// The numbers an archive made before 0.2 stored with each message; `None` for newer ones.
fn stored_numbers(f: &Fields, doc: &TantivyDocument) -> Option<Numbers> {
    let secs = doc
        .get_first(f.ts)
        .and_then(|v| match OwnedValue::from(v) {
            OwnedValue::I64(i) => Some(i),
            _ => None,
        })?;
    Some(Numbers {
        id: u64_of(doc, f.id),
        secs,
        line: u64_of(doc, f.line),
        kind: u64_of(doc, f.kind),
        edited: u64_of(doc, f.edited),
    })
}

fn from_parts(
    f: &Fields,
    doc: &TantivyDocument,
    chat: String,
    sender: Option<String>,
    n: Numbers,
) -> StoredMessage {
    let sender = sender.filter(|s| !s.is_empty());
    StoredMessage {
        message: Message {
            id: format!("{:016x}", n.id),
            chat,
            ts: format_ts(&secs_to_ts(n.secs)),
            sender,
            kind: Kind::from_code(n.kind),
            text: text_of(doc, f.text).unwrap_or_default(),
            attachment: text_of(doc, f.file),
            edited: n.edited != 0,
        },
        secs: n.secs,
        line: n.line,
    }
}

/// One line of `whatscope chats`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatSummary {
    pub chat: String,
    pub messages: u64,
    pub system: u64,
    pub participants: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// Every chat with its counts, from fast fields only.
pub fn chats(archive: &Archive) -> Result<Vec<ChatSummary>, Error> {
    #[derive(Default)]
    struct Acc {
        messages: u64,
        system: u64,
        senders: HashSet<String>,
        first: Option<i64>,
        last: Option<i64>,
    }
    let searcher = archive.searcher();
    let mut segments = Vec::new();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let (Some(chat), Some(sender)) = (
            ff.str(field::CHAT_RAW).map_err(Error::read)?,
            ff.str(field::SENDER_RAW).map_err(Error::read)?,
        ) else {
            continue;
        };
        let ts = ff.i64(field::TS).map_err(Error::read)?;
        let chat_names = ordinal_names(&chat)?;
        let sender_names = ordinal_names(&sender)?;
        let cols = ChatColumns {
            segment,
            chat,
            sender,
            ts,
            is_system: sender_names.iter().map(|n| n.is_empty()).collect(),
        };
        segments.push((cols, chat_names, sender_names));
    }
    let tallies = SegmentChats::count_all(segments.iter().map(|(cols, ..)| cols).collect());

    let mut acc: BTreeMap<String, Acc> = BTreeMap::new();
    for ((_, chat_names, sender_names), tally) in segments.iter().zip(tallies) {
        for (ord, t) in tally.chats.iter().enumerate() {
            let (Some(chat), true) = (chat_names.get(ord), t.messages + t.system > 0) else {
                continue;
            };
            let a = acc.entry(chat.clone()).or_default();
            a.messages += t.messages;
            a.system += t.system;
            for sender in tally.senders.of(ord) {
                if let Some(name) = sender_names.get(sender) {
                    if !a.senders.contains(name) {
                        a.senders.insert(name.clone());
                    }
                }
            }
            let (first, last) = t.span();
            a.first = earliest(a.first, first);
            a.last = a.last.max(last);
        }
    }
    Ok(acc
        .into_iter()
        .map(|(chat, a)| ChatSummary {
            chat,
            messages: a.messages,
            system: a.system,
            participants: a.senders.len() as u64,
            first: a.first.map(|s| format_ts(&secs_to_ts(s))),
            last: a.last.map(|s| format_ts(&secs_to_ts(s))),
        })
        .collect())
}

/// One segment's chats by chat ordinal: counts, time span and who wrote. Built from the
/// columns decoded a block at a time, with no string touched per document, and the segments
/// (a big one in halves) counted on every core: the chat list is the TUI's first frame, and an
/// archive of 10 M messages has to list its chats in well under 100 ms (docs/performance.md,
/// "10 M messages").
struct SegmentChats {
    chats: Vec<ChatTally>,
    senders: PairSet,
}

#[derive(Clone)]
struct ChatTally {
    messages: u64,
    system: u64,
    /// Over the messages with a sender only, as the chat list shows them; `i64::MAX` and
    /// `i64::MIN` while there is none (no branch per document).
    first: i64,
    last: i64,
}

impl Default for ChatTally {
    fn default() -> Self {
        ChatTally {
            messages: 0,
            system: 0,
            first: i64::MAX,
            last: i64::MIN,
        }
    }
}

impl ChatTally {
    fn span(&self) -> (Option<i64>, Option<i64>) {
        let seen = self.first <= self.last;
        (seen.then_some(self.first), seen.then_some(self.last))
    }
}

/// The columns of one segment that the chat list reads.
struct ChatColumns<'a> {
    segment: &'a SegmentReader,
    chat: tantivy::columnar::StrColumn,
    sender: tantivy::columnar::StrColumn,
    ts: tantivy::columnar::Column<i64>,
    /// By sender ordinal: the empty name, a system message's.
    is_system: Vec<bool>,
}

/// A segment with at least this many documents is counted in two halves, so that one big
/// segment (a merged archive) still keeps two cores busy.
const SPLIT_DOCS: u32 = 1 << 20;

impl SegmentChats {
    /// Each segment's tally, in the order given. The work (segments, a big one in halves)
    /// is shared out over the cores: a 10 M-message import leaves some twenty segments.
    fn count_all(segments: Vec<&ChatColumns>) -> Vec<SegmentChats> {
        let mut work: Vec<(usize, std::ops::Range<DocId>)> = Vec::new();
        for (i, cols) in segments.iter().enumerate() {
            let max_doc = cols.segment.max_doc();
            if max_doc < SPLIT_DOCS {
                work.push((i, 0..max_doc));
            } else {
                work.push((i, 0..max_doc / 2));
                work.push((i, max_doc / 2..max_doc));
            }
        }
        let count = |(i, range): &(usize, std::ops::Range<DocId>)| {
            SegmentChats::count_range(segments[*i], range.clone())
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let counted: Vec<SegmentChats> = if threads < 2 || work.len() < 2 {
            work.iter().map(count).collect()
        } else {
            let next = std::sync::atomic::AtomicUsize::new(0);
            let done = std::sync::Mutex::new(Vec::with_capacity(work.len()));
            std::thread::scope(|scope| {
                for _ in 0..threads.min(work.len()) {
                    scope.spawn(|| loop {
                        let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(unit) = work.get(n) else { break };
                        let tally = count(unit);
                        // Counting does not panic, so the lock is never poisoned; if it
                        // were, the tallies inside are still whole.
                        done.lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push((n, tally));
                    });
                }
            });
            let mut done = done
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            done.sort_by_key(|(n, _)| *n);
            done.into_iter().map(|(_, tally)| tally).collect()
        };
        // Halves of one segment are next to each other in `work`: add them up.
        let mut out: Vec<SegmentChats> = Vec::with_capacity(segments.len());
        let mut last = None;
        for ((i, _), tally) in work.iter().zip(counted) {
            match out.last_mut() {
                Some(prev) if last == Some(*i) => prev.add(tally),
                _ => out.push(tally),
            }
            last = Some(*i);
        }
        out
    }

    fn count_range(cols: &ChatColumns, range: std::ops::Range<DocId>) -> SegmentChats {
        let mut out = SegmentChats {
            chats: vec![ChatTally::default(); cols.chat.num_terms()],
            senders: PairSet::new(cols.chat.num_terms(), cols.is_system.len()),
        };
        let alive = cols.segment.alive_bitset();
        let (mut chats, mut senders, mut times) = (Vec::new(), Vec::new(), Vec::new());
        let mut start = range.start;
        while start < range.end {
            let docs = start..start.saturating_add(DECODE_BLOCK).min(range.end);
            columns::dense_range(cols.chat.ords(), docs.clone(), NO_ORD, &mut chats);
            columns::dense_range(cols.sender.ords(), docs.clone(), NO_ORD, &mut senders);
            columns::dense_range(&cols.ts, docs.clone(), NO_TIME, &mut times);
            let rows = chats.iter().zip(&senders).zip(&times).enumerate();
            for (i, ((&chat, &sender), &ts)) in rows {
                if alive.is_some_and(|a| !a.is_alive(docs.start + i as DocId)) {
                    continue;
                }
                let Some(t) = out.chats.get_mut(chat as usize) else {
                    continue;
                };
                if cols.is_system.get(sender as usize).copied().unwrap_or(true) {
                    t.system += 1;
                    continue;
                }
                t.messages += 1;
                if ts != NO_TIME {
                    t.first = t.first.min(ts);
                    t.last = t.last.max(ts);
                }
                out.senders.insert(chat as usize, sender as usize);
            }
            start = docs.end;
        }
        out
    }

    /// Adds the tally of another part of the same segment.
    fn add(&mut self, other: SegmentChats) {
        for (t, o) in self.chats.iter_mut().zip(other.chats) {
            t.messages += o.messages;
            t.system += o.system;
            t.first = t.first.min(o.first);
            t.last = t.last.max(o.last);
        }
        for chat in 0..self.chats.len() {
            for sender in other.senders.of(chat) {
                self.senders.insert(chat, sender);
            }
        }
    }
}

fn earliest(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Documents decoded at a time: small buffers, whatever the segment's size.
const DECODE_BLOCK: u32 = 4096;
/// A document without a value in an ordinal column.
const NO_ORD: u64 = u64::MAX;
/// A document without a timestamp.
const NO_TIME: i64 = i64::MIN;

/// Which (chat, sender) ordinal pairs occur in a segment: a bit per pair while that takes
/// little memory (hundreds of chats and people: a few kilobytes), else a set per chat.
enum PairSet {
    Bits { senders: usize, bits: Vec<u64> },
    Sets(HashMap<usize, HashSet<usize>>),
}

impl PairSet {
    /// Most bits kept as a bit set: 32 MiB.
    const MAX_BITS: usize = 1 << 28;

    fn new(chats: usize, senders: usize) -> PairSet {
        match chats.checked_mul(senders) {
            Some(bits) if bits <= Self::MAX_BITS => PairSet::Bits {
                senders,
                bits: vec![0; bits.div_ceil(64)],
            },
            _ => PairSet::Sets(HashMap::new()),
        }
    }

    fn insert(&mut self, chat: usize, sender: usize) {
        match self {
            PairSet::Bits { senders, bits } => {
                let i = chat * *senders + sender;
                if let Some(word) = bits.get_mut(i / 64) {
                    *word |= 1 << (i % 64);
                }
            }
            PairSet::Sets(sets) => {
                sets.entry(chat).or_default().insert(sender);
            }
        }
    }

    /// The senders seen in `chat`.
    fn of(&self, chat: usize) -> Vec<usize> {
        match self {
            PairSet::Bits { senders, bits } => (0..*senders)
                .filter(|s| {
                    let i = chat * *senders + s;
                    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
                })
                .collect(),
            PairSet::Sets(sets) => sets
                .get(&chat)
                .map_or_else(Vec::new, |set| set.iter().copied().collect()),
        }
    }
}

/// The strings of a dictionary-encoded column, by ordinal.
pub fn ordinal_names(col: &tantivy::columnar::StrColumn) -> Result<Vec<String>, Error> {
    let mut names = Vec::with_capacity(col.num_terms());
    let mut buf = String::new();
    for ord in 0..col.num_terms() as u64 {
        buf.clear();
        col.ord_to_str(ord, &mut buf).map_err(Error::read)?;
        names.push(buf.clone());
    }
    Ok(names)
}

/// Time order within the archive: timestamp, then line in the export. Packed into one u64 so
/// tantivy's top-k collector can sort on it.
pub fn order_key(secs: i64, line: u64) -> u64 {
    let t = (secs.saturating_add(1 << 38)).clamp(0, (1 << 39) - 1) as u64;
    (t << 24) | line.min((1 << 24) - 1)
}

/// A query for one chat's messages (exact name).
pub fn chat_query(f: &Fields, chat: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(f.chat_raw, chat),
        IndexRecordOption::Basic,
    ))
}

/// `whatscope log`: a chat's messages in time order, from `after` (inclusive) on.
pub fn log(
    archive: &Archive,
    chat: &str,
    after: Option<i64>,
    limit: usize,
    offset: usize,
) -> Result<Vec<StoredMessage>, Error> {
    let f = &archive.fields;
    let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, chat_query(f, chat))];
    if let Some(after) = after {
        parts.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.ts, after)),
                Bound::Unbounded,
            )),
        ));
    }
    let query = BooleanQuery::new(parts);
    let searcher = archive.searcher();
    let hits = searcher
        .search(&query, &by_time(limit, offset, true))
        .map_err(Error::read)?;
    let mut loader = Loader::new(archive, &searcher);
    hits.into_iter()
        .map(|(_, addr)| loader.load(addr))
        .collect()
}

/// Resolves a user-typed chat name: exact, else as names compare (case, accents and
/// compatibility forms folded, `crate::fold::name`), else a unique substring of that.
pub fn resolve_chat(archive: &Archive, given: &str) -> Result<String, Error> {
    let all = chats(archive)?;
    if all.iter().any(|c| c.chat == given) {
        return Ok(given.to_string());
    }
    let wanted = crate::fold::name(given);
    let ci: Vec<&ChatSummary> = all
        .iter()
        .filter(|c| crate::fold::name(&c.chat) == wanted)
        .collect();
    if let [one] = ci.as_slice() {
        return Ok(one.chat.clone());
    }
    let partial: Vec<&ChatSummary> = all
        .iter()
        .filter(|c| crate::fold::name(&c.chat).contains(&wanted))
        .collect();
    match partial.as_slice() {
        [one] => Ok(one.chat.clone()),
        [] => Err(Error::NoChat {
            given: given.to_string(),
        }),
        many => Err(Error::ManyChats {
            given: given.to_string(),
            matches: many.iter().map(|c| c.chat.clone()).collect(),
        }),
    }
}

/// Number of messages a query matches.
pub fn count(archive: &Archive, query: &dyn Query) -> Result<usize, Error> {
    archive
        .searcher()
        .search(query, &tantivy::collector::Count)
        .map_err(Error::read)
}

/// Every message of the archive (for small exports and tests).
pub fn all_query() -> Box<dyn Query> {
    Box::new(AllQuery)
}

#[cfg(test)]
mod tests {
    use super::PairSet;

    /// Both forms of the set answer the same: the bit set for the usual archive, the sets per
    /// chat where chats × senders would take too many bits.
    #[test]
    fn pair_sets_of_both_forms_agree() {
        let pairs = [(0, 3), (2, 0), (2, 5), (0, 3), (1, 7)];
        let bits = PairSet::new(3, 8);
        let sets = PairSet::new(PairSet::MAX_BITS, 2);
        assert!(matches!(bits, PairSet::Bits { .. }));
        assert!(matches!(sets, PairSet::Sets(_)));
        for mut set in [bits, sets] {
            for (chat, sender) in pairs {
                set.insert(chat, sender);
            }
            let mut two = set.of(2);
            two.sort_unstable();
            assert_eq!((set.of(0), set.of(1), two), (vec![3], vec![7], vec![0, 5]));
        }
    }
}
