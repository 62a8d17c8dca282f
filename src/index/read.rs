//! Reading the archive back: stored messages, the chat list from fast fields, and a chat's
//! messages in time order a page at a time (never the whole chat in memory).

use super::archive::Archive;
use super::error::Error;
use super::schema::{field, secs_to_ts, Fields};
use crate::model::{Kind, Message};
use crate::timestamp::format_ts;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::ops::Bound;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::{DocAddress, DocId, Score, SegmentReader, TantivyDocument, Term};

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

/// Loads one stored message.
pub fn load(
    archive: &Archive,
    searcher: &tantivy::Searcher,
    addr: DocAddress,
) -> Result<StoredMessage, Error> {
    let doc: TantivyDocument = searcher.doc(addr).map_err(Error::read)?;
    Ok(from_doc(&archive.fields, &doc))
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
}

fn u64_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

pub fn from_doc(f: &Fields, doc: &TantivyDocument) -> StoredMessage {
    let secs = doc
        .get_first(f.ts)
        .and_then(|v| match OwnedValue::from(v) {
            OwnedValue::I64(i) => Some(i),
            _ => None,
        })
        .unwrap_or(0);
    let sender = text_of(doc, f.sender_raw).filter(|s| !s.is_empty());
    StoredMessage {
        message: Message {
            id: format!("{:016x}", u64_of(doc, f.id)),
            chat: text_of(doc, f.chat_raw).unwrap_or_default(),
            ts: format_ts(&secs_to_ts(secs)),
            sender,
            kind: Kind::from_code(u64_of(doc, f.kind)),
            text: text_of(doc, f.text).unwrap_or_default(),
            attachment: text_of(doc, f.file),
            edited: u64_of(doc, f.edited) != 0,
        },
        secs,
        line: u64_of(doc, f.line),
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
    let mut acc: BTreeMap<String, Acc> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let (Some(chat_col), Some(sender_col)) = (
            ff.str(field::CHAT_RAW).map_err(Error::read)?,
            ff.str(field::SENDER_RAW).map_err(Error::read)?,
        ) else {
            continue;
        };
        let ts_col = ff.i64(field::TS).map_err(Error::read)?;
        let chat_names = ordinal_names(&chat_col)?;
        let sender_names = ordinal_names(&sender_col)?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let Some(chat_ord) = chat_col.term_ords(doc).next() else {
                continue;
            };
            let chat = &chat_names[chat_ord as usize];
            let a = acc.entry(chat.clone()).or_default();
            let sender = sender_col
                .term_ords(doc)
                .next()
                .map(|o| sender_names[o as usize].as_str())
                .unwrap_or("");
            if sender.is_empty() {
                a.system += 1;
                continue;
            }
            a.messages += 1;
            if !a.senders.contains(sender) {
                a.senders.insert(sender.to_string());
            }
            if let Some(ts) = ts_col.first(doc) {
                a.first = Some(a.first.map_or(ts, |f| f.min(ts)));
                a.last = Some(a.last.map_or(ts, |l| l.max(ts)));
            }
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

/// A collector of the `limit` first documents in time order (ascending) or the last ones
/// (descending), skipping `offset`.
pub fn by_time(
    limit: usize,
    offset: usize,
    ascending: bool,
) -> impl tantivy::collector::Collector<Fruit = Vec<(u64, DocAddress)>> {
    TopDocs::with_limit(limit.max(1))
        .and_offset(offset)
        .tweak_score(move |segment: &SegmentReader| {
            let ts = segment.fast_fields().i64(field::TS).ok();
            let line = segment.fast_fields().u64(field::LINE).ok();
            move |doc: DocId, _score: Score| {
                let secs = ts.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                let l = line.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                let key = order_key(secs, l);
                if ascending {
                    u64::MAX - key
                } else {
                    key
                }
            }
        })
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
    hits.into_iter()
        .map(|(_, addr)| load(archive, &searcher, addr))
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
