//! The per-message sums: the columns the figures need, read only for the picked documents.
//! Documents of a chat are summed while their chat is walked (`timeline`, which reads their
//! sender and time anyway); this pass sums the rest (documents without a chat), a block at a
//! time, big selections on every core, each thread with its own sums, merged at the end.

use super::acc::{Acc, Tally};
use super::select::{SegIds, Selection};
use super::*;
use crate::index::columns::{gather, MultiBatch};
use crate::stats::media::{MediaCounts, SegmentMedia};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use tantivy::columnar::Column;

/// Documents per block read at once.
const BLOCK: u32 = 4096;
/// Word values per block of a whole-column count.
const ROW_BLOCK: u32 = 1 << 20;
/// Below this many documents to read, one thread does it all.
const SPLIT_DOCS: usize = 200_000;

/// What summing the documents in scope gathered: the per-message sums, a person's messages
/// per chat, and each segment's top-list tallies.
pub(super) struct Picked {
    pub(super) acc: Acc,
    pub(super) media: MediaCounts,
    pub(super) chat_messages: Vec<u64>,
    pub(super) tops: Vec<SegmentTops>,
}

/// Per-segment tallies of the emoji, domain and word columns.
pub(super) struct SegmentTops {
    pub(super) emoji: Tally,
    pub(super) domain: Tally,
    pub(super) word: Tally,
}

/// One segment's columns the sums read, the documents this pass sums itself (`selection`)
/// and all those in scope (`picked`, the others summed by the timeline).
pub(super) struct SegCols<'a> {
    pub(super) reader: &'a SegmentReader,
    pub(super) ids: &'a SegIds,
    selection: &'a Selection,
    picked: &'a Selection,
    pub(super) ts: Column<i64>,
    /// Read by the timeline only: the order of messages of one minute.
    pub(super) line: Column<u64>,
    kind: Column<u64>,
    words: Column<u64>,
    emoji: Option<StrColumn>,
    domain: Option<StrColumn>,
    word: Option<StrColumn>,
    media: SegmentMedia,
    /// Most documents picked: the word column is counted whole here, then the others' words
    /// given back (no participant figure needs words per message), and no one counts the
    /// words of a picked document.
    pub(super) words_whole: bool,
}

impl<'a> SegCols<'a> {
    pub(super) fn open(
        reader: &'a SegmentReader,
        fields: &Fields,
        ids: &'a SegIds,
        selection: &'a Selection,
        picked: &'a Selection,
    ) -> Result<SegCols<'a>, Error> {
        let ff = reader.fast_fields();
        let read = crate::index::Error::read;
        Ok(SegCols {
            reader,
            ids,
            selection,
            picked,
            ts: ff.i64(field::TS).map_err(read)?,
            line: ff.u64(field::LINE).map_err(read)?,
            kind: ff.u64(field::KIND).map_err(read)?,
            words: ff.u64(field::WORDS).map_err(read)?,
            emoji: ff.str(field::EMOJI).map_err(read)?,
            domain: ff.str(field::DOMAIN).map_err(read)?,
            word: ff.str(field::WORD).map_err(read)?,
            media: SegmentMedia::open(reader, fields)?,
            words_whole: picked.len(reader).saturating_mul(2) >= reader.max_doc() as usize,
        })
    }
}

/// A piece of the pass.
#[derive(Clone)]
enum Work {
    /// Sum the picked documents of a block (`Selection::All`: documents; else indexes into
    /// the selection).
    Pick { seg: usize, at: Range<u32> },
    /// Count a block of the word column's values (all documents).
    Words { seg: usize, rows: Range<u32> },
    /// Give back the words of the documents of a block that are not picked.
    Unpick { seg: usize, docs: Range<u32> },
}

/// Sums the documents of every segment's own selection (see [`SegCols::open`]).
pub(super) fn sum(cols: &[SegCols], across: bool) -> Result<Partial, Error> {
    let work = plan(cols);
    let size: usize = cols
        .iter()
        .map(|c| {
            let whole = if c.words_whole { c.reader.max_doc() } else { 0 };
            c.selection.len(c.reader) + whole as usize
        })
        .sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if size < SPLIT_DOCS || threads < 2 {
        run_on_one(cols, &work, across)
    } else {
        run_on(cols, &work, across, threads)
    }
}

/// All the work on this thread.
fn run_on_one(cols: &[SegCols], work: &[Work], across: bool) -> Result<Partial, Error> {
    let mut part = Partial::new(cols);
    let mut scratch = Scratch::default();
    for w in work {
        part.run(cols, w, across, &mut scratch)?;
    }
    Ok(part)
}

/// The work shared out block by block between `threads` threads, their sums merged.
fn run_on(cols: &[SegCols], work: &[Work], across: bool, threads: usize) -> Result<Partial, Error> {
    let next = AtomicUsize::new(0);
    let run = || -> Result<Partial, Error> {
        let mut part = Partial::new(cols);
        let mut scratch = Scratch::default();
        while let Some(w) = work.get(next.fetch_add(1, Ordering::Relaxed)) {
            part.run(cols, w, across, &mut scratch)?;
        }
        Ok(part)
    };
    let (mine, others) = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads).map(|_| s.spawn(run)).collect();
        let mine = run();
        let others: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
        (mine, others)
    });
    let mut total = mine?;
    for other in others {
        match other {
            Ok(part) => total.merge(part?),
            // Summing does not panic on archive data; if a worker did, its blocks are lost:
            // count everything again here rather than show part of it.
            Err(_) => return run_on_one(cols, work, across),
        }
    }
    Ok(total)
}

/// The blocks of work of every segment.
fn plan(cols: &[SegCols]) -> Vec<Work> {
    let mut work = Vec::new();
    for (seg, c) in cols.iter().enumerate() {
        let picked = match c.selection {
            Selection::All => c.reader.max_doc(),
            Selection::Docs(docs) => docs.len() as u32,
        };
        work.extend(blocks(0..picked, BLOCK).map(|at| Work::Pick { seg, at }));
        if c.words_whole {
            let rows = c.word.as_ref().map_or(0, |w| w.ords().values.num_vals());
            work.extend(blocks(0..rows, ROW_BLOCK).map(|rows| Work::Words { seg, rows }));
            work.extend(
                blocks(0..c.reader.max_doc(), BLOCK).map(|docs| Work::Unpick { seg, docs }),
            );
        }
    }
    work
}

fn blocks(all: Range<u32>, size: u32) -> impl Iterator<Item = Range<u32>> {
    all.clone()
        .step_by(size as usize)
        .map(move |start| start..start.saturating_add(size).min(all.end))
}

/// Buffers reused from block to block.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) docs: Vec<DocId>,
    ords: Vec<u64>,
    pub(super) senders: Vec<u32>,
    pub(super) chats: Vec<u32>,
    pub(super) ts: Vec<i64>,
    kinds: Vec<u64>,
    words: Vec<u64>,
    emoji: MultiBatch,
    domain: MultiBatch,
    word: MultiBatch,
    rows: Vec<u64>,
}

/// One thread's sums.
pub(super) struct Partial {
    pub(super) acc: Acc,
    media: MediaCounts,
    chat_messages: Vec<u64>,
    /// Per segment: counts by ordinal of the emoji, domain and word columns (wrapping: a
    /// thread may give back words another counted; the merged counts are exact).
    counts: Vec<[Vec<u32>; 3]>,
}

impl Partial {
    pub(super) fn new(cols: &[SegCols]) -> Partial {
        let terms = |c: &Option<StrColumn>| vec![0u32; c.as_ref().map_or(0, |c| c.num_terms())];
        Partial {
            acc: Acc::default(),
            media: MediaCounts::default(),
            chat_messages: Vec::new(),
            counts: cols
                .iter()
                .map(|c| [terms(&c.emoji), terms(&c.domain), terms(&c.word)])
                .collect(),
        }
    }

    fn run(
        &mut self,
        cols: &[SegCols],
        w: &Work,
        across: bool,
        s: &mut Scratch,
    ) -> Result<(), Error> {
        match w {
            Work::Pick { seg, at } => {
                let c = &cols[*seg];
                s.docs.clear();
                match c.selection {
                    Selection::All => {
                        let alive = c.reader.alive_bitset();
                        s.docs
                            .extend(at.clone().filter(|d| alive.is_none_or(|a| a.is_alive(*d))));
                    }
                    Selection::Docs(docs) => {
                        s.docs.extend_from_slice(
                            docs.get(at.start as usize..at.end as usize).unwrap_or(&[]),
                        );
                    }
                }
                self.pick(c, *seg, across, s);
            }
            Work::Words { seg, rows } => {
                let Some(col) = &cols[*seg].word else {
                    return Ok(());
                };
                let counts = &mut self.counts[*seg][2];
                // Every slot is written by `get_range`: no need to clear it first.
                s.rows.resize(rows.len(), 0);
                col.ords()
                    .values
                    .get_range(u64::from(rows.start), &mut s.rows);
                for ord in &s.rows {
                    if let Some(c) = counts.get_mut(*ord as usize) {
                        *c = c.wrapping_add(1);
                    }
                }
            }
            Work::Unpick { seg, docs } => {
                let c = &cols[*seg];
                s.docs.clear();
                match c.picked {
                    Selection::All => {
                        if let Some(alive) = c.reader.alive_bitset() {
                            s.docs.extend(docs.clone().filter(|d| !alive.is_alive(*d)));
                        }
                    }
                    Selection::Docs(picked) => {
                        let from = picked.partition_point(|d| *d < docs.start);
                        let mut it = picked[from..].iter().peekable();
                        for d in docs.clone() {
                            if it.next_if_eq(&&d).is_none() {
                                s.docs.push(d);
                            }
                        }
                    }
                }
                if s.docs.is_empty() {
                    return Ok(());
                }
                s.word.read(c.word.as_ref(), &s.docs);
                let counts = &mut self.counts[*seg][2];
                for ord in &s.word.values {
                    if let Some(c) = counts.get_mut(*ord as usize) {
                        *c = c.wrapping_sub(1);
                    }
                }
            }
        }
        Ok(())
    }

    /// Sums the picked documents `s.docs` of one segment.
    fn pick(&mut self, c: &SegCols, seg: usize, across: bool, s: &mut Scratch) {
        if s.docs.is_empty() {
            return;
        }
        c.ids.senders_of(&s.docs, &mut s.ords, &mut s.senders);
        c.ids.chats_of(&s.docs, &mut s.ords, &mut s.chats);
        gather(&c.ts, &s.docs, 0, &mut s.ts);
        self.add(c, seg, across, !c.words_whole, s);
    }

    /// Sums the documents `s.docs` of one segment whose senders, chats and times are already
    /// in `s` (the timeline read them); their words are counted when `count_words`.
    pub(super) fn add(
        &mut self,
        c: &SegCols,
        seg: usize,
        across: bool,
        count_words: bool,
        s: &mut Scratch,
    ) {
        let docs = &s.docs;
        if docs.is_empty() {
            return;
        }
        gather(&c.kind, docs, 0, &mut s.kinds);
        gather(&c.words, docs, 0, &mut s.words);
        s.emoji.read(c.emoji.as_ref(), docs);
        s.domain.read(c.domain.as_ref(), docs);
        let [emoji_counts, domain_counts, word_counts] = &mut self.counts[seg];
        if count_words {
            s.word.tally(c.word.as_ref(), docs, word_counts);
        }
        let mut media = c.media.from(docs[0]);
        let acc = &mut self.acc;
        for (i, &doc) in docs.iter().enumerate() {
            let sender = s.senders[i];
            if sender == NONE {
                acc.system += 1;
                continue;
            }
            let (kind, secs) = (s.kinds[i], s.ts[i]);
            acc.message(kind, secs);
            let p = acc.participant(sender);
            p.messages += 1;
            p.words += s.words[i];
            p.media += u64::from(kind == Kind::Media.code());
            p.deleted += u64::from(kind == Kind::Deleted.code());
            p.first = p.first.min(secs);
            p.last = p.last.max(secs);
            if let Some(code) = media.type_of(doc) {
                self.media.add(code, sender);
            }
            let chat = s.chats[i];
            if across && chat != NONE {
                let chat = chat as usize;
                if chat >= self.chat_messages.len() {
                    self.chat_messages.resize(chat + 1, 0);
                }
                self.chat_messages[chat] += 1;
            }
        }
        // Emoji and links, of the few documents with any.
        for (i, emoji) in s.emoji.each() {
            if let Some(&sender) = s.senders.get(i).filter(|s| **s != NONE) {
                acc.participant(sender).emojis += tally(emoji_counts, emoji);
            }
        }
        for (i, domains) in s.domain.each() {
            if let Some(&sender) = s.senders.get(i).filter(|s| **s != NONE) {
                acc.participant(sender).links += tally(domain_counts, domains);
            }
        }
    }

    pub(super) fn merge(&mut self, other: Partial) {
        self.acc.merge(other.acc);
        self.media.merge(other.media);
        if other.chat_messages.len() > self.chat_messages.len() {
            self.chat_messages.resize(other.chat_messages.len(), 0);
        }
        for (t, o) in self.chat_messages.iter_mut().zip(other.chat_messages) {
            *t += o;
        }
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                for (a, b) in m.iter_mut().zip(t) {
                    *a = a.wrapping_add(b);
                }
            }
        }
    }

    pub(super) fn into_picked(self, cols: &[SegCols]) -> Picked {
        let tops = self
            .counts
            .into_iter()
            .zip(cols)
            .map(|([emoji, domain, word], c)| SegmentTops {
                emoji: Tally {
                    col: c.emoji.clone(),
                    counts: emoji,
                },
                domain: Tally {
                    col: c.domain.clone(),
                    counts: domain,
                },
                word: Tally {
                    col: c.word.clone(),
                    counts: word,
                },
            })
            .collect();
        Picked {
            acc: self.acc,
            media: self.media,
            chat_messages: self.chat_messages,
            tops,
        }
    }
}

/// Counts a document's values by ordinal; returns how many it has.
fn tally(counts: &mut [u32], ords: &[u32]) -> u64 {
    for ord in ords {
        if let Some(c) = counts.get_mut(*ord as usize) {
            *c = c.wrapping_add(1);
        }
    }
    ords.len() as u64
}
